"""The deal board (kanban), moving deals between stages, and the deal page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.automate.workspace_workflows import trail_of
from dealflow.crm import access, record_writes
from dealflow.crm.deals import deal_board, deal_overview
from dealflow.crm.objects import FORECAST_CATEGORIES
from dealflow.predict.forecast.categories import category_of
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import is_htmx, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/deals")
def board(
    request: Request, session: DbSession, viewer: CurrentViewer, pipeline: int | None = None
) -> Response:
    context = {"board": deal_board(session, viewer.principal, pipeline)}
    return render(request, "deals/board.html", context, viewer=viewer)


@router.post("/deals/{deal_id}/move")
def move(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    deal_id: int,
    stage_id: Annotated[int, Form()],
) -> Response:
    access.move_deal(session, viewer.principal, deal_id, stage_id, source="web")
    if is_htmx(request):
        deal = access.read(session, viewer.principal, "deals", deal_id)
        context = {"board": deal_board(session, viewer.principal, deal.pipeline_id)}
        return render(request, "deals/board_columns.html", context, viewer=viewer)
    return RedirectResponse(f"/deals/{deal_id}", status_code=303)


@router.post("/deals/{deal_id}/category")
def set_category(
    session: DbSession,
    viewer: CurrentViewer,
    deal_id: int,
    category: Annotated[str, Form(max_length=20)],
) -> Response:
    """The rep puts the deal in a forecast category (kept in the deal's history)."""
    record_writes.update_record(
        session, viewer.principal, "deals", deal_id, {"forecast_category": category}, source="web"
    )
    return RedirectResponse(f"/deals/{deal_id}", status_code=303)


@router.get("/deals/{deal_id}")
def deal_page(
    request: Request, session: DbSession, viewer: CurrentViewer, deal_id: int
) -> Response:
    overview = deal_overview(session, viewer.principal, deal_id)
    deal, stage = overview.deal, overview.stage
    context = {
        "d": overview,
        "categories": FORECAST_CATEGORIES,
        "category": category_of(deal.forecast_category, stage.kind, float(stage.probability)),
        "trail": trail_of(session, viewer.principal, "deals", deal_id),
    }
    return render(request, "deals/page.html", context, viewer=viewer)
