"""Acceptance of the automation pillar on the demo: after the build, the three templates
are enabled and have run on the demo's fresh events; tasks exist, owners were assigned by
the routing rules, and every enrolled record's trail explains what happened."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow import db
from dealflow.automate.classify.embedder import E5Embedder
from dealflow.automate.runtime import run_until_idle
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from dealflow.demo.automation import DemoAutomation, start_automation
from dealflow.models import (
    Activity,
    Contact,
    Enrolment,
    InquiryClassification,
    Team,
    Ticket,
    TrailEntry,
    User,
    Workflow,
)
from tests import backends

TEAMS = {"en": "Americas & Europe", "ja": "Japan", "ko": "Korea", "fa": "Middle East"}


@dataclass
class Ran:
    session: Session
    workspace_id: int
    automation: DemoAutomation

    def trail(self, object_type: str, record_id: int) -> list[str]:
        return list(
            self.session.scalars(
                select(TrailEntry.message)
                .where(TrailEntry.object_type == object_type, TrailEntry.record_id == record_id)
                .order_by(TrailEntry.id)
            )
        )

    def enrolled(self, workflow: str) -> list[Enrolment]:
        return list(
            self.session.scalars(
                select(Enrolment)
                .join(Workflow, Workflow.id == Enrolment.workflow_id)
                .where(Workflow.workspace_id == self.workspace_id, Workflow.name == workflow)
                .order_by(Enrolment.id)
            )
        )


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory, database_template: Path | None) -> Iterator[Ran]:
    """A small demo whose workflows have run, as `dealflow demo` leaves it."""
    with backends.fresh_database(tmp_path_factory.mktemp("auto"), database_template) as url:
        engine = backends.engine_for(url)
        try:
            with Session(engine) as session:
                build_demo(session, slug="demo", scale=0.02, today=date(2026, 3, 2))
                workspace_id = get_workspace(session, "demo").id
                automation = start_automation(session, workspace_id, 7, E5Embedder())
                session.commit()
            run_until_idle(db.session_factory(engine))
            with Session(engine) as session:
                yield Ran(session, workspace_id, automation)
        finally:
            engine.dispose()


def test_the_three_templates_are_enabled_and_each_enrolled_records(ran: Ran) -> None:
    workflows = ran.session.scalars(
        select(Workflow).where(Workflow.workspace_id == ran.workspace_id)
    ).all()

    assert sorted((w.name, w.is_enabled) for w in workflows) == [
        ("Inbound lead routing", True),
        ("Inquiry triage", True),
        ("Proposal stage actions", True),
    ]
    assert len(ran.enrolled("Inquiry triage")) == ran.automation.inquiries >= 6
    assert len(ran.enrolled("Inbound lead routing")) == ran.automation.demo_requests >= 3
    assert len(ran.enrolled("Proposal stage actions")) == ran.automation.proposals == 3


def test_sales_inquiries_went_to_a_rep_of_the_contacts_team_and_the_rest_became_tickets(
    ran: Ran,
) -> None:
    triaged = ran.enrolled("Inquiry triage")
    labels = dict(
        ran.session.execute(
            select(InquiryClassification.record_id, InquiryClassification.label).where(
                InquiryClassification.workspace_id == ran.workspace_id
            )
        ).all()
    )
    assert {labels[e.record_id] for e in triaged} == {"sales_inquiry", "support"}
    for enrolment in triaged:
        contact = ran.session.get(Contact, enrolment.record_id)
        assert contact is not None
        trail = ran.trail("contacts", contact.id)
        assert trail[0].startswith("enrolled in 'Inquiry triage' (version 1) by trigger")
        assert f"the inquiry is '{labels[contact.id]}'" in trail[1]
        assert trail[-1] == "completed 'Inquiry triage'"
        if labels[contact.id] == "sales_inquiry":
            owner = ran.session.get(User, contact.owner_id)
            assert owner is not None and owner.role == "rep"
            if contact.language in TEAMS:
                team = ran.session.get(Team, owner.team_id)
                assert team is not None and team.name == TEAMS[contact.language]
                assert "by rule" in trail[2]
            [task] = _tasks_of(ran, contact.id, "Sales inquiry from")
            assert task.owner_id == owner.id
        else:
            [ticket] = ran.session.scalars(
                select(Ticket).where(
                    Ticket.contact_id == contact.id, Ticket.subject.startswith("Inquiry from")
                )
            ).all()
            assert ticket.description and f"opened support ticket #{ticket.id}" in trail[2]


def test_demo_requests_were_routed_and_deals_in_proposal_got_their_tasks(ran: Ran) -> None:
    for enrolment in ran.enrolled("Inbound lead routing"):
        trail = ran.trail("contacts", enrolment.record_id)
        assert any(line.startswith("step 2 (route): routed to ") for line in trail)
        assert _tasks_of(ran, enrolment.record_id, "New inbound lead")
    for enrolment in ran.enrolled("Proposal stage actions"):
        trail = ran.trail("deals", enrolment.record_id)
        assert "because it entered stage Proposal" in trail[0]
        assert trail[-1].startswith("step 3 (delay): waiting until ")
        subjects = ran.session.scalars(
            select(Activity.subject).where(
                Activity.deal_id == enrolment.record_id, Activity.kind == "task"
            )
        ).all()
        assert sum(s is not None and "proposal" in s for s in subjects) >= 2


def _tasks_of(ran: Ran, contact_id: int, prefix: str) -> list[Activity]:
    return list(
        ran.session.scalars(
            select(Activity).where(
                Activity.contact_id == contact_id,
                Activity.kind == "task",
                Activity.subject.startswith(prefix),
            )
        )
    )
