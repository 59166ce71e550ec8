"""The data quality page: the score, its history and the worst problems; the cleansing
agent's changes waiting for review (admins apply or reject them, run the agent, undo)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.core import clock
from dealflow.crm.cleansing import workspace_cleansing as cleansing
from dealflow.web import quality_texts
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/quality")
def quality_page(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    view = cleansing.quality_view(session, viewer.principal, now=clock.now())
    return render(request, "quality.html", {"view": view, "texts": quality_texts}, viewer=viewer)


@router.post("/quality/diagnose")
def diagnose_again(session: DbSession, viewer: CurrentViewer) -> Response:
    cleansing.request_diagnosis(session, viewer.principal, now=clock.now())
    return RedirectResponse("/quality", status_code=303)


@router.post("/quality/run")
def run(session: DbSession, viewer: CurrentViewer) -> Response:
    cleansing.run_cleansing(session, viewer.principal, now=clock.now())
    return RedirectResponse("/quality", status_code=303)


@router.post("/quality/changesets/{changeset_id}/{decision}")
def decide(
    session: DbSession,
    viewer: CurrentViewer,
    changeset_id: int,
    decision: str,
    only: Annotated[str, Form(pattern="^(|merge|normalise)$")] = "",
) -> Response:
    principal, now = viewer.principal, clock.now()
    if decision == "apply":
        cleansing.apply_changes(
            session, principal, changeset_id, now=now, only=[only] if only else []
        )
    elif decision == "reject":
        cleansing.reject_changes(session, principal, changeset_id)
    elif decision == "undo":
        cleansing.undo_changes(session, principal, changeset_id, now=now)
    else:
        return Response(status_code=404)
    return RedirectResponse("/quality", status_code=303)
