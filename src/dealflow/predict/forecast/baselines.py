"""The classic forecasts the AI is graded against: weighted pipeline (open amount x the stage's
win rate learned from history), last period's revenue, and the run rate of recent periods."""

from __future__ import annotations

import numpy as np

from dealflow.predict.forecast.timeline import DealTimeline, Snapshot
from dealflow.predict.timeline import Floats

RUN_RATE_PERIODS = 3


def learned_stage_probabilities(
    timeline: DealTimeline, snapshots: list[Snapshot], cutoff: float
) -> dict[object, float]:
    """Per stage, the share of deals open in it at past snapshots that were won, among those
    whose outcome was known by ``cutoff``."""
    known = np.isfinite(timeline.closed) & (timeline.closed < cutoff)
    wins: dict[object, float] = {}
    counts: dict[object, float] = {}
    for snapshot in snapshots:
        chosen = snapshot.open & known
        for stage, won in zip(snapshot.stage[chosen], timeline.won[chosen], strict=True):
            wins[stage] = wins.get(stage, 0.0) + float(won)
            counts[stage] = counts.get(stage, 0.0) + 1.0
    overall = sum(wins.values()) / max(sum(counts.values()), 1.0)
    probabilities = {stage: wins[stage] / counts[stage] for stage in counts}
    probabilities[None] = overall
    return probabilities


def weighted_pipeline(snapshot: Snapshot, probabilities: dict[object, float]) -> float:
    """Open amount times each deal's stage probability (whatever its timing)."""
    weights = np.array(
        [probabilities.get(stage, probabilities[None]) for stage in snapshot.stage[snapshot.open]]
    )
    return float((snapshot.amount[snapshot.open] * weights).sum())


def naive(past_revenue: Floats) -> float:
    """Last period's revenue."""
    return float(past_revenue[-1]) if len(past_revenue) else 0.0


def run_rate(past_revenue: Floats, periods: int = RUN_RATE_PERIODS) -> float:
    """Mean revenue of the last ``periods`` periods."""
    return float(np.mean(past_revenue[-periods:])) if len(past_revenue) else 0.0
