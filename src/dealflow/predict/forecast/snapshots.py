"""Accuracy tracking: each period's forecasts (AI and the reps' numbers) frozen at fixed points,
graded with what closed once the period is over, so both can be compared over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.models import ForecastSnapshot
from dealflow.predict.forecast.periods import parse_period, quarter_of
from dealflow.predict.forecast.service import PeriodForecast, ScopeForecast, forecast_period
from dealflow.predict.forecast.timeline import day_number
from dealflow.predict.forecast.workspace_data import fiscal_start_month, read_workspace_deals

CHECKPOINTS = (("start", 0), ("week 2", 7), ("week 4", 21))
"""Names of the points a period's forecast is frozen at, with the days into it they begin."""


@dataclass(frozen=True)
class AccuracyLine:
    """One frozen forecast of the workspace total, graded."""

    period: str
    checkpoint: str
    ai_p50: Decimal
    submitted: Decimal | None
    actual: Decimal
    ai_error: float
    """(AI P50 - actual) / actual."""
    submitted_error: float | None
    inside_p10_p90: bool


def checkpoint_at(days_into_period: int) -> str:
    """The checkpoint a forecast taken this many days into its period belongs to."""
    return next(name for name, start in reversed(CHECKPOINTS) if days_into_period >= start)


def freeze_forecast(
    session: Session, workspace_id: int, *, now: datetime, runs: int = 2000
) -> list[ForecastSnapshot]:
    """Freeze the current quarter's forecast (total, teams, reps) at its current checkpoint;
    nothing when that checkpoint is already frozen."""
    period = quarter_of(now.date(), fiscal_start_month(session, workspace_id))
    checkpoint = checkpoint_at((now.date() - period.start).days)
    frozen = session.scalar(
        select(ForecastSnapshot.id).where(
            ForecastSnapshot.workspace_id == workspace_id,
            ForecastSnapshot.period == period.label,
            ForecastSnapshot.checkpoint == checkpoint,
        )
    )
    if frozen is not None:
        return []
    forecast = forecast_period(session, workspace_id, now=now, period=period.label, runs=runs)
    rows = [_snapshot(workspace_id, forecast, checkpoint, row, now) for row in _rows(forecast)]
    session.add_all(rows)
    session.flush()
    return rows


def grade_closed_periods(session: Session, workspace_id: int, *, now: datetime) -> int:
    """Record the actual revenue on every snapshot of a period that has ended; how many."""
    pending = session.scalars(
        select(ForecastSnapshot).where(
            ForecastSnapshot.workspace_id == workspace_id, ForecastSnapshot.actual.is_(None)
        )
    ).all()
    fiscal = fiscal_start_month(session, workspace_id)
    ended = [s for s in pending if parse_period(s.period, fiscal).end <= now.date()]
    if not ended:
        return 0
    data = read_workspace_deals(session, workspace_id)
    for snapshot in ended:
        period = parse_period(snapshot.period, fiscal)
        won = data.timeline.won_between(day_number(period.start), day_number(period.end))
        if snapshot.scope == "rep":
            won &= data.timeline.owner == snapshot.scope_id
        elif snapshot.scope == "team":
            won &= data.team == snapshot.scope_id
        actual = float(np.nan_to_num(data.timeline.amount[won]).sum())
        snapshot.actual = _money(actual)
        snapshot.graded_at = now
    session.flush()
    return len(ended)


def accuracy_history(session: Session, workspace_id: int) -> list[AccuracyLine]:
    """The graded forecasts of the workspace total, oldest period first."""
    graded: Sequence[ForecastSnapshot] = session.scalars(
        select(ForecastSnapshot)
        .where(
            ForecastSnapshot.workspace_id == workspace_id,
            ForecastSnapshot.scope == "total",
            ForecastSnapshot.actual.is_not(None),
        )
        .order_by(ForecastSnapshot.period, ForecastSnapshot.taken_at)
    ).all()
    lines = []
    for row in graded:
        actual = row.actual or Decimal(0)
        lines.append(
            AccuracyLine(
                period=row.period,
                checkpoint=row.checkpoint,
                ai_p50=row.p50,
                submitted=row.submitted,
                actual=actual,
                ai_error=_error(row.p50, actual),
                submitted_error=_error(row.submitted, actual)
                if row.submitted is not None
                else None,
                inside_p10_p90=row.p10 <= actual <= row.p90,
            )
        )
    return lines


def _rows(forecast: PeriodForecast) -> list[ScopeForecast]:
    return [forecast.total, *forecast.teams, *forecast.reps]


def _snapshot(
    workspace_id: int, forecast: PeriodForecast, checkpoint: str, row: ScopeForecast, now: datetime
) -> ForecastSnapshot:
    return ForecastSnapshot(
        workspace_id=workspace_id,
        period=forecast.period.label,
        checkpoint=checkpoint,
        scope=row.scope,
        scope_id=row.scope_id,
        taken_at=now,
        p10=_money(row.ai.p10),
        p50=_money(row.ai.p50),
        p90=_money(row.ai.p90),
        weighted_pipeline=_money(row.weighted_pipeline),
        submitted=_money(row.submitted) if row.submitted is not None else None,
    )


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _error(forecast: Decimal, actual: Decimal) -> float:
    return float((forecast - actual) / actual) if actual else float("nan")
