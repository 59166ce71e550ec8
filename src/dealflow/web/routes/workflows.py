"""Workflows: the list (admins enable and disable them), a workflow's definition with its
recent runs and dead steps (admins retry them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.automate.workspace_workflows import (
    retry_enrolment,
    switch_workflow,
    workflow_detail,
    workflow_summaries,
)
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/workflows")
def workflow_list(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    context = {"workflows": workflow_summaries(session, viewer.principal)}
    return render(request, "workflows/list.html", context, viewer=viewer)


@router.post("/workflows/{workflow_id}/switch")
def switch(
    session: DbSession,
    viewer: CurrentViewer,
    workflow_id: int,
    enabled: Annotated[bool, Form()],
    back: Annotated[str, Form(pattern="^(list|page)$")] = "list",
) -> Response:
    switch_workflow(session, viewer.principal, workflow_id, enabled=enabled)
    target = "/workflows" if back == "list" else f"/workflows/{workflow_id}"
    return RedirectResponse(target, status_code=303)


@router.get("/workflows/{workflow_id}")
def workflow_page(
    request: Request, session: DbSession, viewer: CurrentViewer, workflow_id: int
) -> Response:
    context = {"w": workflow_detail(session, viewer.principal, workflow_id)}
    return render(request, "workflows/page.html", context, viewer=viewer)


@router.post("/workflows/{workflow_id}/retry")
def retry(
    session: DbSession,
    viewer: CurrentViewer,
    workflow_id: int,
    enrolment_id: Annotated[int, Form(ge=1)],
) -> Response:
    retry_enrolment(session, viewer.principal, enrolment_id)
    return RedirectResponse(f"/workflows/{workflow_id}", status_code=303)
