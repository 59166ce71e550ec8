"""What happened with a record: activities people log and engagement events contacts cause."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, RecordId, WorkspaceMixin, sqlite_args


class Activity(WorkspaceMixin, Base):
    """An email, call, meeting, note or task, logged against contacts, companies, deals, tickets."""

    __tablename__ = "activities"
    __table_args__ = sqlite_args(
        Index("ix_activities_contact_time", "contact_id", "occurred_at"),
        Index("ix_activities_deal_time", "deal_id", "occurred_at"),
        Index(
            "ix_activities_workspace_kind_time_contact",
            "workspace_id",
            "kind",
            "occurred_at",
            "contact_id",  # scoring's behaviour reads: no row read per event for its contact
        ),
        Index("ix_activities_owner_kind_status", "owner_id", "kind", "status", "due_at"),
    )

    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(String(10))
    occurred_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    status: Mapped[str | None] = mapped_column(String(20))
    completed_at: Mapped[datetime | None]
    duration_seconds: Mapped[int | None]
    contact_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("contacts.id"))
    company_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("companies.id"))
    deal_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("deals.id"))
    ticket_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("tickets.id"))
    owner_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    created_at: Mapped[datetime]


class EngagementEvent(WorkspaceMixin, Base):
    """A contact's behaviour: page view, email open/click/reply, form, event, social interaction."""

    __tablename__ = "engagement_events"
    __table_args__ = sqlite_args(
        Index("ix_engagement_contact_time", "contact_id", "occurred_at"),
        Index(
            "ix_engagement_workspace_kind_time_contact",
            "workspace_id",
            "kind",
            "occurred_at",
            "contact_id",  # scoring's behaviour reads: no row read per event for its contact
        ),
    )

    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime]
    contact_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("contacts.id"))
    company_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("companies.id"))
    url: Mapped[str | None] = mapped_column(String(2000))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
