"""The engine end to end on one database session: triggers enrol records, steps run as
jobs, delays wait on the clock, branches choose, goals unenrol, trails explain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.automate.matcher import match_events
from dealflow.core.clock import FrozenClock
from dealflow.crm import service
from dealflow.models import Activity, Contact, Enrolment, TrailEntry, Workspace
from tests.automate.conftest import drain, save, trail_of
from tests.factories import make_contact, make_user

WELCOME = {
    "name": "Welcome new leads",
    "object": "contacts",
    "trigger": {"type": "record_created"},
    "enrol_when": {"property": "lifecycle_stage", "op": "eq", "value": "lead"},
    "steps": [
        {"action": {"type": "set_property", "property": "lead_status", "value": "new"}},
        {
            "action": {
                "type": "create_task",
                "subject": "Call {{ first_name }} {{ last_name }}",
                "due_in": "2d",
            }
        },
    ],
}


def tasks_of(session: Session, contact: Contact) -> list[Activity]:
    return list(
        session.scalars(
            select(Activity).where(Activity.kind == "task", Activity.contact_id == contact.id)
        )
    )


class TestTriggersEnrol:
    def test_a_created_lead_runs_every_step_once_and_the_trail_says_why(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        rep = make_user(session, workspace)
        save(session, workspace, WELCOME)
        contact = make_contact(session, workspace, first_name="Ada", owner_id=rep.id)

        assert drain(session) == 1  # two local steps: one job

        session.refresh(contact)
        assert contact.lead_status == "new"
        [task] = tasks_of(session, contact)
        assert (task.subject, task.owner_id, task.status) == (
            f"Call Ada {contact.last_name}",
            rep.id,
            "open",
        )
        assert task.due_at == frozen_clock.now() + timedelta(days=2)
        trail = trail_of(session, "contacts", contact.id)
        assert trail[0].startswith("enrolled in 'Welcome new leads' (version 1) by trigger")
        assert "because it was created (source: api)" in trail[0]
        assert trail[1] == "step 1 (set_property): set lead_status to 'new'"
        assert trail[2].startswith(f"step 2 (create_task): created task #{task.id}")
        assert trail[3] == "completed 'Welcome new leads'"
        details = session.scalars(select(TrailEntry.details).order_by(TrailEntry.id)).all()
        assert details == [None, {"property": "lead_status"}, {"task_id": task.id}, None]

    def test_an_enrolment_object_the_session_holds_shows_how_it_ended(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(session, workspace, WELCOME)
        make_contact(session, workspace)
        match_events(session)
        enrolment = session.scalars(select(Enrolment)).one()
        assert enrolment.status == "active"

        assert drain(session) == 1

        assert (enrolment.status, enrolment.finished_at) == ("completed", frozen_clock.now())

    def test_a_record_that_fails_enrol_when_is_not_enrolled(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(session, workspace, WELCOME)
        customer = make_contact(session, workspace, lifecycle_stage="customer")

        drain(session)

        assert trail_of(session, "contacts", customer.id) == []

    def test_a_disabled_workflow_enrols_nothing(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(session, workspace, WELCOME, enable=False)
        contact = make_contact(session, workspace)

        drain(session)

        assert trail_of(session, "contacts", contact.id) == []

    def test_a_property_change_from_to_enrols_and_reenrolment_never_is_the_default(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            {
                "name": "MQL alert",
                "object": "contacts",
                "trigger": {"type": "property_changed", "property": "lifecycle_stage", "to": "mql"},
                "steps": [{"action": {"type": "create_task", "subject": "New MQL"}}],
            },
        )
        contact = make_contact(session, workspace)
        for stage in ("mql", "lead", "mql"):
            service.update_record(
                session, workspace.id, "contacts", contact.id, {"lifecycle_stage": stage}
            )
            drain(session)

        assert len(tasks_of(session, contact)) == 1
        trail = trail_of(session, "contacts", contact.id)
        assert "because lifecycle_stage changed from lead to mql" in trail[0]


class TestDelaysBranchesGoals:
    def test_a_delay_waits_for_the_clock_then_the_next_step_runs(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            {
                "name": "Follow up in Tokyo mornings",
                "object": "contacts",
                "trigger": {"type": "record_created"},
                "steps": [
                    {"action": {"type": "delay", "weekday": "monday", "time": "09:00"}},
                    {"action": {"type": "create_task", "subject": "Follow up"}},
                ],
            },
        )
        # 2026-03-02 09:00 UTC is a Monday, 18:00 in Tokyo: the next Monday 09:00 JST is
        # 2026-03-09 00:00 UTC.
        contact = make_contact(session, workspace, time_zone="Asia/Tokyo")

        drain(session)
        assert tasks_of(session, contact) == []
        assert trail_of(session, "contacts", contact.id)[-1] == (
            "step 1 (delay): waiting until Monday 09:00 Asia/Tokyo"
        )

        frozen_clock.set(datetime(2026, 3, 8, 23, 59, tzinfo=UTC))
        drain(session)
        assert tasks_of(session, contact) == []

        frozen_clock.set(datetime(2026, 3, 9, 0, 0, tzinfo=UTC))
        drain(session)
        assert len(tasks_of(session, contact)) == 1

    def test_a_branch_takes_then_or_else_by_the_record(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            {
                "name": "Route by country",
                "object": "contacts",
                "trigger": {"type": "record_created"},
                "steps": [
                    {
                        "action": {
                            "type": "branch",
                            "if": {"property": "country", "op": "in", "value": ["Japan", "Korea"]},
                            "then": [
                                {
                                    "action": {
                                        "type": "set_property",
                                        "property": "source",
                                        "value": "apac",
                                    }
                                }
                            ],
                            "else": [
                                {
                                    "action": {
                                        "type": "set_property",
                                        "property": "source",
                                        "value": "row",
                                    }
                                },
                                {"action": {"type": "stop"}},
                            ],
                        }
                    },
                    {"action": {"type": "create_task", "subject": "APAC follow-up"}},
                ],
            },
        )
        japan = make_contact(session, workspace, country="japan")
        france = make_contact(session, workspace, country="France")

        drain(session)

        session.refresh(japan)
        session.refresh(france)
        assert (japan.source, france.source) == ("apac", "row")
        assert len(tasks_of(session, japan)) == 1
        assert tasks_of(session, france) == []
        assert trail_of(session, "contacts", france.id)[-1] == (
            "left the workflow: a stop step ended it"
        )

    def test_reaching_the_goal_unenrols_before_the_next_step(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            {
                "name": "Nurture until customer",
                "object": "contacts",
                "trigger": {"type": "record_created"},
                "goal": {"property": "lifecycle_stage", "op": "eq", "value": "customer"},
                "steps": [
                    {"action": {"type": "delay", "for": "3d"}},
                    {"action": {"type": "create_task", "subject": "Nurture"}},
                ],
            },
        )
        contact = make_contact(session, workspace)
        drain(session)
        service.update_record(
            session, workspace.id, "contacts", contact.id, {"lifecycle_stage": "customer"}
        )
        drain(session)
        # It leaves as soon as the change is matched, not when its delay ends.
        assert session.scalar(select(Enrolment.status)) == "goal_met"

        frozen_clock.advance(timedelta(days=3))
        drain(session)

        assert tasks_of(session, contact) == []
        assert session.scalar(select(Enrolment.status)) == "goal_met"
        assert trail_of(session, "contacts", contact.id)[-1] == (
            "left the workflow: it reached the goal"
        )
        assert session.scalar(select(func.count()).select_from(Enrolment)) == 1
