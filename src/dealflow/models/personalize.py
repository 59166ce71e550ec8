"""Personalised messages: segments (dynamic contact lists with a message template), a
workspace's tone guidelines, and drafts waiting in the review queue."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class Segment(WorkspaceMixin, Base):
    """A dynamic list of contacts: a filter evaluated on demand, and its message template."""

    __tablename__ = "segments"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "name"))

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    filter: Mapped[dict[str, Any]]
    templates: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Message templates by language: ``{"en": {"subject": ..., "body": ...}}``."""
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ToneGuide(WorkspaceMixin, Base):
    """A workspace's rules for every draft: formality, banned phrases, required parts,
    length and sign-off."""

    __tablename__ = "tone_guides"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id"))

    formality: Mapped[str] = mapped_column(String(10), default="formal")
    banned_phrases: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    required: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    max_words: Mapped[int] = mapped_column(default=180)
    sign_off: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime]


class Draft(WorkspaceMixin, Base):
    """An email drafted for a contact, with the facts it may state, its tone and grounding
    reports, and what a person decided (approve, edit then approve, reject with a reason)."""

    __tablename__ = "drafts"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "idempotency_key"),
        Index("ix_drafts_workspace_status_created", "workspace_id", "status", "created_at"),
    )

    contact_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    deal_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("deals.id"))
    segment_id: Mapped[int | None] = mapped_column(
        RecordId, ForeignKey("segments.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"), index=True)
    """The rep the draft is for (the contact's owner when it was drafted)."""
    generator: Mapped[str] = mapped_column(String(20))
    model: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    drafted_subject: Mapped[str] = mapped_column(String(500))
    drafted_body: Mapped[str] = mapped_column(Text)
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    tone_report: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    grounding_report: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    source: Mapped[str] = mapped_column(String(20), default="cli")
    workflow_id: Mapped[int | None] = mapped_column(
        RecordId, ForeignKey("workflows.id", ondelete="SET NULL")
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    cost: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime]
    reviewed_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    edited: Mapped[bool] = mapped_column(default=False)
    edit_diff: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
