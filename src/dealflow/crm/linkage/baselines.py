"""What the engine is measured against: splink used as its tutorials use it, and records
joined when they share an exact key."""

from __future__ import annotations

import contextlib
import itertools
import logging
from typing import Any

import numpy as np
import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.exceptions import SplinkException

from dealflow.crm.linkage.backends import LinkageBackend
from dealflow.crm.linkage.grouping import connected_groups
from dealflow.crm.linkage.prepared import UNIQUE_ID, PreparedTable
from dealflow.crm.linkage.roles import ColumnRole

TUTORIAL_THRESHOLD = 0.95
TUTORIAL_RULES = 6
TUTORIAL_RECALL = 0.7
DEFAULT_PRIOR = 1e-4
BLOCKING_ORDER = ("email", "last_name", "first_name", "name", "date", "phone", "postcode")
NAME_ROLES = ("first_name", "last_name", "name")
EXACT_KEY_PARTNERS = ("date", "address", "phone", "postcode")
EXACT_KEY_ALONE = ("email", "website", "identifier")


def splink_tutorial_groups(
    table: pd.DataFrame,
    id_column: str,
    roles: list[ColumnRole],
    backend: LinkageBackend | None = None,
) -> pd.Series:
    """Groups from splink configured as its tutorials do: library comparisons on the raw
    columns, blocking on pairs of columns, u by random sampling, m by EM on two rules,
    lambda from the blocking rules taken as deterministic at 70% recall, clusters at
    probability 0.95."""
    backend = backend or LinkageBackend()
    used = [r for r in roles if r.role != "ignore"]
    names = {r.column: f"c{i}" for i, r in enumerate(used)}
    frame = pd.DataFrame({UNIQUE_ID: table[id_column].to_numpy()})
    for column, name in names.items():
        raw = table[column].astype(object)
        frame[name] = raw.where(raw.notna() & (raw.astype(str).str.strip() != ""), None)
    keyed = sorted(
        (r for r in used if r.role in BLOCKING_ORDER), key=lambda r: BLOCKING_ORDER.index(r.role)
    )
    key_columns = [names[r.column] for r in keyed][:4]
    pairs_of_keys = itertools.combinations(key_columns, 2)
    rules = [block_on(a, b) for a, b in pairs_of_keys][:TUTORIAL_RULES]
    if len(key_columns) == 1:
        rules = [block_on(key_columns[0])]
    ids = frame[UNIQUE_ID].to_numpy()
    if not rules:
        return pd.Series(np.arange(len(ids)), index=ids)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=[_library_comparison(r.role, names[r.column]) for r in used],
        blocking_rules_to_generate_predictions=list[BlockingRuleCreator | dict[str, Any]](rules),
    )
    database = backend.database()
    linker = Linker(backend.register(database, frame), settings, log_level=logging.ERROR)
    with contextlib.suppress(ValueError, SplinkException):  # more pairs than recall allows
        linker.training.estimate_probability_two_random_records_match(
            list[BlockingRuleCreator | str](rules), recall=TUTORIAL_RECALL
        )
    model = linker.misc.save_model_to_json()
    if not model["probability_two_random_records_match"]:  # no pair met the rules
        model["probability_two_random_records_match"] = DEFAULT_PRIOR
        linker = Linker(backend.register(database, frame), model, log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    trained = 0
    for rule in rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except SplinkException:  # the rule pairs no records here: the tutorial tries the next
            continue
        trained += 1
        if trained == 2:
            break
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, TUTORIAL_THRESHOLD
    ).as_pandas_dataframe()
    return pd.Series(clusters["cluster_id"].to_numpy(), index=clusters[UNIQUE_ID].to_numpy())


def _library_comparison(role: str, column: str) -> ComparisonCreator:
    if role in ("first_name", "last_name", "name"):
        return cl.NameComparison(column)
    if role == "email":
        return cl.EmailComparison(column)
    if role in ("date", "postcode", "identifier", "phone"):
        return cl.LevenshteinAtThresholds(column, [1, 2])
    if role in ("category", "website", "street_number"):
        return cl.ExactMatch(column).configure(term_frequency_adjustments=True)
    return cl.JaroWinklerAtThresholds(column)


def exact_key_groups(table: PreparedTable) -> pd.Series:
    """Records joined when they share an email, website or identifier, or all their names
    and one of date, address, phone or postcode (cleaned values, compared exactly)."""
    frame = table.frame
    names = [f.name for f in table.of_role(*NAME_ROLES)]
    keys = [[f.name] for f in table.of_role(*EXACT_KEY_ALONE)]
    if names:
        keys += [[*names, f.name] for f in table.of_role(*EXACT_KEY_PARTNERS)]
    edges = []
    for columns in keys:
        filled = frame.dropna(subset=columns)
        first = filled.groupby(columns, sort=False)[UNIQUE_ID].transform("first")
        edges.append(pd.DataFrame({"id_l": first.to_numpy(), "id_r": filled[UNIQUE_ID]}))
    ids = frame[UNIQUE_ID].to_numpy()
    joined = pd.concat(edges) if edges else pd.DataFrame({"id_l": [], "id_r": []})
    return pd.Series(connected_groups(ids, joined), index=ids)
