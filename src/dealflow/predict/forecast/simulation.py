"""The Monte Carlo behind the AI forecast: each run draws which open deals are won inside the
period, and one shared "how the month runs" factor, then sums revenue per rep, team, workspace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from dealflow.predict.timeline import Floats, Ints

RUNS = 2000
BATCH = 250
"""Runs drawn at once: bounds memory to BATCH x deals booleans."""


@dataclass(frozen=True)
class Distribution:
    """Percentiles of a simulated revenue total."""

    p10: float
    p50: float
    p90: float
    mean: float


@dataclass(frozen=True)
class Level:
    """A way of grouping deals (by rep, by team, the whole workspace): each deal's group index,
    and per group the revenue already won and the expected revenue of deals not yet created."""

    groups: Ints
    won_so_far: Floats
    new_revenue: Floats


def simulate(
    chances: Floats,
    amounts: Floats,
    levels: Mapping[str, Level],
    *,
    spread: float,
    runs: int = RUNS,
    seed: int = 0,
) -> dict[str, list[Distribution]]:
    """Per level, the distribution of each group's period revenue."""
    rng = np.random.default_rng(seed)
    # Revenue per group is one matrix product: wins (runs x deals) times amount-by-group.
    weights = {
        name: _indicator(level.groups, len(level.won_so_far)) * amounts[:, None]
        for name, level in levels.items()
    }
    chances32 = chances.astype(np.float32)
    totals = {name: np.zeros((runs, len(level.won_so_far))) for name, level in levels.items()}
    for first in range(0, runs, BATCH):
        size = min(BATCH, runs - first)
        shock = np.exp(spread * rng.standard_normal(size) - spread**2 / 2)
        draws = rng.random((size, len(chances)), dtype=np.float32)
        won = (draws < chances32[None, :] * shock[:, None].astype(np.float32)).astype(np.float32)
        for name, level in levels.items():
            totals[name][first : first + size] = (
                won @ weights[name]
                + level.won_so_far[None, :]
                + shock[:, None] * level.new_revenue[None, :]
            )
    return {name: _percentiles(values) for name, values in totals.items()}


def _indicator(groups: Ints, count: int) -> Floats:
    matrix = np.zeros((len(groups), count), dtype=np.float32)
    matrix[np.arange(len(groups)), groups] = 1.0
    return matrix


def _percentiles(values: Floats) -> list[Distribution]:
    p10, p50, p90 = np.percentile(values, [10, 50, 90], axis=0)
    means = values.mean(axis=0)
    return [
        Distribution(float(a), float(b), float(c), float(d))
        for a, b, c, d in zip(p10, p50, p90, means, strict=True)
    ]
