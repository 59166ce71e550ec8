"""The outbox: every CRM write emits its events in the same transaction; consumers read them
in order, each from its own cursor."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from dealflow import db
from dealflow.core.clock import FrozenClock
from dealflow.crm import outbox, service
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Contact, OutboxEvent, Workspace
from tests import backends
from tests.factories import make_company, make_contact, make_deal, stage_named


def events_of(session: Session, workspace: Workspace) -> list[OutboxEvent]:
    return list(
        session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.workspace_id == workspace.id)
            .order_by(OutboxEvent.id)
        )
    )


def topics(session: Session, workspace: Workspace) -> list[tuple[str, str, int | None]]:
    return [(e.topic, e.object_type, e.record_id) for e in events_of(session, workspace)]


class TestEmittedEvents:
    def test_creating_a_record_emits_record_created(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        company = service.create_record(
            session, workspace.id, "companies", {"name": "Acme"}, source="form", actor_id=None
        )

        [event] = events_of(session, workspace)
        assert (event.topic, event.object_type, event.record_id) == (
            outbox.RECORD_CREATED,
            "companies",
            company.id,
        )
        assert event.payload == {"source": "form", "actor_id": None}
        assert event.occurred_at == frozen_clock.now()

    def test_an_update_emits_one_property_changed_per_change(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, city="Osaka", country="Japan")
        before = len(events_of(session, workspace))

        service.update_record(
            session,
            workspace.id,
            "contacts",
            contact.id,
            {"city": "Kyoto", "country": "Japan", "job_title": "CFO"},
            source="import",
        )

        changed = events_of(session, workspace)[before:]
        assert [event.topic for event in changed] == [outbox.PROPERTY_CHANGED] * 2
        assert [event.payload for event in changed] == [
            {"property": "city", "old": "Osaka", "new": "Kyoto", "source": "import"},
            {"property": "job_title", "old": None, "new": "CFO", "source": "import"},
        ]

    def test_moving_a_deal_emits_the_stage_change_and_its_property_changes(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        deal = make_deal(session, workspace)

        service.move_deal(
            session, workspace.id, deal.id, stage_named(session, workspace, "Demo").id
        )

        assert topics(session, workspace) == [
            (outbox.RECORD_CREATED, "deals", deal.id),
            (outbox.DEAL_STAGE_CHANGED, "deals", deal.id),
            (outbox.PROPERTY_CHANGED, "deals", deal.id),
        ]

    def test_an_engagement_emits_engagement_recorded_for_the_contact(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        company = make_company(session, workspace)
        contact = make_contact(session, workspace, company_id=company.id)
        opened_at = frozen_clock.now() - timedelta(hours=2)

        event = service.record_engagement(
            session,
            workspace.id,
            contact.id,
            "email_open",
            occurred_at=opened_at,
            url="https://acme.com/offer",
        )

        emitted = events_of(session, workspace)[-1]
        assert event.company_id == company.id
        assert (emitted.topic, emitted.object_type, emitted.record_id, emitted.occurred_at) == (
            outbox.ENGAGEMENT_RECORDED,
            "contacts",
            contact.id,
            opened_at,
        )
        assert emitted.payload == {
            "event_id": event.id,
            "kind": "email_open",
            "url": "https://acme.com/offer",
        }

    def test_logging_an_activity_emits_activity_logged_with_its_links(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)
        deal = make_deal(session, workspace)

        activity = service.log_activity(
            session,
            workspace.id,
            "call",
            subject="Discovery",
            links={"contact_id": contact.id, "deal_id": deal.id},
        )

        emitted = events_of(session, workspace)[-1]
        assert (emitted.topic, emitted.object_type, emitted.record_id) == (
            outbox.ACTIVITY_LOGGED,
            "activities",
            activity.id,
        )
        assert emitted.payload == {
            "kind": "call",
            "actor_id": None,
            "contact_id": contact.id,
            "deal_id": deal.id,
        }

    def test_a_rolled_back_write_leaves_no_events(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock
    ) -> None:
        with sessions() as session, session.begin():
            workspace = ensure_workspace(session, "acme")
        baseline = self._event_count(sessions)

        with pytest.raises(RuntimeError), sessions() as session, session.begin():
            contact = make_contact(session, workspace)
            service.update_record(session, workspace.id, "contacts", contact.id, {"city": "Oslo"})
            service.record_engagement(session, workspace.id, contact.id, "page_view")
            service.log_activity(session, workspace.id, "note", links={"contact_id": contact.id})
            raise RuntimeError("the request failed after the writes")

        assert self._event_count(sessions) == baseline
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(Contact)) == 0

    def test_a_committed_write_commits_its_events(
        self, sessions: sessionmaker[Session], frozen_clock: FrozenClock
    ) -> None:
        with sessions() as session, session.begin():
            workspace = ensure_workspace(session, "acme")
            contact = make_contact(session, workspace)

        with sessions() as session:
            assert topics(session, workspace) == [(outbox.RECORD_CREATED, "contacts", contact.id)]

    @staticmethod
    def _event_count(sessions: sessionmaker[Session]) -> int:
        with sessions() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxEvent)) or 0)


class TestConsumers:
    @pytest.fixture
    def three_events(self, session: Session, workspace: Workspace) -> list[int]:
        for record_id in (1, 2, 3):
            outbox.emit(session, workspace.id, "test.event", "contacts", record_id)
        session.flush()
        return [event.id for event in outbox.read(session, "probe")]

    def test_a_consumer_reads_from_its_cursor_oldest_first(
        self, session: Session, three_events: list[int]
    ) -> None:
        first, second, third = three_events
        assert first < second < third

        outbox.acknowledge(session, "scorer", second)

        assert [event.id for event in outbox.read(session, "scorer")] == [third]

    def test_read_respects_its_limit_and_does_not_move_the_cursor(
        self, session: Session, three_events: list[int]
    ) -> None:
        assert [event.id for event in outbox.read(session, "scorer", limit=2)] == three_events[:2]
        assert [event.id for event in outbox.read(session, "scorer", limit=2)] == three_events[:2]

    def test_consumers_keep_independent_cursors(
        self, session: Session, three_events: list[int]
    ) -> None:
        outbox.acknowledge(session, "scorer", three_events[2])
        outbox.acknowledge(session, "workflows", three_events[0])

        assert list(outbox.read(session, "scorer")) == []
        assert [event.id for event in outbox.read(session, "workflows")] == three_events[1:]
        assert [event.id for event in outbox.read(session, "newcomer")] == three_events

    def test_a_cursor_never_moves_back(self, session: Session, three_events: list[int]) -> None:
        outbox.acknowledge(session, "scorer", three_events[1])
        outbox.acknowledge(session, "scorer", three_events[0])

        assert [event.id for event in outbox.read(session, "scorer")] == [three_events[2]]

    def test_events_written_after_the_cursor_are_read_next(
        self, session: Session, workspace: Workspace, three_events: list[int]
    ) -> None:
        outbox.acknowledge(session, "scorer", three_events[2])

        contact = make_contact(session, workspace)

        [event] = outbox.read(session, "scorer")
        assert (event.topic, event.record_id) == (outbox.RECORD_CREATED, contact.id)


@pytest.mark.postgres
def test_an_event_whose_transaction_commits_late_still_reaches_consumers(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    with sessions() as session, session.begin():
        workspace_id = ensure_workspace(session, "acme").id
    seen: list[int | None] = []

    def consume() -> None:
        with sessions() as session, session.begin():
            events = outbox.read(session, "consumer")
            seen.extend(event.record_id for event in events)
            if events:
                outbox.acknowledge(session, "consumer", events[-1].id)

    def fast_writer() -> None:
        with sessions() as fast, fast.begin():
            outbox.emit(fast, workspace_id, "test.event", "contacts", 2)
        fast_committed.set()

    fast_committed = threading.Event()
    with sessions() as slow, slow.begin():
        outbox.emit(slow, workspace_id, "test.event", "contacts", 1)
        slow.flush()  # the slow transaction holds the lower id and commits last
        writer = threading.Thread(target=fast_writer)
        writer.start()
        fast_committed.wait(timeout=2)  # a fix may make the fast writer wait for the slow one
        consume()
    writer.join(timeout=10)
    consume()

    assert sorted(seen, key=str) == [1, 2]


@pytest.mark.postgres
def test_two_workers_reading_one_consumer_take_turns(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    with sessions() as session, session.begin():
        workspace_id = ensure_workspace(session, "acme").id
        for record_id in range(1, 6):
            outbox.emit(session, workspace_id, "test.event", "contacts", record_id)
    seen: list[list[int | None]] = []
    first_has_read = threading.Event()

    def take_all(hold: bool) -> None:
        with sessions() as session, session.begin():
            outbox.take_turn(session, "dispatcher")
            events = outbox.read(session, "dispatcher")
            seen.append([event.record_id for event in events])
            if events:
                outbox.acknowledge(session, "dispatcher", events[-1].id)
            if hold:
                first_has_read.set()
                time.sleep(0.3)  # the second worker arrives meanwhile

    first = threading.Thread(target=take_all, args=(True,))
    first.start()
    first_has_read.wait(timeout=10)
    take_all(hold=False)
    first.join(timeout=10)

    assert seen == [[1, 2, 3, 4, 5], []]


@pytest.mark.postgres
def test_a_long_transaction_in_another_database_of_the_server_does_not_hold_readers_up(
    sessions: sessionmaker[Session], frozen_clock: FrozenClock
) -> None:
    server = make_url(backends.POSTGRES_URL)
    next_door = db.make_engine(server.set(database="postgres").render_as_string(False))
    with sessions() as session, session.begin():
        workspace_id = ensure_workspace(session, "acme").id
    try:
        with next_door.connect() as other, other.begin():
            other.execute(text("SELECT pg_current_xact_id()"))  # holds a transaction id open
            with sessions() as writer, writer.begin():
                outbox.emit(writer, workspace_id, "test.event", "contacts", 7)
            with sessions() as reader, reader.begin():
                seen = [event.record_id for event in outbox.read(reader, "consumer")]
    finally:
        next_door.dispose()

    assert seen == [7]
