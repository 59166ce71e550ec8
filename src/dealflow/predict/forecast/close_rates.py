"""When open deals close, learned from history: monthly win and loss hazards by stage and age.

Each past month (from the first recorded close up to the cutoff) is replayed: the deals open at
its start, by stage and age, and which of them were won or lost inside it. A deal's chance to be
won inside a window is the product of surviving each month and being won in it, its age moving
on month by month. Revenue per month position in the fiscal quarter (quarter-end pushes) and
the revenue of deals not yet created are learned from the same months. The estimator follows
scikit-learn's contract: ``fit`` stores learned attributes ending in ``_``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from dealflow.core.errors import InvalidInputError
from dealflow.predict.forecast.periods import add_months, position_in_quarter
from dealflow.predict.forecast.timeline import DealTimeline, Snapshot, day_number
from dealflow.predict.timeline import Floats, Ints

AGE_EDGES = np.array([0.0, 15, 30, 60, 90, 120, 180, 365])
"""Age buckets in days: a deal's hazard depends on how long it has been open."""
LIFETIME_MONTHS = 24
"""Months looked ahead to turn monthly hazards into the chance of ever winning."""
SIZE_PRIOR_WINS = 5.0
"""Wins' worth of evidence that deals of every size (or close date) win as often as others."""
CLOSE_DATE_CLASSES = ("none", "inside", "later", "overdue")
"""Where the rep's close date falls against a month: the classes of ``close_date_class``."""
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Month:
    """One calendar month as day numbers, with its position (1-3) in the fiscal quarter."""

    start: int
    end: int
    position: int

    @classmethod
    def holding(cls, day: float, fiscal_start_month: int) -> Month:
        first = (_EPOCH + timedelta(days=int(day))).replace(day=1)
        return cls(
            day_number(first),
            day_number(add_months(first, 1)),
            position_in_quarter(first, fiscal_start_month),
        )


@dataclass(frozen=True)
class WindowChances:
    """Per open deal: the chance to be won inside the window and to be won at all."""

    in_window: Floats
    ever: Floats

    @property
    def timing(self) -> Floats:
        """P(closes inside the window | won)."""
        return np.divide(
            self.in_window, self.ever, out=np.zeros_like(self.ever), where=self.ever > 0
        )


