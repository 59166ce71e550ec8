"""Pairs of records that share a strong key: sure duplicates, found without a model."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from dealflow.crm.linkage.clusters import ScoredPair

KeyFunction = Callable[[str | None], str | None]


def shared_key_pairs(
    table: pd.DataFrame, columns: Sequence[str], key: KeyFunction, what: str
) -> list[ScoredPair]:
    """Each record paired with the first record (lowest id) whose ``key`` of any of
    ``columns`` is the same, at probability 1.0; ``what`` names the key in the reason."""
    first_holder: dict[str, int] = {}
    pairs: dict[tuple[int, int], ScoredPair] = {}
    for row in table[["id", *columns]].itertuples(index=False):
        record_id = int(row[0])
        for raw in row[1:]:
            value = key(raw if isinstance(raw, str) else None)
            if value is None:
                continue
            holder = first_holder.setdefault(value, record_id)
            if holder != record_id and (holder, record_id) not in pairs:
                reason = f"same {what} ({value})"
                pairs[(holder, record_id)] = ScoredPair(holder, record_id, 1.0, reason)
    return list(pairs.values())
