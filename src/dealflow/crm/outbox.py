"""Domain events, written to the outbox in the same transaction as the change they describe."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import clock
from dealflow.core.dialect import dialect_of, insert_rows
from dealflow.models import OutboxCursor, OutboxEvent

RECORD_CREATED = "record.created"
RECORD_DELETED = "record.deleted"
PROPERTY_CHANGED = "property.changed"
DEAL_STAGE_CHANGED = "deal.stage_changed"
ENGAGEMENT_RECORDED = "engagement.recorded"
ACTIVITY_LOGGED = "activity.logged"

EVENT_COLUMNS = (
    "id",
    "workspace_id",
    "topic",
    "object_type",
    "record_id",
    "payload",
    "occurred_at",
)


def emit(
    session: Session,
    workspace_id: int,
    topic: str,
    object_type: str,
    record_id: int | None,
    payload: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> None:
    """Write one event; it becomes visible to consumers when the transaction commits."""
    session.add(
        OutboxEvent(
            workspace_id=workspace_id,
            topic=topic,
            object_type=object_type,
            record_id=record_id,
            payload=payload or {},
            occurred_at=occurred_at or clock.now(),
        )
    )


def emit_all(
    session: Session,
    workspace_id: int,
    topic: str,
    object_type: str,
    events: Sequence[tuple[int | None, dict[str, Any], datetime]],
) -> None:
    """Write many events of one topic, each (record id, payload, time), with one statement."""
    if not events:
        return
    rows = [
        {
            "workspace_id": workspace_id,
            "topic": topic,
            "object_type": object_type,
            "record_id": record_id,
            "payload": payload,
            "occurred_at": occurred_at,
        }
        for record_id, payload, occurred_at in events
    ]
    insert_rows(session, OutboxEvent.__table__, rows)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Event:
    """An outbox event as consumers read it: the row's values (no ORM object per event)."""

    id: int
    workspace_id: int
    topic: str
    object_type: str
    record_id: int | None
    payload: dict[str, Any]
    occurred_at: datetime
    transaction_id: int | None


def read(session: Session, consumer: str, limit: int = 500) -> list[Event]:
    """The next events ``consumer`` has not acknowledged yet, in commit-safe order.

    On PostgreSQL only events of transactions older than every running one are returned
    (plus the reader's own, when its transaction is the oldest running): a transaction still
    open may yet commit events with lower ids, and reading past them would skip them for good
    once the cursor moves.
    """
    cursor = _cursor(session, consumer)
    position = (cursor.last_transaction_id, cursor.last_event_id) if cursor else (0, 0)
    if session.get_bind().dialect.name != "postgresql":
        # SQLite leaves transaction_id empty (one writer at a time: ids are in commit
        # order), so the order is the primary key's and the read a range of it.
        statement = _events(session).where(OutboxEvent.id > position[1])
        return _decoded(session, statement.order_by(OutboxEvent.id).limit(limit))
    # Every PostgreSQL row has its transaction_id (a server default): the order is that of
    # ix_outbox_read_order, whose range scan starts at the cursor.
    order = (OutboxEvent.transaction_id, OutboxEvent.id)
    oldest = _oldest_running_transaction()
    own: ColumnElement[int] = literal_column("pg_current_xact_id_if_assigned()::text::bigint")
    statement = _events(session).where(
        tuple_(*order) > tuple_(*position),
        or_(
            OutboxEvent.transaction_id < oldest,
            and_(OutboxEvent.transaction_id == oldest, OutboxEvent.transaction_id == own),
        ),
    )
    return _decoded(session, statement.order_by(*order).limit(limit))


def _events(session: Session) -> Select[Any]:
    """The select of events' columns, payloads as the driver returns them."""
    return select(
        OutboxEvent.id,
        OutboxEvent.workspace_id,
        OutboxEvent.topic,
        OutboxEvent.object_type,
        OutboxEvent.record_id,
        dialect_of(session).raw_json(OutboxEvent.payload).label("payload"),
        OutboxEvent.occurred_at,
        OutboxEvent.transaction_id,
    )


