"""My tasks, and marking them done."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.crm.tasks import complete_task, my_tasks
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import is_htmx, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/tasks")
def task_list(
    request: Request, session: DbSession, viewer: CurrentViewer, show: str = "open"
) -> Response:
    tasks = my_tasks(session, viewer.principal, include_done=show == "all")
    return render(
        request, "tasks/list.html", {"tasks": tasks, "show_all": show == "all"}, viewer=viewer
    )


@router.post("/tasks/{task_id}/done")
def mark_done(
    request: Request, session: DbSession, viewer: CurrentViewer, task_id: int
) -> Response:
    task = complete_task(session, viewer.principal, task_id)
    if is_htmx(request):
        return render(request, "tasks/done_row.html", {"task": task}, viewer=viewer)
    return RedirectResponse("/tasks", status_code=303)
