"""The transactional outbox: domain events written in the same transaction as the change."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, FetchedValue, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, IdMixin, RecordId, WorkspaceMixin, sqlite_args


class OutboxEvent(WorkspaceMixin, Base):
    """A domain event. Consumers read in (transaction_id, id) order with their own cursor.

    On PostgreSQL ``transaction_id`` is the writing transaction's id (a server default), so a
    reader can wait until every transaction that may still add older events has finished;
    ids alone are taken in write order, not commit order. SQLite runs one writer at a time,
    so there it stays empty and ids are in commit order.
    """

    __tablename__ = "outbox"
    # No index of workspace_id alone: ix_outbox_workspace_topic leads with it (a workspace's
    # cascading delete uses that one), and each index costs every bulk import's events.
    workspace_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    __table_args__ = sqlite_args(
        Index("ix_outbox_workspace_topic", "workspace_id", "topic"),
        Index("ix_outbox_read_order", "transaction_id", "id"),
    )

    topic: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int | None] = mapped_column(RecordId)
    payload: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime]
    transaction_id: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue())


class OutboxCursor(IdMixin, Base):
    """How far one consumer of the outbox has read."""

    __tablename__ = "outbox_cursors"
    __table_args__ = sqlite_args()

    consumer: Mapped[str] = mapped_column(String(100), unique=True)
    last_transaction_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_event_id: Mapped[int] = mapped_column(RecordId, default=0)
    updated_at: Mapped[datetime]
