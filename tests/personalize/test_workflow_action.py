"""The draft_email workflow action and the demo's workflow: a lead reaching band A gets a
draft in the review queue (once, even when the step is retried); nothing is sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.service import save_workflow
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import service
from dealflow.models import Draft, Workspace
from dealflow.personalize import actions
from dealflow.personalize.demo_workflow import install_drafting_workflow
from dealflow.personalize.segments import save_segment
from tests.automate.conftest import drain, trail_of
from tests.personalize.conftest import make_lead

assert actions.DRAFT_EMAIL


def test_a_lead_reaching_band_a_gets_a_draft_in_the_queue(
    session: Session, workspace: Workspace
) -> None:
    lead = make_lead(session, workspace, "fa")
    install_drafting_workflow(session, workspace.id)
    session.flush()
    service.update_record(
        session, workspace.id, "contacts", lead.contact.id, {"score_band": "A"}, source="scoring"
    )
    drain(session)
    [draft] = session.scalars(select(Draft).where(Draft.contact_id == lead.contact.id)).all()
    assert draft.status == "pending" and draft.language == "fa" and draft.source == "workflow"
    assert draft.owner_id == lead.owner.id
    assert any("drafted email" in line for line in trail_of(session, "contacts", lead.contact.id))


def test_the_action_checks_its_segment_and_object_when_saved(
    session: Session, workspace: Workspace
) -> None:
    document = {
        "name": "Draft",
        "object": "contacts",
        "trigger": {"type": "manual"},
        "steps": [{"action": {"type": "draft_email", "segment": "Nope"}}],
    }
    with pytest.raises(InvalidFieldsError, match="no segment 'Nope'"):
        save_workflow(session, workspace.id, document)
    save_segment(session, workspace.id, "Nope", {"property": "language", "op": "eq", "value": "en"})
    assert save_workflow(session, workspace.id, document).workflow.id
    deals = {
        **document,
        "name": "D",
        "object": "deals",
        "steps": [{"action": {"type": "draft_email"}}],
    }
    with pytest.raises(InvalidFieldsError, match="contacts only"):
        save_workflow(session, workspace.id, deals)
