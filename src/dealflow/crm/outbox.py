"""Domain events, written to the outbox in the same transaction as the change they describe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
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


def read(session: Session, consumer: str, limit: int = 500) -> Sequence[OutboxEvent]:
    """The next events ``consumer`` has not acknowledged yet, oldest first."""
    cursor = session.scalar(select(OutboxCursor).where(OutboxCursor.consumer == consumer))
    after = cursor.last_event_id if cursor else 0
    return session.scalars(
        select(OutboxEvent).where(OutboxEvent.id > after).order_by(OutboxEvent.id).limit(limit)
    ).all()


def acknowledge(session: Session, consumer: str, last_event_id: int) -> None:
    """Move ``consumer``'s cursor to ``last_event_id`` (it never moves back)."""
    cursor = session.scalar(select(OutboxCursor).where(OutboxCursor.consumer == consumer))
    if cursor is None:
        session.add(
            OutboxCursor(consumer=consumer, last_event_id=last_event_id, updated_at=clock.now())
        )
    elif last_event_id > cursor.last_event_id:
        cursor.last_event_id = last_event_id
        cursor.updated_at = clock.now()
