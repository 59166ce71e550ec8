"""The review queue: approve, edit then approve, reject with a reason; unsupported
statements block one-click approval; reps see only their contacts' drafts; the report
gives acceptance, edit and reject rates per generator, template and rep."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.core.errors import ConflictError, InvalidInputError, NotFoundError
from dealflow.crm.access import principal_for
from dealflow.models import Draft, User, Workspace
from dealflow.personalize.drafting import Drafter
from dealflow.personalize.generators.base import DraftRequest, GeneratedDraft
from dealflow.personalize.review import (
    UnsupportedStatementsError,
    do_approve,
    do_edit_and_approve,
    do_reject,
    list_drafts,
    review_report,
)
from tests.factories import make_user
from tests.personalize.conftest import make_lead


def queued(session: Session, workspace: Workspace, language: str = "en", **kw: object) -> Draft:
    lead = make_lead(session, workspace, language, **kw)  # type: ignore[arg-type]
    return Drafter(session, workspace.id).queue(lead.contact.id)


def test_approve_edit_and_reject_are_kept_and_reported(
    session: Session, workspace: Workspace
) -> None:
    admin = principal_for(make_user(session, workspace, role="admin"))
    first, second, third = (queued(session, workspace, lang) for lang in ("en", "ja", "fa"))

    assert do_approve(session, admin, first.id).status == "approved"
    edited = do_edit_and_approve(
        session, admin, second.id, second.subject, second.body.replace("来週", "今週")
    )
    assert edited.status == "approved" and edited.edited
    assert edited.edit_diff is not None
    removed = [line for line in edited.edit_diff.splitlines() if line.startswith("-来週")]
    added = [line for line in edited.edit_diff.splitlines() if line.startswith("+今週")]
    assert removed and added
    assert edited.drafted_body != edited.body
    rejected = do_reject(session, admin, third.id, "Too generic")
    assert rejected.status == "rejected" and rejected.reject_reason == "Too generic"
    assert rejected.reviewed_by == admin.user_id and rejected.reviewed_at is not None

    report = review_report(session, admin)
    offline = report["generator"]["offline"].as_dict()
    assert offline["reviewed"] == 3
    assert offline["accepted_as_is"] == pytest.approx(1 / 3, abs=0.001)
    assert offline["edited_then_approved"] == pytest.approx(1 / 3, abs=0.001)
    assert offline["reject_reasons"] == {"Too generic": 1}
    assert set(report["template"]) == {"(none)"}
    assert len(report["rep"]) == 3  # each lead has its own owner

    with pytest.raises(ConflictError, match="already approved"):
        do_approve(session, admin, first.id)
    with pytest.raises(InvalidInputError, match="reason"):
        do_reject(session, admin, first.id, "  ")


class InventingModel:
    """A language model (a third party) that invents a number about the recipient."""

    name = "llm"

    def generate(self, request: DraftRequest) -> GeneratedDraft:
        body = (
            "Dear Emily,\n\nYour 900 stores will love our sensors. Shall we talk?\n\nKind regards"
        )
        return GeneratedDraft("Hello", body, request.context.language, self.name, "test-model")


def test_a_draft_with_an_unsupported_claim_needs_an_edit(
    session: Session, workspace: Workspace
) -> None:
    admin = principal_for(make_user(session, workspace, role="admin"))
    lead = make_lead(session, workspace, "en")
    draft = Drafter(session, workspace.id, InventingModel()).queue(lead.contact.id)
    with pytest.raises(UnsupportedStatementsError, match="number '900'"):
        do_approve(session, admin, draft.id)
    fixed = draft.body.replace("Your 900 stores", "Your stores")
    approved = do_edit_and_approve(session, admin, draft.id, draft.subject, fixed)
    assert approved.status == "approved" and approved.edited
    assert all(claim["supported"] for claim in approved.grounding_report)
    assert approved.generator == "llm" and approved.model == "test-model"


def test_reps_see_and_review_only_their_own_contacts_drafts(
    session: Session, workspace: Workspace
) -> None:
    mine = queued(session, workspace, "ko")
    theirs = queued(session, workspace, "en")
    rep = principal_for(session.get_one(User, mine.owner_id))
    assert [d.id for d in list_drafts(session, rep)] == [mine.id]
    with pytest.raises(NotFoundError):
        do_approve(session, rep, theirs.id)
    assert do_approve(session, rep, mine.id).reviewed_by == rep.user_id
