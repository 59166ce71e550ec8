"""Data quality: the score measured over time, and the cleansing agent's changesets."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class QualitySnapshot(WorkspaceMixin, Base):
    """One diagnosis of a workspace: its overall score, the score of each dimension and the
    worst problems then, so the score can be followed over time."""

    __tablename__ = "quality_snapshots"
    __table_args__ = sqlite_args(
        Index("ix_quality_snapshots_workspace_time", "workspace_id", "measured_at")
    )

    measured_at: Mapped[datetime]
    score: Mapped[float]
    dimensions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)


class Changeset(WorkspaceMixin, Base):
    """The cleansing agent's proposals from one run; applied, rejected or undone as a whole
    or item by item."""

    __tablename__ = "cleanse_changesets"
    __table_args__ = sqlite_args(
        Index("ix_cleanse_changesets_workspace_time", "workspace_id", "created_at")
    )

    status: Mapped[str] = mapped_column(String(12), default="proposed")
    """proposed, applied (some or all items), rejected or undone."""
    origin: Mapped[str] = mapped_column(String(20), default="cli")
    created_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]
    undone_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    score_before: Mapped[float | None]
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ChangesetItem(WorkspaceMixin, Base):
    """One proposed change: a property set to a cleaner value, or records merged into one.
    ``journal`` keeps, once applied, every row it wrote as it was before, so undo restores
    them exactly."""

    __tablename__ = "cleanse_changeset_items"
    __table_args__ = sqlite_args()

    changeset_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("cleanse_changesets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    """normalise or merge."""
    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(RecordId)
    property: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[Any] = mapped_column(JsonDocument, nullable=True)
    new_value: Mapped[Any] = mapped_column(JsonDocument, nullable=True)
    confidence: Mapped[float]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    """proposed, applied, rejected, undone or skipped (the record changed since)."""
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    journal: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
