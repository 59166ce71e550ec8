"""Learning the model from the table itself: u by random sampling, m by EM on several
blocking rules, and a check of each learned model before it is trusted.

EM finds two kinds of pairs inside a block; it is meant to find matches and non-matches but
can settle on another split (inside a block of equal names, "same family" vs "not"). Such a
session says an identifying field barely matters among matches: its exact agreement is rarer
than its disagreement, or hardly more common than among random pairs. Sessions like that are
set aside and named in the warnings instead of silently spoiling the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from splink import Linker, SettingsCreator
from splink.internals.splink_dataframe import SplinkDataFrame

from dealflow.crm.linkage.blocking import BlockingRule
from dealflow.crm.linkage.comparisons import (
    SAME_ADDRESS_FROM_NAME,
    SAME_MAILBOX_FROM_NAME,
    SIMILAR_MAILBOX_FROM_NAME,
    compared_columns,
    comparison_for,
)
from dealflow.crm.linkage.namesakes import apply_namesake_u
from dealflow.crm.linkage.prepared import UNIQUE_ID, PreparedTable

U_PAIRS = 1e6
EM_PAIRS = 3e5
TRAINING_RULES = 4
MAX_SESSIONS = 7
"""Sessions beyond TRAINING_RULES are tried only while an identifying field has no
plausible estimate."""
IDENTIFYING_ROLES = frozenset(
    {
        "first_name", "last_name", "name", "date", "email", "phone", "website",
        "identifier", "postcode", "address",
    }
)  # fmt: skip
MIN_AGREEMENT_FACTOR = 2.0
"""Exact agreement on an identifying field must be at least this much likelier among matches."""
NAME_BUILT = frozenset({SAME_ADDRESS_FROM_NAME, SAME_MAILBOX_FROM_NAME, SIMILAR_MAILBOX_FROM_NAME})
COPIED_ROLES = frozenset({"date"})
MIN_COPIED_SHARE = 0.5
"""A date (of birth, of founding) is typed anew rarely: most matches agree on it exactly."""
SEED = 7

Model = dict[str, Any]


@dataclass(frozen=True)
class SessionCheck:
    """One EM session: the rule it blocked on, the fields it learned, what looked wrong."""

    rule: str
    trained: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def plausible(self) -> bool:
        return not self.problems


@dataclass
class TrainedModel:
    model: Model
    sessions: list[SessionCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def base_settings(table: PreparedTable, rules: Sequence[BlockingRule]) -> SettingsCreator:
    last_name = next(iter(table.of_role("last_name")), None)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=UNIQUE_ID,
        comparisons=[comparison_for(f, last_name) for f in table.fields],
        blocking_rules_to_generate_predictions=[rule.creator() for rule in rules],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        probability_two_random_records_match=1e-4,
    )


def train(
    data: SplinkDataFrame,
    table: PreparedTable,
    rules: Sequence[BlockingRule],
    progress: Callable[[str], None] = lambda _: None,
) -> TrainedModel:
    """A model trained on ``data`` (the registered ``table``) with checked EM sessions."""
    linker = Linker(data, base_settings(table, rules), log_level=logging.ERROR)
    progress("estimating u by random sampling")
    n = len(table.frame)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(U_PAIRS, n * (n - 1) / 2), seed=SEED
    )
    base = linker.misc.save_model_to_json()
    apply_namesake_u(base, table)
    sessions: list[SessionCheck] = []
    estimates: list[tuple[SessionCheck, Model]] = []
    planned = training_rules(table, rules)
    candidates = [rule for rule in _trainable(table, rules) if rule not in planned]
    while planned:
        rule = planned.pop(0)
        progress(f"estimating m by EM on {rule.describe()}")
        check, learned = _em_session(data, base, table, rule)
        sessions.append(check)
        if learned is not None:
            estimates.append((check, learned))
        if not planned and len(sessions) < MAX_SESSIONS:
            planned = _retry_for_unlearned(table, estimates, candidates)
    return _combined(base, table, sessions, estimates)


def _em_session(
    data: SplinkDataFrame, base: Model, table: PreparedTable, rule: BlockingRule
) -> tuple[SessionCheck, Model | None]:
    linker = Linker(data, deepcopy(base), log_level=logging.ERROR)
    trained = learnable(table, rule)
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule.creator(),
            populate_probability_two_random_records_match_from_trained_values=True,
            max_pairs=EM_PAIRS if rule.pairs > EM_PAIRS else None,
        )
    except ValueError as error:  # splink refuses estimates that underflow to zero
        return SessionCheck(rule.describe(), trained, (f"EM failed: {error}",)), None
    learned = linker.misc.save_model_to_json()
    return SessionCheck(rule.describe(), trained, _problems(table, learned, trained)), learned


def learnable(table: PreparedTable, rule: BlockingRule) -> tuple[str, ...]:
    """The fields EM learns inside ``rule``'s blocks: those whose comparison reads none of
    the rule's columns (blocking on a name's initial still lets EM learn the name)."""
    last_name = next(iter(table.of_role("last_name")), None)
    used = {key.column for key in rule.keys}
    return tuple(f.name for f in table.fields if not compared_columns(f, last_name) & used)


def _retry_for_unlearned(
    table: PreparedTable,
    estimates: Sequence[tuple[SessionCheck, Model]],
    candidates: list[BlockingRule],
) -> list[BlockingRule]:
    """One more rule when an identifying field was learned by no plausible session: the
    candidate that leaves the most such fields free (removed from ``candidates``)."""
    learned = {name for check, _ in estimates if check.plausible for name in check.trained}
    unlearned = {
        f.name for f in table.fields if f.role in IDENTIFYING_ROLES and f.name not in learned
    }
    useful = [rule for rule in candidates if unlearned & set(learnable(table, rule))]
    if not useful:
        return []
    best = max(useful, key=lambda r: (len(unlearned & set(learnable(table, r))), r.pairs))
    candidates.remove(best)
    return [best]


def _trainable(table: PreparedTable, rules: Sequence[BlockingRule]) -> list[BlockingRule]:
    """Rules EM can block on (not on exploded word lists), identifying ones if any."""
    rules = [rule for rule in rules if not any(key.exploded for key in rule.keys)]
    roles = {f.name: f.role for f in table.fields}
    identifying = [r for r in rules if all(roles[f] in IDENTIFYING_ROLES for f in r.fields)]
    return identifying or rules


def training_rules(table: PreparedTable, rules: Sequence[BlockingRule]) -> list[BlockingRule]:
    """Up to TRAINING_RULES rules, each field left free (so learned) by as many as possible;
    rules on exploded word lists are not used (splink's EM cannot block on them)."""
    rules = _trainable(table, rules)
    chosen: list[BlockingRule] = []
    learned_by = dict.fromkeys((f.name for f in table.fields), 0)
    for _ in range(min(TRAINING_RULES, len(rules))):
        remaining = [rule for rule in rules if rule not in chosen]
        best = max(remaining, key=lambda rule: _coverage_gain(table, rule, learned_by))
        chosen.append(best)
        for name in learnable(table, best):
            learned_by[name] += 1
    return chosen


def _coverage_gain(
    table: PreparedTable, rule: BlockingRule, learned_by: dict[str, int]
) -> tuple[int, int, int]:
    """Fields a rule would learn that no session learned yet, then those learned once."""
    free = [learned_by[name] for name in learnable(table, rule)]
    return (free.count(0), free.count(1), rule.pairs)


def _problems(table: PreparedTable, learned: Model, trained: Sequence[str]) -> tuple[str, ...]:
    roles = {f.name: f for f in table.fields}
    problems = []
    for comparison in learned["comparisons"]:
        name = comparison["output_column_name"]
        if name not in trained or roles[name].role not in IDENTIFYING_ROLES:
            continue
        levels = _checked_levels(comparison)
        exact, other = levels[0], levels[-1]
        m_exact, u_exact = exact.get("m_probability"), exact.get("u_probability")
        m_other = other.get("m_probability")
        if m_exact is None or u_exact is None or m_other is None:
            continue
        source = roles[name].source
        if m_exact < m_other:
            problems.append(
                f"{source}: exact agreement among matches ({m_exact:.0%}) is rarer than "
                f"disagreement ({m_other:.0%})"
            )
        elif m_exact < MIN_AGREEMENT_FACTOR * u_exact:
            problems.append(
                f"{source}: exact agreement is barely likelier among matches ({m_exact:.1%}) "
                f"than among random pairs ({u_exact:.1%})"
            )
        elif roles[name].role in COPIED_ROLES and m_exact < MIN_COPIED_SHARE:
            problems.append(
                f"{source}: exact agreement is rare among matches ({m_exact:.0%}), though "
                "most duplicates copy it unchanged"
            )
    return tuple(problems)


def _combined(
    base: Model,
    table: PreparedTable,
    sessions: list[SessionCheck],
    estimates: Sequence[tuple[SessionCheck, Model]],
) -> TrainedModel:
    """The base model with each field's m from the plausible session that learned it
    sharpest (the likeliest exact agreement among matches: EM that mixed non-matches into
    its matches, namesakes in a block of one mailbox, say, learned it blunter). A field
    that only implausible sessions learned keeps the default m, with a warning."""
    model = deepcopy(base)
    warnings = []
    for check in sessions:
        if not check.plausible:
            warnings.append(
                f"EM blocked on {check.rule} was set aside: " + "; ".join(check.problems)
            )
    sources = {f.name: f.source for f in table.fields}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        learned = [(c, m) for c, m in estimates if name in c.trained]
        trusted = [m for c, m in learned if c.plausible]
        if not learned:
            warnings.append(f"{sources[name]}: no EM session could learn it; m left at defaults")
            continue
        if not trusted:
            warnings.append(
                f"{sources[name]}: only implausible sessions learned it; m left at defaults"
            )
            continue
        sharpest = max(trusted, key=lambda m: _exact_m(m, name))
        for index, level in enumerate(comparison["comparison_levels"]):
            value = _level(sharpest, name, index).get("m_probability")
            if not level.get("is_null_level") and value is not None:
                level["m_probability"] = float(value)
    lambdas = [m["probability_two_random_records_match"] for c, m in estimates if c.plausible]
    if lambdas:
        model["probability_two_random_records_match"] = float(np.exp(np.mean(np.log(lambdas))))
    return TrainedModel(model, sessions, warnings)


def _exact_m(model: Model, name: str) -> float:
    """m of ``name``'s surest level (its first after "one side is empty")."""
    comparison = next(c for c in model["comparisons"] if c["output_column_name"] == name)
    return float(_checked_levels(comparison)[0].get("m_probability") or 0.0)


def _checked_levels(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """The levels a session is judged by: not "one side is empty", and not agreement on an
    address made of the name (namesakes share it, so it says little among random pairs)."""
    return [
        level
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level") and level.get("label_for_charts") not in NAME_BUILT
    ]


def _level(model: Model, name: str, index: int) -> dict[str, Any]:
    comparison = next(c for c in model["comparisons"] if c["output_column_name"] == name)
    level: dict[str, Any] = comparison["comparison_levels"][index]
    return level
