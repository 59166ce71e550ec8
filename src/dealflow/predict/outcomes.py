"""Training rows: snapshots of records at past times, each with the outcome that followed.

A lead row is a contact at a cutoff time, labelled by whether it became a customer within the
horizon after it; a deal row is an open deal at a cutoff, labelled by whether it was later won.
Every row also says when its outcome became known, so evaluation can keep training labels from
reaching past the start of the test period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.models import PropertyChange
from dealflow.predict.contact_features import ContactFacts
from dealflow.predict.deal_features import DealFacts
from dealflow.predict.timeline import DAY, Ints, epoch_seconds

CLOSED_LEAD_STAGES = ("customer", "other")
"""Lifecycle stages that are no longer leads to score."""


@dataclass(frozen=True)
class TrainingRows:
    """Snapshots (record, time) with their outcome and when that outcome became known."""

    record_ids: Ints
    as_of: Ints
    known_at: Ints
    outcome: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.record_ids)

    def take(self, chosen: npt.NDArray[np.bool_] | Ints) -> TrainingRows:
        return TrainingRows(
            self.record_ids[chosen], self.as_of[chosen], self.known_at[chosen], self.outcome[chosen]
        )

    def time_split(self, test_share: float = 0.3) -> tuple[TrainingRows, TrainingRows]:
        """Train on rows whose outcome was known before the test period starts; test on the
        snapshots taken from then on (the latest ``test_share`` of snapshot times)."""
        if not len(self):
            return self, self
        start = np.quantile(self.as_of, 1.0 - test_share)
        return self.take(self.known_at <= start), self.take(self.as_of >= start)


def conversion_times(
    session: Session, workspace_id: int, stage: str = "customer"
) -> dict[int, int]:
    """When each contact first reached the lifecycle stage (epoch seconds)."""
    rows = session.execute(
        select(PropertyChange.record_id, PropertyChange.changed_at, PropertyChange.new_value)
        .where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == "contacts",
            PropertyChange.property == "lifecycle_stage",
        )
        .order_by(PropertyChange.changed_at)
    ).all()
    first: dict[int, int] = {}
    for record_id, changed_at, new_value in rows:
        if new_value == stage and record_id not in first:
            first[record_id] = int(changed_at.timestamp())
    return first


def lead_rows(
    facts: ContactFacts,
    converted_at: dict[int, int],
    *,
    now: int,
    horizon_days: int = 90,
    every_days: int = 30,
    per_cutoff: int = 4000,
    seed: int = 0,
) -> TrainingRows:
    """Open leads at monthly cutoffs, labelled by conversion within the horizon after each."""
    ids = facts.contacts.ids
    if not len(ids):
        return _empty()
    conversion = np.array([converted_at.get(int(i), np.nan) for i in ids], dtype=np.float64)
    lifecycle = facts.histories["lifecycle_stage"]
    current = facts.contacts.columns["lifecycle_stage"]
    rng = np.random.default_rng(seed)
    parts = []
    for cutoff in _cutoffs(facts.created, now - horizon_days * DAY, every_days):
        at = np.full(len(ids), cutoff, dtype=np.int64)
        stage = lifecycle.values_at(ids, at, current)
        open_lead = (facts.created <= cutoff) & ~np.isin(stage, CLOSED_LEAD_STAGES)
        chosen = np.flatnonzero(open_lead)
        if len(chosen) > per_cutoff:
            chosen = np.sort(rng.choice(chosen, per_cutoff, replace=False))
        horizon_end = cutoff + horizon_days * DAY
        won = (conversion[chosen] > cutoff) & (conversion[chosen] <= horizon_end)
        parts.append((ids[chosen], at[chosen], np.full(len(chosen), horizon_end), won))
    return _concat(parts)


def deal_rows(
    facts: DealFacts, *, now: int, every_days: int = 14, per_cutoff: int = 4000, seed: int = 0
) -> TrainingRows:
    """Deals open at fortnightly cutoffs that later closed, labelled won or lost."""
    ids = facts.deals.ids
    closed_at = epoch_seconds(facts.deals.columns["closed_at"])
    kinds = facts.stages.lookup("kind", facts.deals.columns["stage_id"])
    closed = ~np.isnan(closed_at) & np.isin(kinds, ("won", "lost"))
    rng = np.random.default_rng(seed)
    parts = []
    for cutoff in _cutoffs(facts.created[closed], now, every_days):
        open_then = closed & (facts.created <= cutoff) & (closed_at > cutoff)
        chosen = np.flatnonzero(open_then)
        if len(chosen) > per_cutoff:
            chosen = np.sort(rng.choice(chosen, per_cutoff, replace=False))
        at = np.full(len(chosen), cutoff, dtype=np.int64)
        parts.append((ids[chosen], at, closed_at[chosen].astype(np.int64), kinds[chosen] == "won"))
    return _concat(parts)


def _cutoffs(created: npt.NDArray[np.float64], last: int, every_days: int) -> list[int]:
    if not len(created):
        return []
    first = int(np.nanmin(created)) + every_days * DAY
    return list(range(first, last + 1, every_days * DAY))


def _concat(parts: list[tuple[Ints, Ints, Ints, npt.NDArray[np.bool_]]]) -> TrainingRows:
    if not parts:
        return _empty()
    return TrainingRows(*(np.concatenate([part[i] for part in parts]) for i in range(4)))


def _empty() -> TrainingRows:
    nothing = np.zeros(0, dtype=np.int64)
    return TrainingRows(nothing, nothing, nothing, np.zeros(0, dtype=bool))
