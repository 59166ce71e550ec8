"""How often different people with the same name share an address made of that name.

Random pairs almost never share ``john.smith@``, so u by random sampling makes that
agreement look like overwhelming evidence; but two John Smiths share it far more often than
two random people, and the names' own agreement already counted. The evidence of such an
address is measured against namesakes instead: pairs of records with the same names that
agree on no other field exactly (most of them different people).
"""

from __future__ import annotations

from typing import Any

import jellyfish
import numpy as np
import pandas as pd

from dealflow.crm.linkage.comparisons import (
    EMAIL_JARO_WINKLER,
    SAME_ADDRESS_FROM_NAME,
    SAME_MAILBOX_FROM_NAME,
    SIMILAR_MAILBOX_FROM_NAME,
)
from dealflow.crm.linkage.prepared import PreparedTable

SAMPLED_PAIRS = 200_000
MIN_NAMESAKE_PAIRS = 10_000
"""In a table with fewer pairs of records sharing the full name, most such pairs are one
person entered twice, not namesakes: u is left as sampled."""
MIN_PAIRS = 200
"""Fewer sampled namesake pairs with both addresses than this say too little."""
SEED = 11


def namesake_u(table: PreparedTable) -> dict[str, float] | None:
    """u of the two name-built email levels among namesakes ({label: u}), or None when the
    table has no such levels or too few namesakes to tell."""
    emails = table.of_role("email")
    last_names = table.of_role("last_name")
    if not emails or not last_names:
        return None
    email, last = emails[0].name, last_names[0].name
    names = [f.name for f in table.of_role("first_name", "last_name")]
    left, right = _namesake_pairs(table.frame, names)
    frame = table.frame
    others = [f.name for f in table.fields if f.name not in names and f.name != email]
    for other in others:
        values = frame[other].to_numpy(object)
        agree = pd.notna(values[left]) & (values[left] == values[right])
        left, right = left[~agree], right[~agree]
    address = frame[email].to_numpy(object)
    user = frame[f"{email}_user"].to_numpy(object)
    surname = frame[last].to_numpy(object)
    filled = pd.notna(address[left]) & pd.notna(address[right])
    left, right = left[filled], right[filled]
    if len(left) < MIN_PAIRS:
        return None
    built = np.array(
        [len(s) > 1 and s in u for s, u in zip(surname[left], user[left], strict=True)],
        dtype=bool,
    )
    same_address = built & (address[left] == address[right])
    same_user = built & ~same_address & (user[left] == user[right])
    rest = built & ~same_address & ~same_user
    similar = np.zeros(len(left), dtype=bool)
    similar[rest] = [
        jellyfish.jaro_winkler_similarity(a, b) >= EMAIL_JARO_WINKLER
        for a, b in zip(user[left[rest]], user[right[rest]], strict=True)
    ]
    floor = 1 / len(left)
    return {
        SAME_ADDRESS_FROM_NAME: max(float(same_address.mean()), floor),
        SAME_MAILBOX_FROM_NAME: max(float(same_user.mean()), floor),
        SIMILAR_MAILBOX_FROM_NAME: max(float(similar.mean()), floor),
    }


def apply_namesake_u(model: dict[str, Any], table: PreparedTable) -> None:
    """Sets the name-built email levels' u in ``model`` from ``namesake_u``."""
    measured = namesake_u(table)
    if not measured:
        return
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts")
            if label in measured:
                level["u_probability"] = measured[label]


def _namesake_pairs(frame: pd.DataFrame, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Up to SAMPLED_PAIRS random pairs of rows with the same (filled) ``names``, drawn
    in proportion to how many pairs each name makes."""
    filled = frame[names].notna().all(axis=1).to_numpy()
    codes = np.full(len(frame), -1, dtype=np.int64)
    codes[filled] = frame.loc[filled, names].groupby(names, sort=False).ngroup().to_numpy()
    rows = np.flatnonzero(codes >= 0)
    order = rows[np.argsort(codes[rows], kind="stable")]
    _, starts, sizes = np.unique(codes[order], return_index=True, return_counts=True)
    shared = sizes > 1
    starts, sizes = starts[shared], sizes[shared]
    if (sizes * (sizes - 1) // 2).sum() < MIN_NAMESAKE_PAIRS:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(SEED)
    weights = sizes * (sizes - 1.0)
    group = rng.choice(len(sizes), SAMPLED_PAIRS, p=weights / weights.sum())
    first = rng.integers(0, sizes[group])
    second = (first + rng.integers(1, sizes[group])) % sizes[group]
    return order[starts[group] + first], order[starts[group] + second]
