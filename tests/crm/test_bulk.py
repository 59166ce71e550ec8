"""Bulk writes: many rows at once, with the same ids, events and history single writes give."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.crm import history, outbox
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.history import Change
from dealflow.models import Contact, Deal, Workspace
from tests.factories import events_of, make_contact, stage_named

CONTACTS: Table = Contact.__table__  # type: ignore[assignment]
DEALS: Table = Deal.__table__  # type: ignore[assignment]


def contact_rows(count: int, at: datetime, prefix: str = "bulk") -> list[dict[str, Any]]:
    return [
        {
            "first_name": f"{prefix} {n}",
            "email": f"{prefix}{n}@example.com",
            "lifecycle_stage": "lead",
            "do_not_email": False,
            "do_not_call": False,
            "properties": {},
            "created_at": at,
            "updated_at": at,
        }
        for n in range(count)
    ]


class TestIds:
    def test_bulk_and_single_inserts_never_share_an_id(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        writer = BulkWriter(session, workspace.id, source="import")
        now = frozen_clock.now()

        first = make_contact(session, workspace).id
        batch = writer.insert(CONTACTS, contact_rows(3, now, "a"))
        single = make_contact(session, workspace).id
        second_batch = writer.insert(CONTACTS, contact_rows(3, now, "b"))

        ids = [first, *batch, single, *second_batch]
        assert ids == sorted(set(ids))
        stored = session.scalars(
            select(Contact.id).where(Contact.workspace_id == workspace.id).order_by(Contact.id)
        ).all()
        assert stored == ids

    def test_events_written_in_bulk_and_singly_keep_increasing_ids(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        writer = BulkWriter(session, workspace.id, source="import")
        now = frozen_clock.now()

        writer.insert(CONTACTS, contact_rows(2, now, "a"), emit_created="contacts")
        make_contact(session, workspace)
        writer.insert(CONTACTS, contact_rows(2, now, "b"), emit_created="contacts")
        session.flush()

        ids = [event.id for event in events_of(session, workspace, outbox.RECORD_CREATED)]
        assert len(ids) == 5
        assert ids == sorted(set(ids))


class TestRows:
    def test_each_value_lands_in_its_column_whatever_the_key_order(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        [first, second] = contact_rows(2, frozen_clock.now())
        second = dict(reversed(list(second.items())))

        ids = BulkWriter(session, workspace.id, "import").insert(CONTACTS, [first, second])

        stored = session.execute(
            select(Contact.first_name, Contact.email)
            .where(Contact.id.in_(ids))
            .order_by(Contact.id)
        ).all()
        assert [tuple(row) for row in stored] == [
            ("bulk 0", "bulk0@example.com"),
            ("bulk 1", "bulk1@example.com"),
        ]

    def test_typed_values_survive_the_bulk_path(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        won = stage_named(session, workspace, "Closed won")
        closed = datetime(2026, 3, 2, 18, 30, tzinfo=timezone(timedelta(hours=9)))
        row = {
            "name": "Bulk deal",
            "amount": Decimal("1234.50"),
            "currency": "EUR",
            "close_date": date(2026, 3, 31),
            "pipeline_id": won.pipeline_id,
            "stage_id": won.id,
            "closed_at": closed,
            "properties": {"region": "EMEA", "seats": 12},
            "created_at": frozen_clock.now(),
            "updated_at": frozen_clock.now(),
        }

        [deal_id] = BulkWriter(session, workspace.id, "import").insert(DEALS, [row])

        deal = session.get(Deal, deal_id)
        assert deal is not None
        assert (deal.amount, deal.close_date, deal.properties) == (
            Decimal("1234.50"),
            date(2026, 3, 31),
            {"region": "EMEA", "seats": 12},
        )
        assert deal.closed_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
        assert deal.workspace_id == workspace.id


class TestColumns:
    def test_columns_and_constants_land_as_given(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        at = frozen_clock.now()
        columns = {
            "email": ["a@example.com", "b@example.com", "c@example.com"],
            "first_name": ["Ada", None, "Ken"],
            "score": [7, None, 2**31 - 1],
            "properties": [{"seats": 3, "tags": ["é", "x"]}, {}, {"seats": 1.5}],
        }
        constants = {"lifecycle_stage": "lead", "do_not_email": True, "do_not_call": False}
        constants |= {"created_at": at, "updated_at": at}

        ids = BulkWriter(session, workspace.id, "import").insert_columns(
            CONTACTS, 3, columns, constants, emit_created="contacts"
        )

        stored = session.execute(
            select(
                Contact.email, Contact.first_name, Contact.score, Contact.properties,
                Contact.do_not_email, Contact.created_at,
            ).where(Contact.id.in_(ids)).order_by(Contact.id)
        ).all()  # fmt: skip
        assert [tuple(row) for row in stored] == [
            ("a@example.com", "Ada", 7, {"seats": 3, "tags": ["é", "x"]}, True, at),
            ("b@example.com", None, None, {}, True, at),
            ("c@example.com", "Ken", 2**31 - 1, {"seats": 1.5}, True, at),
        ]
        assert len(events_of(session, workspace, outbox.RECORD_CREATED)) == 3

    @pytest.mark.postgres
    def test_a_number_beyond_its_column_is_refused_not_wrapped_around(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        at = frozen_clock.now()
        columns = {"email": ["big@example.com"], "score": [2**40]}
        constants = {"lifecycle_stage": "lead", "do_not_email": False, "do_not_call": False}
        constants |= {"properties": {}, "created_at": at, "updated_at": at}

        import psycopg  # the PostgreSQL extra's driver

        with pytest.raises(psycopg.DataError, match="out of range"), session.begin_nested():
            BulkWriter(session, workspace.id, "import").insert_columns(
                CONTACTS, 1, columns, constants
            )

        assert session.scalar(select(Contact.id).where(Contact.score.is_not(None))) is None


class TestEventsAndHistory:
    def test_every_row_gets_its_record_created_event(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        times = [frozen_clock.now() - timedelta(days=n) for n in range(3)]

        rows = [
            {**row, "created_at": at, "updated_at": at}
            for row, at in zip(contact_rows(3, frozen_clock.now()), times, strict=True)
        ]

        ids = BulkWriter(session, workspace.id, source="hubspot").insert(
            CONTACTS, rows, emit_created="contacts"
        )

        created = events_of(session, workspace, outbox.RECORD_CREATED)
        assert [(e.object_type, e.record_id, e.occurred_at) for e in created] == [
            ("contacts", record_id, at) for record_id, at in zip(ids, times, strict=True)
        ]
        assert {tuple(e.payload.items()) for e in created} == {(("source", "hubspot"),)}

    def test_rows_without_emit_created_emit_nothing(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        BulkWriter(session, workspace.id, "seed").insert(
            CONTACTS, contact_rows(2, frozen_clock.now())
        )

        assert events_of(session, workspace, outbox.RECORD_CREATED) == []

    def test_changes_are_kept_as_history_with_their_events(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace, city="Oslo")
        at = frozen_clock.now() - timedelta(days=7)

        BulkWriter(session, workspace.id, source="import").changes(
            "contacts", [(contact.id, Change("city", "Bergen", "Oslo"), at)]
        )

        [change] = history.history_of(session, workspace.id, "contacts", contact.id)
        assert (change.property, change.old_value, change.new_value, change.changed_at) == (
            "city",
            "Bergen",
            "Oslo",
            at,
        )
        assert change.source == "import"
        assert (
            history.value_as_of(
                session,
                workspace.id,
                "contacts",
                contact.id,
                "city",
                at - timedelta(days=1),
                "Oslo",
            )
            == "Bergen"
        )
        [event] = events_of(session, workspace, outbox.PROPERTY_CHANGED)
        assert (event.record_id, event.occurred_at, event.payload) == (
            contact.id,
            at,
            {"property": "city", "old": "Bergen", "new": "Oslo", "source": "import"},
        )

    def test_replayed_history_emits_no_events(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)
        at = frozen_clock.now() - timedelta(days=30)

        BulkWriter(session, workspace.id, source="import").changes(
            "contacts",
            [
                (contact.id, Change("lifecycle_stage", "subscriber", "lead"), at),
                (contact.id, Change("amount", Decimal("10"), Decimal("12.50")), at),
            ],
            emit=False,
        )

        assert [
            (c.property, c.old_value, c.new_value)
            for c in history.history_of(session, workspace.id, "contacts", contact.id)
        ] == [("lifecycle_stage", "subscriber", "lead"), ("amount", "10", "12.50")]
        assert events_of(session, workspace, outbox.PROPERTY_CHANGED) == []

    def test_values_that_compare_equal_keep_their_own_json_type(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        contact = make_contact(session, workspace)
        at = frozen_clock.now()

        BulkWriter(session, workspace.id, source="import").changes(
            "contacts",
            [
                (contact.id, Change("do_not_email", False, True), at),
                (contact.id, Change("seats", 0, 1), at),
            ],
            emit=False,
        )

        stored = history.history_of(session, workspace.id, "contacts", contact.id)
        assert [(repr(c.old_value), repr(c.new_value)) for c in stored] == [
            ("False", "True"),
            ("0", "1"),
        ]
