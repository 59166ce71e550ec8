"""Inquiry classification: a workspace's labels, what the classifier said about each
inquiry, and the labels people gave (training data and corrections)."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class InquiryLabel(WorkspaceMixin, Base):
    """One label inquiries are sorted into; its description drives zero-shot labelling."""

    __tablename__ = "inquiry_labels"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "name"))

    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    is_sales: Mapped[bool] = mapped_column(default=False)
    """A sales opportunity (as opposed to support or other), for the coarse view."""
    created_at: Mapped[datetime]


class InquiryClassification(WorkspaceMixin, Base):
    """The label the classifier gave one inquiry (a ticket, or a contact's form message)."""

    __tablename__ = "inquiry_classifications"
    __table_args__ = sqlite_args(
        Index("ix_inquiry_classifications_record", "workspace_id", "object_type", "record_id"),
    )

    object_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(RecordId)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(60))
    confidence: Mapped[float]
    method: Mapped[str] = mapped_column(String(20))  # "model" or "zero_shot"
    model_version: Mapped[int | None]
    classified_at: Mapped[datetime]


class InquiryFeedback(WorkspaceMixin, Base):
    """A label a person gave an inquiry: labelled training data, or a correction of the
    classifier (kept, and learned from at the next training)."""

    __tablename__ = "inquiry_feedback"
    __table_args__ = sqlite_args(
        Index("ix_inquiry_feedback_record", "workspace_id", "object_type", "record_id"),
    )

    object_type: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(RecordId)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(60))
    corrects_id: Mapped[int | None] = mapped_column(
        RecordId, ForeignKey("inquiry_classifications.id", ondelete="SET NULL")
    )
    given_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    given_at: Mapped[datetime]


class InquiryModel(WorkspaceMixin, Base):
    """One trained inquiry classifier of a workspace: what it learned from, its bytes."""

    __tablename__ = "inquiry_models"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "version"))

    version: Mapped[int]
    trained_at: Mapped[datetime]
    embedder: Mapped[str] = mapped_column(String(80))
    labels: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    """Training inquiries per label."""
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    artefact: Mapped[bytes] = mapped_column(LargeBinary)
