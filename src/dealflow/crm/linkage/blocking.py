"""Which record pairs are compared at all: blocking rules chosen from the table itself.

Each field offers keys (its cleaned value, a phonetic code, its rare words...). A rule
pairs records that share one key, or two keys of different fields when one alone would pair
too many. Rules are kept while their pairs fit a budget that grows with the table, so a
million rows are compared in minutes and a thousand rows are compared generously.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from splink import block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from dealflow.crm.linkage.prepared import PreparedTable

RULE_PAIRS_PER_RECORD = 3.0
TOTAL_PAIRS_PER_RECORD = 12.0
MIN_RULE_PAIRS = 50_000
MAX_RULES = 10
KEY_SUFFIXES: dict[str, tuple[str, ...]] = {
    "first_name": ("", "_ph", "_init"),
    "last_name": ("", "_ph", "_init"),
    "name": ("_sorted", "_rare"),
    "date": ("", "_year"),
    "email": ("", "_user"),
    "phone": ("", "_local"),
    "website": ("",),
    "address": ("_rare", "_num"),
    "street_number": ("",),
    "city": ("",),
    "postcode": ("",),
    "identifier": ("",),
    "string": ("",),
    "category": ("",),
}
COARSER_SUFFIXES = ("_ph", "_init", "_user", "_local", "_year")
"""Keys implied by a field's cleaned value: the same name has the same phonetic code."""
WEAK_ROLES = frozenset({"category", "street_number", "city"})
WEAK_SUFFIXES = ("_init", "_year")
"""Roles and keys never blocked on alone: they pair records that share little else."""


@dataclass(frozen=True)
class BlockingKey:
    field: str
    column: str
    exploded: bool


@dataclass(frozen=True)
class BlockingRule:
    """A conjunction of keys and the number of pairs it makes on this table."""

    keys: tuple[BlockingKey, ...]
    pairs: int

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(key.field for key in self.keys)

    def creator(self) -> BlockingRuleCreator:
        exploded = [key.column for key in self.keys if key.exploded]
        return block_on(*(key.column for key in self.keys), arrays_to_explode=exploded or None)

    def describe(self) -> str:
        return " & ".join(key.column for key in self.keys)


def blocking_keys(table: PreparedTable) -> list[BlockingKey]:
    keys = []
    for field in table.fields:
        for suffix in KEY_SUFFIXES.get(field.role, ()):
            keys.append(BlockingKey(field.name, field.name + suffix, suffix == "_rare"))
    return keys


def choose_rules(table: PreparedTable) -> list[BlockingRule]:
    """Rules that fit the pair budget, loosest first, none implied by another."""
    n = len(table.frame)
    rule_budget = max(MIN_RULE_PAIRS, int(RULE_PAIRS_PER_RECORD * n))
    total_budget = max(4 * MIN_RULE_PAIRS, int(TOTAL_PAIRS_PER_RECORD * n))
    roles = {field.name: field.role for field in table.fields}
    keys = blocking_keys(table)
    codes = {key: _codes(table.frame, key) for key in keys}
    candidates = []
    for key in keys:
        if roles[key.field] not in WEAK_ROLES and not key.column.endswith(WEAK_SUFFIXES):
            candidates.append(BlockingRule((key,), _pair_count(table.frame, [key], codes)))
    single_fits = {rule.keys[0] for rule in candidates if 0 < rule.pairs <= rule_budget}
    for first, second in itertools.combinations(keys, 2):
        if first.field == second.field or (first.exploded and second.exploded):
            continue
        if first in single_fits or second in single_fits:
            continue
        pairs = _pair_count(table.frame, [first, second], codes)
        candidates.append(BlockingRule((first, second), pairs))
    fitting = [rule for rule in candidates if 0 < rule.pairs <= rule_budget]
    chosen: list[BlockingRule] = []
    total = 0
    for rule in sorted(fitting, key=lambda r: (-r.pairs, r.describe())):
        if any(_implies(rule, other) for other in chosen) or total + rule.pairs > total_budget:
            continue
        chosen.append(rule)
        total += rule.pairs
        if len(chosen) == MAX_RULES:
            break
    return chosen


def _implies(rule: BlockingRule, looser: BlockingRule) -> bool:
    """Whether every pair ``rule`` makes is also made by ``looser``."""
    return all(any(_finer_or_same(key, other) for key in rule.keys) for other in looser.keys)


def _finer_or_same(key: BlockingKey, other: BlockingKey) -> bool:
    if key == other:
        return True
    coarser = tuple(key.field + suffix for suffix in COARSER_SUFFIXES)
    return key.field == other.field and key.column == key.field and other.column in coarser


def _codes(frame: pd.DataFrame, key: BlockingKey) -> np.ndarray:
    if key.exploded:
        return np.zeros(0, dtype=np.int64)
    codes, _ = pd.factorize(frame[key.column], use_na_sentinel=True)
    return codes.astype(np.int64)


def _pair_count(
    frame: pd.DataFrame, keys: list[BlockingKey], codes: dict[BlockingKey, np.ndarray]
) -> int:
    exploded = [key for key in keys if key.exploded]
    plain = [key for key in keys if not key.exploded]
    if exploded:
        words = frame[exploded[0].column].explode().dropna()
        rows = words.index.to_numpy()
        combined, _ = pd.factorize(words.to_numpy())
        combined = combined.astype(np.int64)
        valid = np.ones(len(rows), dtype=bool)
    else:
        rows = np.arange(len(frame))
        combined = np.zeros(len(frame), dtype=np.int64)
        valid = np.ones(len(frame), dtype=bool)
    for key in plain:
        column = codes[key][rows]
        valid &= column >= 0
        combined = combined * (int(column.max(initial=0)) + 1) + column
    counts = pd.Series(combined[valid]).value_counts(sort=False).to_numpy(np.int64)
    return int((counts * (counts - 1) // 2).sum())
