"""The forecast out (the reps' numbers next to the AI's, with gap deals) and submissions in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from dealflow.api.schemas.common import Id, Input, Output


class GapDealOut(BaseModel):
    deal_id: int
    name: str
    kind: str
    """doubted_commit, left_out or unrealistic_close_date."""
    category: str
    close_date: date | None
    amount: float
    chance: float
    """The AI's chance that the deal is won inside the period."""
    contribution: float
    """How much the deal puts the rep's number above (+) or below (-) the AI's P50."""


class ScopeOut(BaseModel):
    scope: str
    """total, team or rep."""
    id: int | None
    name: str
    submitted: float | None
    commit: float
    rep_number: float
    ai_p10: float
    ai_p50: float
    ai_p90: float
    gap: float
    weighted_pipeline: float
    won_so_far: float
    gap_deals: list[GapDealOut]


class ForecastOut(BaseModel):
    period: str
    start: date
    end: date
    as_of: datetime
    probability_source: str
    total: ScopeOut
    teams: list[ScopeOut]
    reps: list[ScopeOut]


class SubmissionIn(Input):
    """Your number for a period; a manager may give ``user_id`` (with a ``note``) to adjust a
    rep's number, or ``team_id`` for the team's own number."""

    period: str = Field(examples=["2026-Q4", "2026-11"], max_length=10)
    amount: Decimal = Field(ge=0, max_digits=18, decimal_places=2, strict=False)
    """A number or a numeric string; kept to the cent."""
    user_id: Id | None = None
    team_id: Id | None = None
    note: str | None = Field(default=None, max_length=2000)


class SubmissionOut(Output):
    id: int
    period: str
    user_id: int | None
    team_id: int | None
    amount: Decimal
    kind: str
    note: str | None
    submitted_by: int | None
    submitted_at: datetime
