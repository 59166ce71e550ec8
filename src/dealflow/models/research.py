"""What the prospecting agent read about a company: one row per run, one per finding."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class ResearchRun(WorkspaceMixin, Base):
    """One research of a company's website; the newest is current, a few older ones stay."""

    __tablename__ = "research_runs"
    __table_args__ = sqlite_args(
        Index("ix_research_runs_company", "workspace_id", "company_id", "started_at"),
    )

    company_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("companies.id", ondelete="CASCADE")
    )
    contact_id: Mapped[int | None] = mapped_column(
        RecordId, ForeignKey("contacts.id", ondelete="SET NULL")
    )
    requested_by: Mapped[int | None] = mapped_column(
        RecordId, ForeignKey("users.id", ondelete="SET NULL")
    )
    start_url: Mapped[str] = mapped_column(String(2000))
    method: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    is_current: Mapped[bool] = mapped_column(default=True)
    pages: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    """Each page read: ``{url, kind, title, fetched_at, truncated}``."""
    refused: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    """Each URL not read: ``{url, reason}``."""
    set_aside: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    """Page text kept out of the findings as instructions: ``{source_url, snippet, reason}``."""


class ResearchFinding(WorkspaceMixin, Base):
    """One fact a company's website states, quoted, with its URL and when it was read."""

    __tablename__ = "research_findings"
    __table_args__ = sqlite_args(
        Index("ix_research_findings_company", "workspace_id", "company_id"),
    )

    run_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("research_runs.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("companies.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    statement: Mapped[str] = mapped_column(Text)
    snippet: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(2000))
    fetched_at: Mapped[datetime]
    method: Mapped[str] = mapped_column(String(100))
