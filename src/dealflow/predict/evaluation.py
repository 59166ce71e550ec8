"""Evaluate the scoring pipeline on any labelled table, against every baseline, honestly.

Without a time column: 5-fold stratified cross-validation, metrics computed once on the pooled
out-of-fold predictions (every row is scored by scorers that never saw it). With one: train on
the earliest 70% of rows, test on the rest. The leakage guard runs on the training rows first
and its suspects are left out (unless kept on purpose).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.model_selection import StratifiedKFold

from dealflow.core.errors import InvalidInputError
from dealflow.predict.baselines import LogisticBaseline, NaiveBayesBaseline, PointRule, RulesScorer
from dealflow.predict.leakage import Leak, find_leaks
from dealflow.predict.metrics import classification_metrics
from dealflow.predict.model import train_scorer
from dealflow.predict.scorers import Probabilities
from dealflow.predict.tabular import IDENTIFIER, LabelledTable, with_completeness

FOLDS = 5
TRAIN_SHARE = 0.7
FEW_OUTCOMES = 50
CHANCE_MARGIN = 2.5  # standard errors: the best of several scorers on noise is often 2 above
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Evaluation:
    """What an evaluation found: per-scorer metrics and everything left out along the way."""

    n: int
    positives: int
    tested: int
    """Rows the metrics are computed on: all of them under cross-validation."""
    validation: str
    metrics: dict[str, dict[str, float]]
    """"model", then each baseline: "naive_bayes", "logistic" and, where it applies, "rules"."""
    excluded_leaks: list[Leak]
    kept_leaks: list[Leak]
    dropped: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    def to_document(self) -> dict[str, Any]:
        """The JSON shape of ``dealflow eval``."""
        return {
            "n": self.n,
            "positives": self.positives,
            "tested": self.tested,
            "validation": self.validation,
            "model": self.metrics["model"],
            "baselines": {name: m for name, m in self.metrics.items() if name != "model"},
            "excluded_leaks": [leak.column for leak in self.excluded_leaks],
            "leaks": [
                {"column": leak.column, "score": leak.score, "why": leak.why, "excluded": excluded}
                for leaks, excluded in ((self.excluded_leaks, True), (self.kept_leaks, False))
                for leak in leaks
            ],
            "identifiers_dropped": [n for n, why in self.dropped.items() if why == IDENTIFIER],
            "columns_dropped": self.dropped,
            "warnings": self.warnings,
        }


def evaluate_table(
    table: LabelledTable,
    *,
    rules: Sequence[PointRule] = (),
    keep: Sequence[str] = (),
    keep_leaks: bool = False,
    seed: int = 0,
    progress: Progress | None = None,
) -> Evaluation:
    """The model and each baseline validated on ``table`` (see the module docstring)."""
    say = progress or (lambda _: None)
    features, y = table.features, table.outcome
    unknown = [name for name in keep if name not in features.columns]
    if unknown:
        raise InvalidInputError(
            f"cannot keep {', '.join(map(repr, unknown))}: not among the usable columns "
            f"({', '.join(features.columns)})"
        )
    splits, validation = _splits(table, seed)
    say("checking columns for leaks")
    guard_rows = splits[0][0] if table.order is not None else np.arange(len(y))
    leaks = find_leaks(features.iloc[guard_rows], y[guard_rows], seed=seed)
    kept = [leak for leak in leaks if keep_leaks or leak.column in keep]
    excluded = [leak for leak in leaks if leak not in kept]
    features = features.drop(columns=[leak.column for leak in excluded])
    if features.empty:
        raise InvalidInputError("no usable columns are left to learn from")
    features = with_completeness(features)  # after the leaks: their gaps could give it away
    rules_scorer = rules_for_columns(rules, list(features.columns))
    names = ["model", "naive_bayes", "logistic"] + (["rules"] if rules_scorer else [])
    predicted = {name: np.full(len(y), np.nan) for name in names}
    for index, (fit_rows, test_rows) in enumerate(splits, start=1):
        say(
            f"fold {index} of {len(splits)}" if len(splits) > 1 else "training on the earliest rows"
        )
        fit_x, fit_y, test_x = features.iloc[fit_rows], y[fit_rows], features.iloc[test_rows]
        order = table.order[fit_rows] if table.order is not None else None
        scorers: dict[str, Probabilities] = {
            "model": train_scorer(fit_x, fit_y, order=order, seed=seed),
            "naive_bayes": NaiveBayesBaseline().fit(fit_x, fit_y),
            "logistic": LogisticBaseline().fit(fit_x, fit_y),
        }
        if rules_scorer:
            scorers["rules"] = RulesScorer(rules_scorer.rules).fit(fit_x, fit_y)
        for name, scorer in scorers.items():
            predicted[name][test_rows] = scorer.predict_proba(test_x)
    tested = np.concatenate([test_rows for _, test_rows in splits])
    metrics = {name: classification_metrics(y[tested], p[tested]) for name, p in predicted.items()}
    return Evaluation(
        n=len(y),
        positives=int(y.sum()),
        tested=len(tested),
        validation=validation,
        metrics=metrics,
        excluded_leaks=excluded,
        kept_leaks=kept,
        dropped=table.dropped,
        warnings=table.warnings + _warnings(y[tested], metrics, kept),
    )


def rules_for_columns(rules: Sequence[PointRule], columns: list[str]) -> RulesScorer | None:
    """The rules whose feature matches a column by normalised name, pointed at that column;
    None when no rule applies."""
    by_name = {normalised(column): column for column in columns}
    matched = [
        PointRule(by_name[normalised(rule.feature)], rule.op, rule.value, rule.points, rule.label)
        for rule in rules
        if normalised(rule.feature) in by_name
    ]
    return RulesScorer(matched) if matched else None


def normalised(name: str) -> str:
    """Lower case, runs of other characters as one underscore: "Pricing Views (30d)" ->
    "pricing_views_30d"."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _splits(
    table: LabelledTable, seed: int
) -> tuple[list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]], str]:
    y = table.outcome
    if table.order is None:
        if min(y.sum(), (~y).sum()) < FOLDS:
            raise InvalidInputError(
                f"cross-validation needs at least {FOLDS} rows of each outcome; "
                f"there are {int(y.sum())} positive and {int((~y).sum())} negative"
            )
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
        splits = [(np.asarray(a), np.asarray(b)) for a, b in folds.split(np.zeros(len(y)), y)]
        return splits, (
            f"{FOLDS}-fold stratified cross-validation; metrics on the pooled out-of-fold "
            "predictions"
        )
    ranked = np.argsort(table.order, kind="stable")
    cut = round(len(ranked) * TRAIN_SHARE)
    fit_rows, test_rows = np.sort(ranked[:cut]), np.sort(ranked[cut:])
    for part, rows in (("earliest 70%", fit_rows), ("latest 30%", test_rows)):
        if y[rows].all() or not y[rows].any():
            raise InvalidInputError(f"the {part} of rows by time hold only one outcome")
    described = (
        f"time split on {table.time_column}: trained on the earliest {len(fit_rows):,} rows, "
        f"tested on the latest {len(test_rows):,}"
    )
    return [(fit_rows, test_rows)], described


