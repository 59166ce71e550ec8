"""From splink's match weights to match probabilities, with the prior learned from the
scored pairs themselves and a rule that records with different names are different.

The prior (how likely two random records match) is the fixed point of "expected matches
among the blocked pairs / all possible pairs": pairs blocking never makes, or with evidence
against a match, add almost nothing to that sum.

Names and places veto: when every full or organisation name is filled on both records and
none agrees even loosely, the records are different entities, however much else they share;
in a table of organisations (one with such a name), so are two records at addresses that
share nothing (not a house number with a street word, nor a rare word): one agency's sites
share its phone, its director and half its name, but not their street. Tenants
share an address, branches a switchboard, restaurants a hotel; EM, which assumes fields
agree independently, would add that shared evidence up twice. Person names do not veto:
a person's record with another person's name but their own birth date, identifier and
address is a typing slip more often than a different person.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dealflow.crm.linkage.prepared import UNIQUE_ID, PreparedTable
from dealflow.crm.linkage.training import Model

VETO_ROLES = frozenset({"name"})
PLACE_ROLES = frozenset({"address"})
PRIOR_ROUNDS = 200
REASON_FIELDS = 3


def log2_odds(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def learned_prior(log2_factors: np.ndarray, total_pairs: float, start: float) -> float:
    """The probability that two random records match, consistent with the pairs' Bayes
    factors (log2) when unscored pairs are taken as non-matches."""
    prior = start
    for _ in range(PRIOR_ROUNDS):
        probabilities = _probabilities(log2_factors, prior)
        updated = float(np.clip(probabilities.sum() / total_pairs, 1e-12, 0.5))
        if abs(updated - prior) <= 1e-6 * prior:
            return updated
        prior = updated
    return prior


def scored_pairs(
    predictions: pd.DataFrame,
    model: Model,
    table: PreparedTable,
    kept: float,
    prior: float | None = None,
) -> tuple[pd.DataFrame, float, Model]:
    """id_l, id_r, match_probability, reason for pairs at or above ``kept``, the prior and
    the model used. ``predictions`` are splink's, made with ``model``'s prior. Without a
    ``prior``, the prior is learned from the pairs."""
    start = model["probability_two_random_records_match"]
    log2_factors = predictions["match_weight"].to_numpy(float) - log2_odds(start)
    if prior is None:
        total = len(table.frame) * (len(table.frame) - 1) / 2
        prior = learned_prior(log2_factors, total, start)
        model = {**model, "probability_two_random_records_match": prior}
    probabilities = _probabilities(log2_factors, prior)
    vetoed = _all_disagree(predictions, model, table, VETO_ROLES)
    if table.of_role("name"):
        vetoed |= _all_disagree(predictions, model, table, PLACE_ROLES)
    probabilities[vetoed] = 0.0
    pairs = pd.DataFrame(
        {
            "id_l": predictions[f"{UNIQUE_ID}_l"].to_numpy(),
            "id_r": predictions[f"{UNIQUE_ID}_r"].to_numpy(),
            "match_probability": probabilities,
            "reason": _reasons(predictions, table),
        }
    )
    return pairs[pairs["match_probability"] >= kept].reset_index(drop=True), prior, model


def _probabilities(log2_factors: np.ndarray, prior: float) -> np.ndarray:
    return 1 / (1 + np.exp2(-(log2_factors + log2_odds(prior))))


def _all_disagree(
    predictions: pd.DataFrame, model: Model, table: PreparedTable, roles: frozenset[str]
) -> np.ndarray:
    """True for pairs whose fields of ``roles`` are all filled on both sides and all fall
    in their comparison's last level."""
    names = [f.name for f in table.fields if f.role in roles]
    vetoed = np.full(len(predictions), bool(names))
    for name in names:
        weight = predictions[f"mw_{name}"].to_numpy(float)
        other = _last_level_weight(model, name)
        if other is None:
            return np.zeros(len(predictions), dtype=bool)
        vetoed &= np.isclose(weight, other) & (weight != 0.0)
    return vetoed


def _last_level_weight(model: Model, name: str) -> float | None:
    comparison = next(c for c in model["comparisons"] if c["output_column_name"] == name)
    last = comparison["comparison_levels"][-1]
    m, u = last.get("m_probability"), last.get("u_probability")
    return math.log2(m / u) if m and u else None


def _reasons(predictions: pd.DataFrame, table: PreparedTable) -> list[str]:
    """The fields that speak most for each pair, in words."""
    columns = [f"mw_{f.name}" for f in table.fields if f"mw_{f.name}" in predictions]
    if not columns or predictions.empty:
        return [""] * len(predictions)
    sources = np.array([f.source for f in table.fields if f"mw_{f.name}" in predictions])
    weights = predictions[columns].to_numpy(float, copy=True)
    for index, field in enumerate(f for f in table.fields if f"mw_{f.name}" in predictions):
        adjustment = f"mw_tf_adj_{field.name}"
        if adjustment in predictions:
            weights[:, index] += predictions[adjustment].fillna(0).to_numpy(float)
    order = np.argsort(-weights, axis=1)[:, :REASON_FIELDS]
    reasons = []
    for row, top in zip(weights, order, strict=True):
        agreeing = [str(sources[i]) for i in top if row[i] > 1]
        reasons.append("agree: " + ", ".join(agreeing) if agreeing else "weak evidence")
    return reasons
