"""The CRM's main records: companies, contacts, products, deals and tickets.

Standard properties are typed columns; custom properties live in the ``properties`` JSON
column, validated against the workspace's property definitions.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import (
    Base,
    JsonDocument,
    RecordId,
    TimestampsMixin,
    WorkspaceMixin,
    sqlite_args,
)

Money = Numeric(18, 2, asdecimal=True)


class Company(WorkspaceMixin, TimestampsMixin, Base):
    __tablename__ = "companies"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "domain"),
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_companies_workspace_name", "workspace_id", "name"),
    )

    name: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(255))
    industry: Mapped[str | None] = mapped_column(String(100))
    employees: Mapped[int | None]
    annual_revenue: Mapped[Decimal | None] = mapped_column(Money)
    country: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    year_established: Mapped[int | None]
    parent_company_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("companies.id"))
    owner_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Contact(WorkspaceMixin, TimestampsMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "email"),
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_contacts_workspace_lifecycle", "workspace_id", "lifecycle_stage"),
        # The owner in the index: lists by score for reps and managers (owner OR shared)
        # check it there and read only the rows they keep; the id before it keeps ties of a
        # score in id order (no sort).
        Index("ix_contacts_workspace_score_owner", "workspace_id", "score", "id", "owner_id"),
        # PostgreSQL keeps NULLs last only in an index built that way (SQLite: the one above).
        Index(
            "ix_contacts_workspace_score_rank",
            "workspace_id",
            text("score DESC NULLS LAST"),
            text("id DESC"),
        ).ddl_if(dialect="postgresql"),
    )

    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    job_title: Mapped[str | None] = mapped_column(String(200))
    company_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("companies.id"), index=True)
    lifecycle_stage: Mapped[str] = mapped_column(String(20), default="lead")
    lead_status: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[str | None] = mapped_column(String(100))
    owner_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    do_not_email: Mapped[bool] = mapped_column(default=False)
    do_not_call: Mapped[bool] = mapped_column(default=False)
    external_id: Mapped[str | None] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The lead score (predict layer): probability 0-100, band A-D, reasons, the model behind it.
    score: Mapped[int | None]
    score_band: Mapped[str | None] = mapped_column(String(1))
    score_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDocument)
    score_model: Mapped[str | None] = mapped_column(String(60))
    scored_at: Mapped[datetime | None]


class Product(WorkspaceMixin, TimestampsMixin, Base):
    __tablename__ = "products"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "name"),
        UniqueConstraint("workspace_id", "external_id"),
    )

    name: Mapped[str] = mapped_column(String(200))
    series: Mapped[str | None] = mapped_column(String(100))
    price: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    external_id: Mapped[str | None] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Pipeline(WorkspaceMixin, Base):
    __tablename__ = "pipelines"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "name"))

    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class Stage(WorkspaceMixin, Base):
    """An ordered step of a pipeline, with a default win probability and a kind."""

    __tablename__ = "stages"
    __table_args__ = sqlite_args(UniqueConstraint("pipeline_id", "name"))

    pipeline_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("pipelines.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]
    probability: Mapped[float]
    kind: Mapped[str] = mapped_column(String(10), default="open")


class Deal(WorkspaceMixin, TimestampsMixin, Base):
    __tablename__ = "deals"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_deals_workspace_stage", "workspace_id", "stage_id"),
    )

    name: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    close_date: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"), index=True)
    pipeline_id: Mapped[int] = mapped_column(RecordId, ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(RecordId, ForeignKey("stages.id"))
    company_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("companies.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("products.id"))
    closed_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    forecast_category: Mapped[str | None] = mapped_column(String(12))
    """The rep's forecast category; None follows the stage (see ``predict.forecast``)."""
    # Win probability of an open deal (predict layer) and stall detection.
    win_probability: Mapped[int | None]
    win_band: Mapped[str | None] = mapped_column(String(1))
    win_reasons: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDocument)
    win_model: Mapped[str | None] = mapped_column(String(60))
    scored_at: Mapped[datetime | None]
    stalled_since: Mapped[datetime | None]


class DealContact(Base):
    """A contact involved in a deal (many-to-many), with the role they play."""

    __tablename__ = "deal_contacts"

    deal_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    workspace_id: Mapped[int] = mapped_column(RecordId, ForeignKey("workspaces.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(50))


class DealCompany(Base):
    """A company involved in a deal beyond its primary company (partners, subsidiaries)."""

    __tablename__ = "deal_companies"

    deal_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    workspace_id: Mapped[int] = mapped_column(RecordId, ForeignKey("workspaces.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(50))


class Ticket(WorkspaceMixin, TimestampsMixin, Base):
    __tablename__ = "tickets"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_tickets_workspace_status", "workspace_id", "status"),
    )

    subject: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[str] = mapped_column(String(20), default="normal")
    channel: Mapped[str | None] = mapped_column(String(30))
    contact_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("contacts.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("companies.id"))
    owner_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(200))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
