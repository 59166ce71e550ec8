"""Durable background jobs, claimed by workers under a lease."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, IdMixin, RecordId, sqlite_args


class Job(IdMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = sqlite_args(
        Index("ix_jobs_claimable", "status", "run_at"),
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
