"""Deals as a timeline of facts, so any past day can be replayed with only what was known then.

Times are day numbers (days since 1970-01-01, float, NaN for "not yet"). The same structure is
read from a workspace (``workspace_timeline``) or from a pipeline file (``pipeline_file``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from dealflow.predict.timeline import DAY, Floats, Ints, Objects, ValueHistory

OPEN_STAGE = "open"
"""The stage of every open deal when the source keeps no stage history."""


def day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


@dataclass(frozen=True)
class DealTimeline:
    """Every deal's creation, close, outcome and amounts, with when each amount became known."""

    ids: Ints
    created: Floats
    closed: Floats
    """Day the deal was won or lost; NaN while open."""
    won: npt.NDArray[np.bool_]
    amount: Floats
    """The deal's amount (NaN unknown), known from day ``amount_from`` on."""
    amount_from: Floats
    list_amount: Floats
    """A price-list amount known from the start (NaN when there is none)."""
    product: Objects
    owner: Objects
    stages: ValueHistory | None = None
    """Stage history (in epoch seconds) when the source keeps one."""
    stage_now: Objects | None = None
    amounts: ValueHistory | None = None
    """Amount history (in epoch seconds) when the source keeps one; ``amount`` is current."""
    expected_close: Floats | None = None
    """The rep's close date of each deal now as a day number (NaN: none), when the source has
    close dates."""
    expected_closes: ValueHistory | None = None
    """Close date history (in epoch seconds), its old values as day numbers."""
    _snapshots: dict[float, Snapshot] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.ids)

    def snapshot(self, day: float) -> Snapshot:
        """The deals as they stood at the start of ``day``: only facts from before it."""
        if day not in self._snapshots:
            self._snapshots[day] = self._snapshot(day)
        return self._snapshots[day]

    def _snapshot(self, day: float) -> Snapshot:
        known = self.created < day
        open_now = known & ~(self.closed < day)
        return Snapshot(
            day=day,
            open=open_now,
            age=np.where(known, day - self.created, np.nan),
            amount=self._amount_at(day),
            stage=self._stage_at(day),
            expected_close=self._expected_close_at(day),
        )

    def won_between(self, start: float, end: float) -> npt.NDArray[np.bool_]:
        """Deals won on a day in ``[start, end)``."""
        return self.won & (self.closed >= start) & (self.closed < end)

    def last_day(self) -> float:
        """The last day with a recorded fact (creation or close)."""
        return float(np.nanmax(np.concatenate([self.created, self.closed, [0.0]])))

    def first_close(self) -> float:
        """The first day a close was recorded: history before it says nothing about closing."""
        return float(np.nanmin(self.closed)) if np.isfinite(self.closed).any() else np.nan

    def _amount_at(self, day: float) -> Floats:
        current = self.amount
        if self.amounts is not None:
            seconds = np.full(len(self), int(day * DAY), dtype=np.int64)
            past = self.amounts.values_at(self.ids, seconds, self.amount.astype(object))
            current = pd.to_numeric(pd.Series(past, dtype=object), errors="coerce").to_numpy(
                np.float64
            )
        known = self.amount_from < day
        amount = np.where(known & np.isfinite(current), current, self.list_amount)
        missing = ~np.isfinite(amount) & (self.created < day)
        if missing.any():
            amount = amount.copy()
            amount[missing] = self._typical_won_amount(day, missing)
        return amount

    def _typical_won_amount(self, day: float, missing: npt.NDArray[np.bool_]) -> Floats:
        """Median won amount of the same product among deals won before ``day`` (else of all
        of them, else 0): what a manager would guess for a deal without an amount."""
        won_before = self.won & (self.closed < day) & (self.amount_from < day)
        won_amounts = self.amount[won_before]
        overall = float(np.nanmedian(won_amounts)) if np.isfinite(won_amounts).any() else 0.0
        products = self.product[won_before]
        medians: dict[object, float] = {}
        for product in set(self.product[missing].tolist()):
            amounts = won_amounts[products == product]
            finite = amounts[np.isfinite(amounts)]
            medians[product] = float(np.median(finite)) if len(finite) else overall
        return np.array([medians[p] for p in self.product[missing]], dtype=np.float64)

    def _expected_close_at(self, day: float) -> Floats:
        """The close date each deal had at ``day`` as a day number; NaN without one."""
        if self.expected_close is None:
            return np.full(len(self), np.nan)
        if self.expected_closes is None:
            return self.expected_close
        seconds = np.full(len(self), int(day * DAY), dtype=np.int64)
        values = self.expected_closes.values_at(self.ids, seconds, self.expected_close)
        return np.asarray(values, dtype=np.float64)

    def _stage_at(self, day: float) -> Objects:
        if self.stage_now is None:
            return np.full(len(self), OPEN_STAGE, dtype=object)
        if self.stages is None:
            return self.stage_now
        seconds = np.full(len(self), int(day * DAY), dtype=np.int64)
        return self.stages.values_at(self.ids, seconds, self.stage_now)


@dataclass(frozen=True)
class Snapshot:
    """Deals as of one day: which were open, their age in days, amount and stage then."""

    day: float
    open: npt.NDArray[np.bool_]
    age: Floats
    amount: Floats
    stage: Objects
    expected_close: Floats
    """The rep's close date then, as a day number (NaN without one)."""
    stage_codes: Ints = field(init=False, repr=False, compare=False)
    """Each deal's index into ``stage_values``: stages compared as small integers."""
    stage_values: list[object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes, values = pd.factorize(pd.Series(self.stage, dtype=object), use_na_sentinel=False)
        object.__setattr__(self, "stage_codes", codes.astype(np.int64))
        object.__setattr__(self, "stage_values", list(values))