def _warnings(
    y: npt.NDArray[np.bool_], metrics: dict[str, dict[str, float]], kept: list[Leak]
) -> list[str]:
    notes = [f"kept a suspected leak as asked: {leak.column} ({leak.why})" for leak in kept]
    positives, negatives = int(y.sum()), int((~y).sum())
    if min(positives, negatives) < FEW_OUTCOMES:
        notes.append(
            f"fewer than {FEW_OUTCOMES} {'positives' if positives < negatives else 'negatives'} "
            "were scored: the figures are noisy"
        )
    best = max(metrics, key=lambda name: metrics[name]["auc"])
    auc = metrics[best]["auc"]
    margin = CHANCE_MARGIN * auc_standard_error(auc, positives, negatives)
    if auc - margin <= 0.5:
        notes.append(
            f"no scorer beats chance (best: {best}, ROC AUC {auc:.3f} ± {margin:.3f}): "
            "this data may hold no signal for the outcome"
        )
    elif best != "model":
        notes.append(f"the {best} baseline ranks better than the model on this data")
    return notes


def auc_standard_error(auc: float, positives: int, negatives: int) -> float:
    """Hanley and McNeil's standard error of a ROC AUC."""
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    variance = (
        auc * (1 - auc) + (positives - 1) * (q1 - auc**2) + (negatives - 1) * (q2 - auc**2)
    ) / max(positives * negatives, 1)
    return float(np.sqrt(max(variance, 0.0)))
