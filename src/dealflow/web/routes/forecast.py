"""The forecast page: the period's numbers (yours, your team's, everyone's, as you may see
them) next to the AI's range, the deals that make the gap, and a form to submit your number."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.predict.forecast.submissions import Submitter, submit_forecast
from dealflow.predict.forecast.views import forecast_for
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/forecast")
def forecast_page(
    request: Request, session: DbSession, viewer: CurrentViewer, period: str | None = None
) -> Response:
    try:
        result = forecast_for(session, viewer.principal, now=clock.now(), period=period)
    except (InvalidInputError, NotFoundError) as problem:
        return render(
            request, "forecast.html", {"result": None, "problem": problem.message}, viewer=viewer
        )
    return render(request, "forecast.html", {"result": result, "problem": None}, viewer=viewer)


@router.post("/forecast/submit")
def submit(
    session: DbSession,
    viewer: CurrentViewer,
    period: Annotated[str, Form(max_length=10)],
    amount: Annotated[str, Form(max_length=30)],
) -> Response:
    principal = viewer.principal
    submit_forecast(
        session,
        principal.workspace_id,
        Submitter(principal.user_id, principal.role),
        period,
        amount,
    )
    return RedirectResponse(f"/forecast?period={quote(period)}", status_code=303)
