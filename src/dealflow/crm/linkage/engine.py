"""Probabilistic record linkage of any table: roles, cleaning, blocking, training, scoring,
threshold and grouping, in one call.

The same steps run for every table; nothing in them knows which data set it is given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from splink import Linker, block_on
from splink.internals.database_api import DatabaseAPISubClass

from dealflow.core.errors import InvalidInputError
from dealflow.crm.linkage.backends import LinkageBackend
from dealflow.crm.linkage.blocking import BlockingRule, choose_rules
from dealflow.crm.linkage.grouping import group_records
from dealflow.crm.linkage.prepared import UNIQUE_ID, PreparedTable, prepare
from dealflow.crm.linkage.roles import ColumnRole, infer_roles
from dealflow.crm.linkage.scoring import log2_odds, scored_pairs
from dealflow.crm.linkage.thresholds import expected_f1_threshold, expected_scores
from dealflow.crm.linkage.training import Model, SessionCheck, train

KEPT = 0.01
"""Scored pairs below this probability are dropped (they change neither threshold nor groups)."""
INSIDE_BLOCK = "__group"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class LinkageOptions:
    """What a caller may set; every default is chosen from the data."""

    roles: Mapping[str, str] = field(default_factory=dict)
    """Column roles that override the inferred ones ({column: role})."""
    threshold: float | None = None
    """Match probability at which pairs join; None chooses it from the model's own scores."""
    split_groups: bool = True
    backend: LinkageBackend = field(default_factory=LinkageBackend)


@dataclass
class Linkage:
    """The outcome: scored pairs, a group per record, and how it was reached."""

    pairs: pd.DataFrame
    """id_l, id_r, match_probability, reason for pairs at or above KEPT."""
    groups: pd.Series
    """A group number per record id; records of one entity share it."""
    threshold: float
    roles: list[ColumnRole]
    rules: list[BlockingRule]
    sessions: list[SessionCheck]
    warnings: list[str]
    expected: dict[str, float]
    seconds: float


def link_table(
    table: pd.DataFrame,
    id_column: str,
    options: LinkageOptions | None = None,
    progress: Progress = lambda _: None,
) -> Linkage:
    """Which rows of ``table`` are the same entity."""
    options = options or LinkageOptions()
    started = time.perf_counter()
    if id_column not in table.columns:
        raise InvalidInputError(f"there is no id column {id_column!r}")
    roles = infer_roles(table, options.roles, skip=(id_column,))
    prepared = prepare(table, id_column, roles)
    if not prepared.fields:
        raise InvalidInputError("no column of the table can tell records apart")
    progress("choosing blocking rules")
    rules = choose_rules(prepared)
    ids = prepared.frame[UNIQUE_ID].to_numpy()
    if not rules:
        return _nothing_to_compare(ids, roles, started)
    database = options.backend.database()
    data = options.backend.register(database, prepared.frame)
    trained = train(data, prepared, rules, progress)
    progress("scoring pairs")
    scoring_model = {**deepcopy(trained.model), "retain_intermediate_calculation_columns": True}
    linker = Linker(data, scoring_model, log_level=logging.ERROR)
    evidence_for = log2_odds(scoring_model["probability_two_random_records_match"])
    predictions = linker.inference.predict(threshold_match_weight=evidence_for)
    scored = predictions.as_pandas_dataframe()
    pairs, prior, scoring_model = scored_pairs(scored, scoring_model, prepared, KEPT)
    probabilities = pairs["match_probability"].to_numpy()
    threshold = options.threshold or expected_f1_threshold(probabilities)
    progress("grouping records")
    inside = (
        _inside_scorer(options.backend, database, prepared, scoring_model, prior)
        if options.split_groups
        else None
    )
    groups = group_records(ids, pairs, threshold, inside)
    return Linkage(
        pairs=pairs,
        groups=groups,
        threshold=threshold,
        roles=roles,
        rules=rules,
        sessions=trained.sessions,
        warnings=trained.warnings,
        expected=expected_scores(probabilities, threshold),
        seconds=time.perf_counter() - started,
    )


def _inside_scorer(
    backend: LinkageBackend,
    database: DatabaseAPISubClass,
    table: PreparedTable,
    model: Model,
    prior: float,
) -> Callable[[pd.Series], pd.DataFrame]:
    """Scores every pair of records that share a block number (records without one: none)."""

    def score(blocks: pd.Series) -> pd.DataFrame:
        frame = table.frame.copy()
        frame[INSIDE_BLOCK] = frame[UNIQUE_ID].map(blocks)
        settings = deepcopy(model)
        settings["blocking_rules_to_generate_predictions"] = [
            block_on(INSIDE_BLOCK).get_blocking_rule("duckdb").as_dict()
        ]
        settings["additional_columns_to_retain"] = []
        linker = Linker(backend.register(database, frame), settings, log_level=logging.ERROR)
        predictions = linker.inference.predict().as_pandas_dataframe()
        pairs, _, _ = scored_pairs(predictions, model, table, kept=0.0, prior=prior)
        return pairs

    return score


def _nothing_to_compare(ids: np.ndarray, roles: list[ColumnRole], started: float) -> Linkage:
    return Linkage(
        pairs=pd.DataFrame(columns=["id_l", "id_r", "match_probability", "reason"]),
        groups=pd.Series(np.arange(len(ids)), index=ids),
        threshold=1.0,
        roles=roles,
        rules=[],
        sessions=[],
        warnings=["no blocking rule pairs any records: every record is its own entity"],
        expected={"precision": 0.0, "recall": 0.0, "f1": 0.0},
        seconds=time.perf_counter() - started,
    )
