"""The transactional outbox: domain events written in the same transaction as the change."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, IdMixin, RecordId, WorkspaceMixin, sqlite_args


class OutboxEvent(WorkspaceMixin, Base):
    """A domain event; ``id`` grows monotonically and consumers keep their own cursor."""

    __tablename__ = "outbox"
    __table_args__ = sqlite_args(Index("ix_outbox_workspace_topic", "workspace_id", "topic"))

    topic: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int | None] = mapped_column(RecordId)
    payload: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime]


class OutboxCursor(IdMixin, Base):
    """How far one consumer of the outbox has read."""

    __tablename__ = "outbox_cursors"
    __table_args__ = sqlite_args()

    consumer: Mapped[str] = mapped_column(String(100), unique=True)
    last_event_id: Mapped[int] = mapped_column(RecordId, default=0)
    updated_at: Mapped[datetime]
