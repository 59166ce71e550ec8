"""The issue's acceptance on a small demo: the drafting workflow puts emails for the new
A-band leads in the review queue, every offline draft of the demo passes grounding and tone
in its contact's language, a person reviews them, and the rates show in the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm.access import principal_for
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from dealflow.models import Contact, Draft, User
from dealflow.personalize.demo_workflow import install_drafting_workflow
from dealflow.personalize.drafting import Drafter
from dealflow.personalize.review import do_approve, do_reject, review_report
from dealflow.predict.pipeline import score_workspace
from tests.automate.conftest import drain


def test_the_demo_drafts_new_a_band_leads_into_the_review_queue(session: Session) -> None:
    with clock.frozen_at(datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) as frozen:
        build_demo(session, slug="drafts", scale=0.03, today=clock.now().date())
        workspace = get_workspace(session, "drafts")
        score_workspace(session, workspace.id, now=clock.now())
        frozen.advance(timedelta(minutes=1))  # enabling replays nothing from before
        _, enrolled = install_drafting_workflow(session, workspace.id)
        drain(session)
        drafts = session.scalars(select(Draft).where(Draft.workspace_id == workspace.id)).all()
        assert enrolled >= 1 and len(drafts) == enrolled
        assert {d.source for d in drafts} == {"workflow"} and {d.status for d in drafts} == {
            "pending"
        }

        drafter = Drafter(session, workspace.id)
        contacts = session.scalars(
            select(Contact).where(Contact.workspace_id == workspace.id)
        ).all()
        failing = []
        for contact in contacts:
            checked = drafter.compose(contact.id)
            assert checked.draft.language == (contact.language or "en")
            if not checked.passes:
                failing.append((contact.id, checked.tone, checked.grounding.unsupported))
        assert failing == []  # 100% of offline drafts pass, in the contact's language

        admin = session.scalars(
            select(User).where(User.workspace_id == workspace.id, User.role == "admin")
        ).first()
        assert admin is not None
        reviewer = principal_for(admin)
        do_approve(session, reviewer, drafts[0].id)
        if len(drafts) > 1:
            do_reject(session, reviewer, drafts[1].id, "Not now")
        rates = review_report(session, reviewer)["generator"]["offline"].as_dict()
        assert rates["reviewed"] == min(2, len(drafts))
