"""The review queue page: drafts of the contacts the viewer may see, with their facts and
checks, and forms to approve, edit then approve, or reject with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.personalize.context import Fact
from dealflow.personalize.review import (
    do_approve,
    do_edit_and_approve,
    do_reject,
    list_drafts,
    review_report,
    unsupported_of,
)
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])
Status = Annotated[str, Query(pattern="^(pending|approved|rejected)$")]


@router.get("/drafts")
def review_queue(
    request: Request, session: DbSession, viewer: CurrentViewer, status: Status = "pending"
) -> Response:
    drafts = list_drafts(session, viewer.principal, status, limit=50)
    context = {
        "status": status,
        "drafts": [
            {
                "draft": draft,
                "unsupported": unsupported_of(draft),
                "facts": [Fact.from_dict(item) for item in draft.facts],
            }
            for draft in drafts
        ],
        "report": {
            key: rates.as_dict()
            for key, rates in review_report(session, viewer.principal)["generator"].items()
        },
    }
    return render(request, "drafts/queue.html", context, viewer=viewer)


@router.post("/drafts/{draft_id}/approve")
def approve(session: DbSession, viewer: CurrentViewer, draft_id: int) -> Response:
    do_approve(session, viewer.principal, draft_id)
    return RedirectResponse("/drafts", status_code=303)


@router.post("/drafts/{draft_id}/edit")
def edit(
    session: DbSession,
    viewer: CurrentViewer,
    draft_id: int,
    subject: Annotated[str, Form(max_length=500)],
    body: Annotated[str, Form(min_length=1, max_length=20_000)],
) -> Response:
    do_edit_and_approve(session, viewer.principal, draft_id, subject, body)
    return RedirectResponse("/drafts", status_code=303)


@router.post("/drafts/{draft_id}/reject")
def reject(
    session: DbSession,
    viewer: CurrentViewer,
    draft_id: int,
    reason: Annotated[str, Form(min_length=1, max_length=2_000)],
) -> Response:
    do_reject(session, viewer.principal, draft_id, reason)
    return RedirectResponse("/drafts", status_code=303)
