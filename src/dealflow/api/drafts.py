"""The review queue: list drafts of contacts you may see, draft one, approve, edit then
approve, reject with a reason, and the acceptance report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.drafts import DraftIn, DraftOut, EditIn, RejectIn, ReportOut, report_out
from dealflow.personalize import review

router = APIRouter(prefix="/drafts", tags=["drafts"], responses=ERROR_RESPONSES)
DraftId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_drafts(
    session: SessionDep,
    principal: PrincipalDep,
    status: Literal["pending", "approved", "rejected", "all"] = "pending",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[DraftOut]:
    """Drafts of the contacts you may see, newest first (pending ones by default)."""
    rows = review.list_drafts(
        session, principal, None if status == "all" else status, limit=limit, offset=offset
    )
    return [DraftOut.model_validate(row) for row in rows]


@router.post("", status_code=201)
def add_draft(session: SessionDep, principal: PrincipalDep, body: DraftIn) -> DraftOut:
    """Draft an email for a contact into the review queue."""
    draft = review.do_queue_draft(
        session,
        principal,
        body.contact_id,
        generator=body.generator,
        segment=body.segment,
        deal_id=body.deal_id,
    )
    return DraftOut.model_validate(draft)


@router.get("/report")
def draft_report(session: SessionDep, principal: PrincipalDep) -> ReportOut:
    """Acceptance, edit and reject rates per generator, template (segment) and rep."""
    return report_out(review.review_report(session, principal))


@router.get("/{draft_id}")
def get_draft(session: SessionDep, principal: PrincipalDep, draft_id: DraftId) -> DraftOut:
    """A draft with the facts it may state, its tone and grounding reports, its review."""
    return DraftOut.model_validate(review.get_draft(session, principal, draft_id))


@router.post("/{draft_id}/approve")
def approve_draft(session: SessionDep, principal: PrincipalDep, draft_id: DraftId) -> DraftOut:
    """Approve as written: 409 while it states what its facts do not support."""
    return DraftOut.model_validate(review.do_approve(session, principal, draft_id))


@router.post("/{draft_id}/edit")
def edit_draft(
    session: SessionDep, principal: PrincipalDep, draft_id: DraftId, body: EditIn
) -> DraftOut:
    """Replace the text, check it again, keep the diff, and approve."""
    current = review.get_draft(session, principal, draft_id)
    subject = body.subject if body.subject is not None else current.subject
    return DraftOut.model_validate(
        review.do_edit_and_approve(session, principal, draft_id, subject, body.body)
    )


@router.post("/{draft_id}/reject")
def reject_draft(
    session: SessionDep, principal: PrincipalDep, draft_id: DraftId, body: RejectIn
) -> DraftOut:
    """Reject with a reason (kept as feedback)."""
    return DraftOut.model_validate(review.do_reject(session, principal, draft_id, body.reason))
