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
    # Revenue of every group of every level is one matrix product per batch: wins (runs x
    # deals) times amount-by-group (deals x all groups side by side).
    names = list(levels)
    sizes = [len(levels[name].won_so_far) for name in names]
    weights = np.concatenate(
        [_indicator(levels[name].groups, size) for name, size in zip(names, sizes, strict=True)],
        axis=1,
    ) * amounts[:, None].astype(np.float32)
    won_so_far = np.concatenate([levels[name].won_so_far for name in names])
    new_revenue = np.concatenate([levels[name].new_revenue for name in names])
    chances32 = chances.astype(np.float32)
    totals = np.zeros((runs, len(won_so_far)))
    for first in range(0, runs, BATCH):
        size = min(BATCH, runs - first)
        shock = np.exp(spread * rng.standard_normal(size) - spread**2 / 2)
        draws = rng.random((size, len(chances)), dtype=np.float32)
        won = (draws < chances32[None, :] * shock[:, None].astype(np.float32)).astype(np.float32)
        totals[first : first + size] = (
            won @ weights + won_so_far[None, :] + shock[:, None] * new_revenue[None, :]
        )
    edges = np.cumsum([0, *sizes])
    return {
        name: _percentiles(totals[:, edges[index] : edges[index + 1]])
        for index, name in enumerate(names)
    }


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
