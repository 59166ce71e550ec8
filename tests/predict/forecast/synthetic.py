"""Deal timelines drawn from a known truth: constant monthly win and loss hazards, steady
arrivals, log-normal amounts. The model should find the truth; tests check it does."""

from __future__ import annotations

from datetime import date

import numpy as np

from dealflow.predict.forecast.timeline import DealTimeline, day_number

START = day_number(date(2024, 1, 1))
MONTH = 30.4375


def synthetic_timeline(
    *,
    months: int = 18,
    deals_per_month: int = 80,
    win_hazard: float = 0.15,
    loss_hazard: float = 0.10,
    seed: int = 0,
) -> DealTimeline:
    """Deals created uniformly over ``months``; each closes after an exponential time and is
    won with probability win/(win+loss); facts end at the last day."""
    rng = np.random.default_rng(seed)
    end = START + months * MONTH
    count = rng.poisson(deals_per_month * months)
    created = np.floor(rng.uniform(START, end, count))
    closes_after = rng.exponential(MONTH / (win_hazard + loss_hazard), count)
    closed = np.floor(created + closes_after) + 1
    closed[closed >= end] = np.nan
    won = np.isfinite(closed) & (rng.random(count) < win_hazard / (win_hazard + loss_hazard))
    amount = np.round(rng.lognormal(8.0, 0.5, count), 2)
    order = np.argsort(created)
    return DealTimeline(
        ids=np.arange(count, dtype=np.int64),
        created=created[order],
        closed=closed[order],
        won=won[order],
        amount=amount[order],
        amount_from=created[order],
        list_amount=np.full(count, np.nan),
        product=np.full(count, None, dtype=object),
        owner=np.full(count, None, dtype=object),
    )
