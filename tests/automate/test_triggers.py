"""Triggers: each type enrols from the events it should and only those; schedules fire on
cron times; the matcher's cursor survives restarts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate.cron import CronSchedule
from dealflow.automate.matcher import match_events, run_matcher_once
from dealflow.automate.scheduler import run_schedules
from dealflow.automate.service import enrol_manually
from dealflow.core.clock import FrozenClock
from dealflow.crm import service
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Enrolment, Workspace
from tests.automate.conftest import drain, save, trail_of
from tests.factories import make_contact, make_deal, stage_named

NOTE = [{"action": {"type": "set_property", "property": "source", "value": "workflow"}}]


def workflow(
    trigger: dict[str, Any], object_type: str = "contacts", **extra: Any
) -> dict[str, Any]:
    steps = NOTE if object_type == "contacts" else [{"action": {"type": "stop"}}]
    return {"name": "W", "object": object_type, "trigger": trigger, "steps": steps, **extra}


def enrolled(session: Session) -> list[int]:
    return list(session.scalars(select(Enrolment.record_id).order_by(Enrolment.id)))


class TestEventTriggers:
    def test_deal_entering_a_stage(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            workflow({"type": "deal_stage_entered", "stage": "closed won"}, "deals"),
        )
        won, lost = make_deal(session, workspace), make_deal(session, workspace)
        service.move_deal(
            session, workspace.id, won.id, stage_named(session, workspace, "Closed won").id
        )
        service.move_deal(
            session, workspace.id, lost.id, stage_named(session, workspace, "Closed lost").id
        )

        drain(session)

        assert enrolled(session) == [won.id]
        assert "because it entered stage Closed won (from " in trail_of(session, "deals", won.id)[0]

    def test_engagement_of_a_kind_and_form_submissions(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(session, workspace, workflow({"type": "engagement", "kind": "email_reply"}))
        save(
            session,
            workspace,
            workflow({"type": "form_submitted", "url_contains": "/demo"}, name="Demo form"),
        )
        replied, viewer, demo, newsletter = (make_contact(session, workspace) for _ in range(4))
        service.record_engagement(session, workspace.id, replied.id, "email_reply")
        service.record_engagement(session, workspace.id, viewer.id, "page_view")
        service.record_engagement(
            session, workspace.id, demo.id, "form_submit", url="https://x/demo"
        )
        service.record_engagement(
            session, workspace.id, newsletter.id, "form_submit", url="https://x/news"
        )

        drain(session)

        assert enrolled(session) == [replied.id, demo.id]
        assert trail_of(session, "contacts", demo.id)[0].endswith(
            "because a form was submitted (https://x/demo)"
        )

    def test_a_score_crossing_its_threshold_upwards(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            workflow({"type": "score_crossed", "threshold": 70}, reenrol="after_exit"),
        )
        contact = make_contact(session, workspace)
        for score in (50, 75, 90, 60, 71):
            service.update_record(session, workspace.id, "contacts", contact.id, {"score": score})
            drain(session)

        trail = [line for line in trail_of(session, "contacts", contact.id) if "enrolled" in line]
        assert len(trail) == 2
        assert trail[0].endswith("because score went above 70 (50 -> 75)")
        assert trail[1].endswith("because score went above 70 (60 -> 71)")

    def test_record_updated_on_chosen_properties(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(session, workspace, workflow({"type": "record_updated", "properties": ["job_title"]}))
        contact = make_contact(session, workspace)
        service.update_record(session, workspace.id, "contacts", contact.id, {"city": "Osaka"})
        drain(session)
        assert enrolled(session) == []

        service.update_record(session, workspace.id, "contacts", contact.id, {"job_title": "CTO"})
        drain(session)
        assert enrolled(session) == [contact.id]

    def test_events_from_before_the_workflow_was_enabled_do_not_enrol(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        early = make_contact(session, workspace)
        frozen_clock.advance(timedelta(minutes=1))
        save(session, workspace, workflow({"type": "record_created"}))
        late = make_contact(session, workspace)

        drain(session)

        assert enrolled(session) == [late.id]
        assert early.id != late.id

    def test_manual_enrolment_and_reenrolment_rules(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        once = save(session, workspace, workflow({"type": "manual"}))
        again = save(
            session, workspace, workflow({"type": "manual"}, name="Again", reenrol="after_exit")
        )
        contact = make_contact(session, workspace)

        assert enrol_manually(session, workspace.id, once.id, contact.id) is not None
        assert enrol_manually(session, workspace.id, again.id, contact.id) is not None
        assert enrol_manually(session, workspace.id, again.id, contact.id) is None  # still active
        drain(session)

        assert enrol_manually(session, workspace.id, once.id, contact.id) is None  # never again
        assert enrol_manually(session, workspace.id, again.id, contact.id) is not None


class TestSchedules:
    def test_a_cron_schedule_enrols_matching_records_once_per_time(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        save(
            session,
            workspace,
            workflow(
                {"type": "schedule", "cron": "0 9 * * 1"},
                enrol_when={"property": "lifecycle_stage", "op": "eq", "value": "lead"},
                reenrol="after_exit",
            ),
        )
        lead = make_contact(session, workspace)
        make_contact(session, workspace, lifecycle_stage="customer")

        # Enabled on Monday 2026-03-02 09:00: the next time is Monday 2026-03-09 09:00.
        frozen_clock.set(datetime(2026, 3, 9, 8, 59, tzinfo=UTC))
        assert run_schedules(session, frozen_clock.now()) == 0
        frozen_clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
        assert run_schedules(session, frozen_clock.now()) == 1
        assert run_schedules(session, frozen_clock.now()) == 0
        drain(session)
        # A worker down for three weeks fires once when it comes back, not three times.
        frozen_clock.set(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
        assert run_schedules(session, frozen_clock.now()) == 1

        assert enrolled(session) == [lead.id, lead.id]

    @pytest.mark.parametrize(
        ("cron", "after", "expected"),
        [
            ("*/15 * * * *", datetime(2026, 3, 2, 9, 7), datetime(2026, 3, 2, 9, 15)),
            ("0 9 * * 1-5", datetime(2026, 3, 6, 10, 0), datetime(2026, 3, 9, 9, 0)),
            ("30 8 1 * *", datetime(2026, 3, 2, 9, 0), datetime(2026, 4, 1, 8, 30)),
            ("0 0 29 2 *", datetime(2026, 3, 1, 0, 0), datetime(2028, 2, 29, 0, 0)),
            ("0 12 * * 7", datetime(2026, 3, 2, 0, 0), datetime(2026, 3, 8, 12, 0)),
        ],
    )
    def test_next_cron_times(self, cron: str, after: datetime, expected: datetime) -> None:
        schedule = CronSchedule.parse(cron)
        assert schedule.next_after(after.replace(tzinfo=UTC)) == expected.replace(tzinfo=UTC)

    @pytest.mark.parametrize(
        ("cron", "message"),
        [
            ("* * *", "expected 5 fields"),
            ("61 * * * *", "minute field '61': values must lie in 0-59"),
            ("a * * * *", "minute field 'a': expected numbers"),
        ],
    )
    def test_bad_cron_expressions_say_which_field(self, cron: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            CronSchedule.parse(cron)


def test_a_restarted_matcher_resumes_where_it_stopped(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    with sessions() as session, session.begin():
        space = ensure_workspace(session, "acme")
        save(session, space, workflow({"type": "record_created"}))
        first = [make_contact(session, space).id for _ in range(3)]
    assert run_matcher_once(sessions) == 3

    with sessions() as session, session.begin():
        space = ensure_workspace(session, "acme")
        second = [make_contact(session, space).id for _ in range(2)]
    # A new process: nothing carries over but the database.
    assert run_matcher_once(sessions) == 2
    assert run_matcher_once(sessions) == 0

    with sessions() as session:
        assert enrolled(session) == first + second
        assert session.scalar(select(func.count()).select_from(Enrolment)) == 5


@pytest.mark.postgres
def test_matchers_in_two_workers_take_turns_and_never_read_a_batch_twice(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    with sessions() as session, session.begin():
        space = ensure_workspace(session, "acme")
        save(session, space, workflow({"type": "record_created"}))
        for _ in range(4):
            make_contact(session, space)
    results: list[tuple[int, int]] = []

    with sessions() as first, first.begin():
        results.append(match_events(first))
        second = threading.Thread(target=lambda: results.append(_match_in(sessions)))
        second.start()
        second.join(timeout=0.5)
        assert second.is_alive()  # it waits for the cursor the first one holds
    second.join(timeout=10)

    assert results == [(4, 4), (0, 0)]


@pytest.mark.postgres
def test_a_workers_matcher_goes_on_to_other_work_while_another_one_matches(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    with sessions() as session, session.begin():
        space = ensure_workspace(session, "acme")
        save(session, space, workflow({"type": "record_created"}))
    assert run_matcher_once(sessions) == 0  # the matcher's cursor exists from now on
    with sessions() as session, session.begin():
        for _ in range(4):
            make_contact(session, session.get_one(Workspace, space.id))

    with sessions() as first, first.begin():
        assert match_events(first) == (4, 4)
        assert run_matcher_once(sessions) == 0  # at once, without waiting for the cursor

    assert run_matcher_once(sessions) == 0  # nothing was left for it
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Enrolment)) == 4


def _match_in(sessions: sessionmaker[Session]) -> tuple[int, int]:
    with sessions() as session, session.begin():
        return match_events(session)
