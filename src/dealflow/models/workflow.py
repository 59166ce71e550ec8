"""Workflows: versioned definitions, the records enrolled in them, their steps and run trail."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class Workflow(WorkspaceMixin, Base):
    """A named automation of one object type; its definition lives in versions."""

    __tablename__ = "workflows"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "name"))

    name: Mapped[str] = mapped_column(String(200))
    object_type: Mapped[str] = mapped_column(String(30))
    current_version: Mapped[int] = mapped_column(default=1)
    is_enabled: Mapped[bool] = mapped_column(default=False)
    enabled_at: Mapped[datetime | None]
    """Events that happened before this moment never enrol (enabling does not replay)."""
    last_scheduled_at: Mapped[datetime | None]
    """The last schedule time a schedule-triggered workflow enrolled records for."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WorkflowVersion(Base):
    """One saved definition of a workflow; editing a workflow adds a version."""

    __tablename__ = "workflow_versions"
    __table_args__ = sqlite_args(UniqueConstraint("workflow_id", "version"))

    id: Mapped[int] = mapped_column(RecordId, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("workflows.id", ondelete="CASCADE")
    )
    version: Mapped[int]
    definition: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class Enrolment(WorkspaceMixin, Base):
    """A record going through one version of a workflow."""

    __tablename__ = "workflow_enrolments"
    __table_args__ = sqlite_args(
        Index("ix_workflow_enrolments_record", "workspace_id", "object_type", "record_id"),
        Index("ix_workflow_enrolments_workflow_record", "workflow_id", "record_id", "status"),
    )

    workflow_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("workflows.id", ondelete="CASCADE")
    )
    version: Mapped[int]
    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(RecordId)
    status: Mapped[str] = mapped_column(String(20), default="active")
    enrolment_key: Mapped[str] = mapped_column(String(200), unique=True)
    """Unique per enrolling cause, so the same event or request never enrols twice."""
    trigger: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    enrolled_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class EnrolmentStep(Base):
    """A step an enrolment completed, with what it did; unique per (enrolment, step)."""

    __tablename__ = "workflow_steps"
    __table_args__ = sqlite_args(UniqueConstraint("enrolment_id", "path"))

    id: Mapped[int] = mapped_column(RecordId, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("workflow_enrolments.id", ondelete="CASCADE")
    )
    path: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    result: Mapped[dict[str, Any]]
    finished_at: Mapped[datetime]


class TrailEntry(WorkspaceMixin, Base):
    """One line of a record's run trail, in words: why it was enrolled, what each step did."""

    __tablename__ = "workflow_trail"
    __table_args__ = sqlite_args(
        Index("ix_workflow_trail_record", "workspace_id", "object_type", "record_id", "at"),
    )

    enrolment_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("workflow_enrolments.id", ondelete="CASCADE"), index=True
    )
    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(RecordId)
    at: Mapped[datetime]
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
