"""Forecast submissions (the reps' and managers' numbers, history kept) and frozen snapshots of
each period's forecasts, graded against what closed."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, RecordId, WorkspaceMixin, sqlite_args
from dealflow.models.records import Money


class ForecastSubmission(WorkspaceMixin, Base):
    """A number someone put on a period: a rep for themselves, a manager for a team, or a
    manager adjusting a rep's number (``kind`` "adjustment", with a note). Never updated: the
    latest row per (period, user or team) is the current number, older rows are its history."""

    __tablename__ = "forecast_submissions"
    __table_args__ = sqlite_args(
        Index("ix_forecast_submissions_period", "workspace_id", "period", "submitted_at"),
    )

    period: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    """Whose number it is (a rep); None for a team's number."""
    team_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("teams.id"))
    """The team of a team number."""
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(12), default="submission")
    note: Mapped[str | None] = mapped_column(Text)
    submitted_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    submitted_at: Mapped[datetime]


class ForecastSnapshot(WorkspaceMixin, Base):
    """One frozen forecast of a period for a scope (workspace, team or rep) at a checkpoint
    ("start", "week 2", "week 4"), graded with the actual revenue once the period has closed."""

    __tablename__ = "forecast_snapshots"
    __table_args__ = sqlite_args(
        Index("ix_forecast_snapshots_period", "workspace_id", "period", "scope", "scope_id"),
    )

    period: Mapped[str] = mapped_column(String(10))
    checkpoint: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(10))
    scope_id: Mapped[int | None] = mapped_column(RecordId)
    taken_at: Mapped[datetime]
    p10: Mapped[Decimal] = mapped_column(Money)
    p50: Mapped[Decimal] = mapped_column(Money)
    p90: Mapped[Decimal] = mapped_column(Money)
    weighted_pipeline: Mapped[Decimal] = mapped_column(Money)
    submitted: Mapped[Decimal | None] = mapped_column(Money)
    """The reps' (or manager's) number at the checkpoint, if any."""
    actual: Mapped[Decimal | None] = mapped_column(Money)
    graded_at: Mapped[datetime | None]
