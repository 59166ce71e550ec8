"""Seeded random draws beyond what ``random.Random`` offers."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate
from random import Random
from typing import Generic, TypeVar

T = TypeVar("T")

_NORMAL_APPROXIMATION_ABOVE = 30.0


def rng_for(seed: int, step: str) -> Random:
    """An independent, reproducible random stream per build step, so that changing one step
    never shifts the data of the others."""
    return Random(f"dealflow-demo/{seed}/{step}")


def logistic(x: float) -> float:
    """The logistic function: the link between hidden scores and every drawn outcome."""
    if x < -40.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def poisson(rng: Random, mean: float) -> int:
    """A Poisson count: Knuth's method for the small means used here, normal beyond."""
    if mean > _NORMAL_APPROXIMATION_ABOVE:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count, product = 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def log_uniform(rng: Random, low: float, high: float) -> float:
    """A value spread evenly across orders of magnitude (company sizes, for instance)."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


class Weighted(Generic[T]):
    """Items drawn in proportion to their weights."""

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.items = [item for item, _ in pairs]
        self._cumulative = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: Random) -> T:
        return self.items[bisect_right(self._cumulative, rng.random() * self._cumulative[-1])]
