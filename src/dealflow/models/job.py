"""Durable background jobs, claimed by workers under a lease."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, IdMixin, RecordId, sqlite_args


class Job(IdMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = sqlite_args(
        # Queued jobs in the order workers claim them: a claim walks the index and stops
        # after its batch, whatever the backlog (a (status, run_at) index left every due
        # job to be sorted by priority first).
        Index(
            "ix_jobs_queued_order",
            "priority",
            "run_at",
            "id",
            postgresql_where=text("status = 'queued'"),
            sqlite_where=text("status = 'queued'"),
        ),
        Index("ix_jobs_lease", "status", "lease_expires_at"),
    )

    workspace_id: Mapped[int | None] = mapped_column(
        RecordId, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="queued")
    priority: Mapped[int] = mapped_column(default=100)
    run_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