def _decoded(session: Session, statement: Select[Any]) -> list[Event]:
    """The events ``statement`` reads, their payloads decoded with one parse for all."""
    rows = session.execute(statement).all()
    payloads = dialect_of(session).decode_json([row.payload for row in rows])
    return [
        Event(
            row.id,
            row.workspace_id,
            row.topic,
            row.object_type,
            row.record_id,
            payload,
            row.occurred_at,
            row.transaction_id,
        )
        for row, payload in zip(rows, payloads, strict=True)
    ]


def acknowledge(session: Session, consumer: str, last_event_id: int) -> None:
    """Move ``consumer``'s cursor to the event ``last_event_id`` (it never moves back)."""
    transaction_id = session.scalar(
        select(func.coalesce(OutboxEvent.transaction_id, 0)).where(OutboxEvent.id == last_event_id)
    )
    position = (transaction_id or 0, last_event_id)
    cursor = _cursor(session, consumer)
    if cursor is None:
        session.add(
            OutboxCursor(
                consumer=consumer,
                last_transaction_id=position[0],
                last_event_id=position[1],
                updated_at=clock.now(),
            )
        )
    elif position > (cursor.last_transaction_id, cursor.last_event_id):
        cursor.last_transaction_id, cursor.last_event_id = position
        cursor.updated_at = clock.now()


BatchConsumer = Callable[[Session, int], tuple[int, int]]
"""Handles the next ``limit`` events of a consumer: returns (events read, things it made)."""


def drain(sessions: sessionmaker[Session], consume: BatchConsumer, limit: int = 500) -> int:
    """Run ``consume`` one transaction per batch until the outbox holds nothing new for it;
    returns the total it made (what a worker's loop calls)."""
    made = 0
    while True:
        with sessions() as session, session.begin():
            read, batch_made = consume(session, limit)
        made += batch_made
        if read < limit:
            return made


def take_turn(session: Session, consumer: str, *, wait: bool = True) -> bool:
    """Lock ``consumer``'s cursor until the transaction ends, so the readers of one consumer
    in several workers take turns instead of reading the same events (SQLite has one writer
    at a time anyway). With ``wait=False`` a reader whose turn it is not gets False at once
    instead of waiting (a worker then does other work meanwhile)."""
    first_cursor = {
        "consumer": consumer,
        "last_transaction_id": 0,
        "last_event_id": 0,
        "updated_at": clock.now(),
    }
    # the first reader of a new consumer creates its cursor; others wait for it
    session.execute(dialect_of(session).insert_new(OutboxCursor, "consumer", first_cursor))
    locked = session.scalar(
        select(OutboxCursor.id)
        .where(OutboxCursor.consumer == consumer)
        .with_for_update(skip_locked=not wait)
    )
    return locked is not None


def _cursor(session: Session, consumer: str) -> OutboxCursor | None:
    return session.scalar(select(OutboxCursor).where(OutboxCursor.consumer == consumer))


_OLDEST_RUNNING_HERE = """(
    SELECT least(
        pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
        pg_current_xact_id_if_assigned()::text::bigint,
        min(running::text::bigint)
    )
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running
    WHERE running::text::bigint % 4294967296 NOT IN (
        SELECT backend_xid::text::bigint FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND datname <> current_database()
    )
)"""


def _oldest_running_transaction() -> ColumnElement[int]:
    """The oldest transaction that may still commit outbox events: the oldest of those the
    statement's snapshot sees running (and the reader's own), leaving out the ones known to
    belong to another database of the server (their ``backend_xid``, 32 bits of the 64-bit
    id), which cannot write here. A long transaction next door no longer holds the reader up;
    a transaction whose database is not known (another role's, a prepared one) still counts.
    """
    return literal_column(_OLDEST_RUNNING_HERE)
