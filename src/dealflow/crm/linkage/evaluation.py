"""``dealflow eval dedupe``: the engine, splink as its tutorials use it, and an exact-key
baseline, each grouping the rows of a labelled table; pairwise precision, recall, F1, time."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dealflow.core.errors import InvalidInputError
from dealflow.crm.importing.readers import RowProblem, open_table
from dealflow.crm.linkage.baselines import exact_key_groups, splink_tutorial_groups
from dealflow.crm.linkage.engine import Linkage, LinkageOptions, link_table
from dealflow.crm.linkage.metrics import pair_count, pairwise_scores
from dealflow.crm.linkage.prepared import prepare
from dealflow.crm.linkage.roles import infer_roles

Progress = Callable[[str], None]


@dataclass
class DedupeEvaluation:
    n: int
    true_pairs: int
    scores: dict[str, dict[str, float]]
    linkage: Linkage
    notes: list[str] = field(default_factory=list)

    def to_document(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "true_pairs": self.true_pairs,
            **self.scores,
            "threshold": self.linkage.threshold,
            "expected": self.linkage.expected,
            "roles": {r.column: r.role for r in self.linkage.roles},
            "blocking_rules": [r.describe() for r in self.linkage.rules],
            "warnings": self.linkage.warnings + self.notes,
        }


def read_table(path: Path) -> pd.DataFrame:
    """Every cell of a CSV as text (None when empty), the header as given."""
    source = open_table(path)
    try:
        rows = []
        for number, values in source.rows:
            if isinstance(values, RowProblem):
                raise InvalidInputError(f"{path}, row {number}: {values.reason}")
            rows.append(
                [None if v is None or not str(v).strip() else str(v).strip() for v in values]
            )
    finally:
        source.close()
    return pd.DataFrame(rows, columns=source.header, dtype=object)


def evaluate_dedupe(
    table: pd.DataFrame,
    id_column: str,
    truth_column: str,
    roles: Mapping[str, str] | None = None,
    progress: Progress = lambda _: None,
) -> DedupeEvaluation:
    """Scores of the three ways of grouping ``table``; ``truth_column`` is never shown to any."""
    for name, what in ((id_column, "id column"), (truth_column, "truth column")):
        if name not in table.columns:
            raise InvalidInputError(
                f"no column {name!r} (the {what}); the columns are: {', '.join(table.columns)}"
            )
    truth = pd.Series(table[truth_column].to_numpy(), index=table[id_column].to_numpy())
    unlabelled = table.drop(columns=[truth_column])
    scores: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    linkage = link_table(unlabelled, id_column, LinkageOptions(roles=dict(roles or {})), progress)
    scores["dealflow"] = _scored(linkage.groups, truth, started)
    progress("splink with tutorial settings")
    notes = []
    started = time.perf_counter()
    try:
        splink_groups = splink_tutorial_groups(unlabelled, id_column, linkage.roles)
        scores["splink_default"] = _scored(splink_groups, truth, started)
    except ValueError as error:  # splink refuses some models outright
        notes.append(f"splink with tutorial settings failed: {error}")
    progress("exact keys")
    started = time.perf_counter()
    prepared = prepare(unlabelled, id_column, infer_roles(unlabelled, roles, skip=(id_column,)))
    scores["exact_key"] = _scored(exact_key_groups(prepared), truth, started)
    true_pairs = pair_count(truth.dropna())
    return DedupeEvaluation(len(table), true_pairs, scores, linkage, notes)


def _scored(groups: pd.Series, truth: pd.Series, started: float) -> dict[str, float]:
    return {**pairwise_scores(groups, truth), "seconds": round(time.perf_counter() - started, 2)}
