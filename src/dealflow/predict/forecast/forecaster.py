"""The AI forecast's engine: close rates learned as of any cutoff, recalibrated by how its own
forecasts of the last months (made with what was known then) compared with what closed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dealflow.predict.forecast.close_rates import CloseRates, Month
from dealflow.predict.forecast.timeline import DealTimeline

RECALIBRATION_MONTHS = 6
PRIOR_SPREAD = 0.3
"""Month-to-month spread (log scale) assumed before any month has been graded."""
PRIOR_WEIGHT = 2.0
"""How many graded months the prior spread is worth."""
ERROR_LIMIT = 1.0
"""Log errors are clipped to +-1 (a factor of e) first: one freak month (a ramp-up, a single
huge deal) must not swing the level or the spread of the next ones."""


@dataclass(frozen=True)
class Recalibration:
    """A level factor for the forecast (1 = trust it as is) and the spread of a month's
    revenue around it (standard deviation of log actual/forecast)."""

    level: float
    spread: float
    months: int


def recalibration(log_errors: Sequence[float]) -> Recalibration:
    """From log(actual / forecast) of recent months: the mean error, shrunk towards none by
    one month of evidence, and the predictive spread, shrunk towards ``PRIOR_SPREAD``."""
    errors = np.clip(np.asarray(log_errors, dtype=np.float64), -ERROR_LIMIT, ERROR_LIMIT)
    count = len(errors)
    level = math.exp(errors.sum() / (count + 1))
    scatter = float(((errors - errors.mean()) ** 2).sum()) if count else 0.0
    variance = (scatter + PRIOR_WEIGHT * PRIOR_SPREAD**2) / (count + PRIOR_WEIGHT)
    # A new month varies around the true level, and the level itself is only estimated.
    spread = math.sqrt(variance * (1 + 1 / (count + 1)))
    return Recalibration(level, spread, count)


class Forecaster:
    """Close rates of one timeline as of any cutoff (each fitted once), and the recalibration
    of the forecast at a cutoff from the months just before it."""

    def __init__(self, timeline: DealTimeline, fiscal_start_month: int = 1) -> None:
        self.timeline = timeline
        self.fiscal_start_month = fiscal_start_month
        self._rates: dict[float, CloseRates] = {}
        self._expected: dict[float, float] = {}

    def rates(self, cutoff: float) -> CloseRates:
        if cutoff not in self._rates:
            self._rates[cutoff] = CloseRates(self.fiscal_start_month).fit(self.timeline, cutoff)
        return self._rates[cutoff]

    def expected(self, month: Month) -> float:
        """The forecast's expected revenue for ``month``, made at its start."""
        if month.start not in self._expected:
            rates = self.rates(month.start)
            snapshot = self.timeline.snapshot(month.start)
            chances = rates.chances(snapshot, month.start, month.end, lifetime=False)
            open_part = float((chances.in_window * snapshot.amount[snapshot.open]).sum())
            self._expected[month.start] = open_part * rates.amount_ratio_ + rates.new_deal_revenue(
                month.start, month.end
            )
        return self._expected[month.start]

    def recalibration(self, cutoff: float) -> Recalibration:
        """Graded on the last ``RECALIBRATION_MONTHS`` months that ended by ``cutoff`` and had
        a month of history before them."""
        first_close = self.timeline.first_close()
        if not np.isfinite(first_close):
            return recalibration([])
        earliest = Month.holding(first_close, self.fiscal_start_month).end
        months: list[Month] = []
        month = Month.holding(cutoff - 1, self.fiscal_start_month)
        while month.start >= earliest and len(months) < RECALIBRATION_MONTHS:
            if month.end <= cutoff:
                months.append(month)
            month = Month.holding(month.start - 1, self.fiscal_start_month)
        errors = []
        for month in reversed(months):
            won = self.timeline.won_between(month.start, month.end)
            actual = float(np.nan_to_num(self.timeline.amount[won]).sum())
            expected = self.expected(month)
            if actual > 0 and expected > 0:
                errors.append(math.log(actual / expected))
        return recalibration(errors)
