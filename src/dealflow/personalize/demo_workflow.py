"""The demo's drafting workflow: installed enabled, with the leads that are in band A now
enrolled once, so the review queue holds their drafts when the demo opens."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.definitions import load_document
from dealflow.automate.service import enrol_manually, save_workflow, set_enabled
from dealflow.core import clock
from dealflow.models import Contact, Workflow
from dealflow.personalize import actions

TEMPLATE = "draft-a-band-leads.yml"
NEW_LEADS = timedelta(days=60)
NEW_LEAD_STAGES = ("subscriber", "lead", "mql")

assert actions.DRAFT_EMAIL  # the action is registered before the definition is read


def install_drafting_workflow(session: Session, workspace_id: int) -> tuple[Workflow, int]:
    """Save and enable the workflow; enrol the A-band leads created in the last 60 days.
    Returns the workflow and how many leads were enrolled."""
    text = resources.files("dealflow.personalize.templates").joinpath(TEMPLATE).read_text("utf-8")
    workflow = save_workflow(session, workspace_id, load_document(text, TEMPLATE)).workflow
    set_enabled(session, workspace_id, workflow.id, True)
    leads = session.scalars(
        select(Contact.id).where(
            Contact.workspace_id == workspace_id,
            Contact.score_band == "A",
            Contact.lifecycle_stage.in_(NEW_LEAD_STAGES),
            Contact.created_at >= clock.now() - NEW_LEADS,
        )
    ).all()
    enrolled = sum(
        enrol_manually(session, workspace_id, workflow.id, lead, actor="the demo") is not None
        for lead in leads
    )
    return workflow, enrolled