class CloseRates:
    """Monthly win/loss hazards by (quarter position, stage, age), the amount won per amount
    forecast, and the revenue of deals created inside a window."""

    def __init__(
        self,
        fiscal_start_month: int = 1,
        shrinkage: float = 20.0,
        recent_months: int = 6,
        half_life_months: float = 2.0,
    ) -> None:
        self.fiscal_start_month = fiscal_start_month
        self.shrinkage = shrinkage
        self.recent_months = recent_months
        self.half_life_months = half_life_months

    def fit(self, timeline: DealTimeline, cutoff: float) -> CloseRates:
        """Learn from the months of ``timeline`` that ended by day ``cutoff``."""
        months = self._history_months(timeline, cutoff)
        if not months:
            raise InvalidInputError(
                "forecast: no closed month of history before the cutoff to learn close rates from"
            )
        buckets = len(AGE_EDGES)
        self.stage_index_: dict[object, int] = {}
        rows: list[tuple[Month, Snapshot, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]] = []
        for month in months:
            snapshot = timeline.snapshot(month.start)
            won = timeline.won_between(month.start, month.end) & snapshot.open
            lost = ~timeline.won & (timeline.closed >= month.start) & (timeline.closed < month.end)
            rows.append((month, snapshot, won, lost & snapshot.open))
            for code in np.unique(snapshot.stage_codes[snapshot.open]):
                self.stage_index_.setdefault(snapshot.stage_values[code], len(self.stage_index_))
        # Axis 0: month position in the quarter (0 pools them); axis 1: stage (the last row
        # pools them); axis 2: age bucket. Each cell is shrunk towards the pooled one above it.
        shape = (4, len(self.stage_index_) + 1, buckets)
        size = int(np.prod(shape))
        exposure: Floats = np.zeros(size)
        wins: Floats = np.zeros(size)
        losses: Floats = np.zeros(size)
        for age, (month, snapshot, won, lost) in enumerate(reversed(rows)):
            # Recent months count more: close rates drift as the business changes.
            weight = 0.5 ** (age / self.half_life_months)
            stage, bucket = self._keys(snapshot)
            cells = np.ravel_multi_index(
                (np.full_like(stage, month.position), stage, bucket), shape
            )
            chosen = snapshot.open
            exposure += weight * np.bincount(cells, minlength=size)
            wins += weight * np.bincount(cells, won[chosen], minlength=size)
            losses += weight * np.bincount(cells, lost[chosen], minlength=size)
        self.win_hazard_ = self._shrunk(exposure.reshape(shape), wins.reshape(shape))
        self.loss_hazard_ = self._shrunk(exposure.reshape(shape), losses.reshape(shape))
        self.timing_factors_ = np.ones(len(CLOSE_DATE_CLASSES))
        self._learn_size_factors(rows)
        self._learn_timing_factors(rows)
        self._learn_revenue(timeline, rows)
        return self

    def chances(
        self, snapshot: Snapshot, start: float, end: float, *, lifetime: bool = True
    ) -> WindowChances:
        """Chances of the snapshot's open deals to be won in ``[start, end)`` and (with
        ``lifetime``) at all; a window starting after the snapshot counts deals closing
        before it as lost to it."""
        chosen = snapshot.open
        stage, _ = self._keys(snapshot)
        size = self._size_factor(snapshot.amount[chosen])
        expected_close = snapshot.expected_close[chosen]
        age = snapshot.age[chosen]
        surviving = np.ones(len(age))
        in_window = np.zeros(len(age))
        ever = np.zeros(len(age))
        day = min(snapshot.day, start)
        for _ in range(LIFETIME_MONTHS + 1):
            if not lifetime and day >= end:
                break
            month = Month.holding(day, self.fiscal_start_month)
            step_end: float = month.end
            for boundary in (start, end):
                if day < boundary < step_end:
                    step_end = boundary
            share = (step_end - day) / (month.end - month.start)
            bucket = np.clip(np.searchsorted(AGE_EDGES, age, side="right") - 1, 0, None)
            dated = self.timing_factors_[close_date_class(expected_close, day, step_end)]
            hazard = self.win_hazard_[month.position, stage, bucket] * size * dated
            win = np.minimum(hazard * share, 1.0)
            loss = np.minimum(self.loss_hazard_[month.position, stage, bucket] * share, 1.0 - win)
            gained = surviving * win
            ever += gained
            if start <= day < end:
                in_window += gained
            surviving *= 1.0 - win - loss
            age = age + (step_end - day)
            day = step_end
        return WindowChances(in_window, np.maximum(ever, in_window))

    def new_deal_revenue(self, start: float, end: float) -> float:
        """Expected revenue won in ``[start, end)`` from deals created inside it."""
        total, day, index = 0.0, start, 0
        while day < end:
            month = Month.holding(day, self.fiscal_start_month)
            share = (min(month.end, end) - day) / (month.end - month.start)
            lags = self.new_revenue_[month.position][: index + 1]
            total += share * float(lags.sum())
            day, index = min(month.end, end), index + 1
        return total

    def _shrunk(self, exposure: Floats, events: Floats) -> Floats:
        """Rates per (position, stage, bucket), each pulled towards its pooled parent by
        ``shrinkage`` deals' worth of evidence."""
        exposure, events = exposure.copy(), events.copy()
        exposure[:, -1], events[:, -1] = exposure[:, :-1].sum(1), events[:, :-1].sum(1)
        exposure[0], events[0] = exposure[1:].sum(0), events[1:].sum(0)
        k = self.shrinkage
        overall = events[0, -1].sum() / max(exposure[0, -1].sum(), 1.0)
        by_age = (events[0, -1] + k * overall) / (exposure[0, -1] + k)
        by_position = (events[:, -1] + k * by_age) / (exposure[:, -1] + k)
        return (events + k * by_position[:, None, :]) / (exposure + k)

    def _history_months(self, timeline: DealTimeline, cutoff: float) -> list[Month]:
        first = timeline.first_close()
        if not np.isfinite(first):
            return []
        months, month = [], Month.holding(first, self.fiscal_start_month)
        while month.end <= cutoff:
            months.append(month)
            month = Month.holding(month.end, self.fiscal_start_month)
        return months

    def _keys(self, snapshot: Snapshot) -> tuple[Ints, Ints]:
        """Each open deal's stage row (the pooled row for stages not seen in training) and
        age bucket."""
        pooled = len(self.stage_index_)
        rows = np.array(
            [self.stage_index_.get(value, pooled) for value in snapshot.stage_values],
            dtype=np.int64,
        )
        codes = snapshot.stage_codes[snapshot.open]
        stage = rows[codes] if len(rows) else codes
        ages = np.nan_to_num(snapshot.age[snapshot.open])
        bucket = np.clip(np.searchsorted(AGE_EDGES, ages, side="right") - 1, 0, None)
        return stage, bucket

    def _learn_size_factors(
        self, rows: list[tuple[Month, Snapshot, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]
    ) -> None:
        """How much more or less often small, middle and large deals (terciles of the open
        amounts) were won than their stage and age said, over the same months."""
        amounts = np.concatenate([snapshot.amount[snapshot.open] for _, snapshot, _, _ in rows])
        self.size_edges_ = np.nanquantile(amounts, [1 / 3, 2 / 3]) if len(amounts) else np.zeros(2)
        self.size_factors_ = np.ones(3)
        expected, observed = np.zeros(3), np.zeros(3)
        for month, snapshot, won, _ in rows:
            tier = np.searchsorted(self.size_edges_, snapshot.amount[snapshot.open])
            chances = self.chances(snapshot, month.start, month.end, lifetime=False).in_window
            expected += np.bincount(tier, chances, 3)
            observed += np.bincount(tier, won[snapshot.open], 3)
        prior = SIZE_PRIOR_WINS
        self.size_factors_ = (observed + prior) / (expected + prior)

    def _learn_timing_factors(
        self, rows: list[tuple[Month, Snapshot, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]
    ) -> None:
        """How much more or less often deals were won in a month when the rep's close date
        fell inside it, later, before it (overdue) or was missing: the close date as a
        feature, weighed by what history says it is worth."""
        classes = len(CLOSE_DATE_CLASSES)
        expected, observed = np.zeros(classes), np.zeros(classes)
        for month, snapshot, won, _ in rows:
            kind = close_date_class(snapshot.expected_close[snapshot.open], month.start, month.end)
            chances = self.chances(snapshot, month.start, month.end, lifetime=False).in_window
            expected += np.bincount(kind, chances, classes)
            observed += np.bincount(kind, won[snapshot.open], classes)
        self.timing_factors_ = (observed + SIZE_PRIOR_WINS) / (expected + SIZE_PRIOR_WINS)

    def _size_factor(self, amounts: Floats) -> Floats:
        factors: Floats = self.size_factors_[np.searchsorted(self.size_edges_, amounts)]
        return factors

    def _learn_revenue(
        self,
        timeline: DealTimeline,
        rows: list[tuple[Month, Snapshot, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]],
    ) -> None:
        """Amount won per amount forecast and new-deal revenue per quarter position, from the
        same months the hazards were learned on."""
        forecast_amount = won_amount = 0.0
        final = timeline.amount
        lag_revenue: dict[int, list[Floats]] = {1: [], 2: [], 3: []}
        for month, snapshot, won, _ in rows:
            actual_amounts = np.where(np.isfinite(final[won]), final[won], snapshot.amount[won])
            actual = float(actual_amounts.sum())
            forecast_amount += float(snapshot.amount[won].sum())
            won_amount += actual
            lag_revenue[month.position].append(self._revenue_by_age(timeline, month))
        self.amount_ratio_ = won_amount / forecast_amount if forecast_amount > 0 else 1.0
        recent_all = [lags for position in (1, 2, 3) for lags in lag_revenue[position]]
        fallback = np.mean(recent_all[-self.recent_months :], axis=0)
        self.new_revenue_ = {
            position: (
                np.mean([*lag_revenue[position][-2:], fallback], axis=0)
                if lag_revenue[position]
                else fallback
            )
            for position in (1, 2, 3)
        }

    def _revenue_by_age(self, timeline: DealTimeline, month: Month) -> Floats:
        """Revenue won in ``month`` from deals created in it (lag 0), the month before (1)..."""
        won = timeline.won_between(month.start, month.end)
        amounts = np.nan_to_num(timeline.amount[won])
        created = timeline.created[won]
        lags = np.zeros(3)
        start, end = month.start, month.end
        for lag in range(3):
            lags[lag] = float(amounts[(created >= start) & (created < end)].sum())
            start, end = Month.holding(start - 1, self.fiscal_start_month).start, start
        return lags


def close_date_class(expected_close: Floats, start: float, end: float) -> Ints:
    """Index into ``CLOSE_DATE_CLASSES`` of each close date against the window [start, end)."""
    kind: Ints = np.select(
        [np.isnan(expected_close), expected_close < start, expected_close < end],
        [0, 3, 1],
        default=2,
    )
    return kind
