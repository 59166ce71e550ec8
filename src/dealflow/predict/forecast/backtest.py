"""Replay history: at each month's start, forecast that month's won revenue with only the facts
known then, and grade the AI forecast and the baselines against what closed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from dealflow.core.errors import InvalidInputError
from dealflow.predict.forecast import baselines
from dealflow.predict.forecast.close_rates import Month
from dealflow.predict.forecast.forecaster import Forecaster
from dealflow.predict.forecast.simulation import Distribution, Level, simulate
from dealflow.predict.forecast.timeline import DealTimeline

BASELINES = ("weighted_pipeline", "naive", "run_rate")
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class PeriodResult:
    period: str
    actual: float
    ai: Distribution
    baselines: dict[str, float]


def backtest(
    timeline: DealTimeline,
    *,
    fiscal_start_month: int = 1,
    horizon_months: int = 1,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> list[PeriodResult]:
    """One result per monthly cutoff, from the second month with a recorded close until the
    last full window of the data: the revenue won in the ``horizon_months`` after it (1 = the
    next month, 3 = the next quarter's worth). Baselines look back over windows as long."""
    if horizon_months < 1:
        raise InvalidInputError(f"backtest horizon {horizon_months} must be 1 month or more")
    first_close = timeline.first_close()
    if not np.isfinite(first_close):
        raise InvalidInputError("backtest: the data has no closed deal to learn from")
    months = _months(timeline, fiscal_start_month)
    revenue = np.array([_won_revenue(timeline, m.start, m.end) for m in months])
    forecaster = Forecaster(timeline, fiscal_start_month)
    results = []
    for index, month in enumerate(months):
        last = index + horizon_months - 1
        if month.start <= first_close or last >= len(months):
            continue
        end = months[last].end
        if end > timeline.last_day() + 1:
            continue
        label = _label(month.start, months[last].start)
        if progress:
            progress(label)
        rates = forecaster.rates(month.start)
        recalibrated = forecaster.recalibration(month.start)
        snapshot = timeline.snapshot(month.start)
        chances = rates.chances(snapshot, month.start, end, lifetime=False)
        level = Level(
            groups=np.zeros(int(snapshot.open.sum()), dtype=np.int64),
            won_so_far=np.zeros(1),
            new_revenue=np.array([rates.new_deal_revenue(month.start, end)]) * recalibrated.level,
        )
        ai = simulate(
            chances.in_window,
            snapshot.amount[snapshot.open] * rates.amount_ratio_ * recalibrated.level,
            {"all": level},
            spread=recalibrated.spread,
            seed=seed,
        )["all"][0]
        past_snapshots = [timeline.snapshot(m.start) for m in months[:index]]
        probabilities = baselines.learned_stage_probabilities(timeline, past_snapshots, month.start)
        past = _window_sums(revenue[:index], horizon_months)
        results.append(
            PeriodResult(
                period=label,
                actual=float(revenue[index : last + 1].sum()),
                ai=ai,
                baselines={
                    "weighted_pipeline": baselines.weighted_pipeline(snapshot, probabilities),
                    "naive": baselines.naive(past),
                    "run_rate": baselines.run_rate(past),
                },
            )
        )
    return results


def summary(results: list[PeriodResult]) -> dict[str, Any]:
    """The scores in the issue's JSON shape, with each period's numbers under ``periods``."""
    actual = np.array([r.actual for r in results])
    p50 = np.array([r.ai.p50 for r in results])
    inside = [r.ai.p10 <= r.actual <= r.ai.p90 for r in results]
    return {
        "periods": [
            {"period": r.period, "actual": round(r.actual, 2), "ai": _rounded(asdict(r.ai))}
            | {name: round(value, 2) for name, value in r.baselines.items()}
            for r in results
        ],
        "ai": {
            **_errors(p50, actual),
            "coverage_p10_p90": round(float(np.mean(inside)), 4) if inside else None,
        },
        "baselines": {
            name: _errors(np.array([r.baselines[name] for r in results]), actual)
            for name in BASELINES
        },
    }


def _errors(forecast: np.ndarray, actual: np.ndarray) -> dict[str, float | None]:
    """MAPE and bias (mean signed relative error) over periods with revenue."""
    chosen = actual > 0
    if not chosen.any():
        return {"mape": None, "bias": None}
    relative = (forecast[chosen] - actual[chosen]) / actual[chosen]
    return {
        "mape": round(float(np.abs(relative).mean()), 4),
        "bias": round(float(relative.mean()), 4),
    }


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {name: round(value, 2) for name, value in values.items()}


def _label(first: float, last: float) -> str:
    start = (_EPOCH + timedelta(days=first)).strftime("%Y-%m")
    end = (_EPOCH + timedelta(days=last)).strftime("%Y-%m")
    return start if start == end else f"{start}..{end}"


def _window_sums(monthly: np.ndarray, length: int) -> np.ndarray:
    """Revenue of back-to-back windows of ``length`` months ending with the last month
    (oldest first); the oldest window is dropped when it would be incomplete."""
    count = len(monthly) // length
    if not count:
        return np.zeros(0)
    recent = monthly[len(monthly) - count * length :]
    return recent.reshape(count, length).sum(axis=1)


def _months(timeline: DealTimeline, fiscal_start_month: int) -> list[Month]:
    first = float(np.nanmin(timeline.created))
    months = [Month.holding(first, fiscal_start_month)]
    while months[-1].end <= timeline.last_day():
        months.append(Month.holding(months[-1].end, fiscal_start_month))
    return months


def _won_revenue(timeline: DealTimeline, start: float, end: float) -> float:
    won = timeline.won_between(start, end)
    return float(np.nan_to_num(timeline.amount[won]).sum())
