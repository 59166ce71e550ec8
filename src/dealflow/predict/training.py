"""Train a lead or deal scorer from the workspace's own history, honestly.

Rows are past snapshots with the outcome that followed. The model is validated on the latest
snapshots after training only on outcomes known before them, and compared there with the
point rules, an Odoo-style naive Bayes and logistic regression. The model scores only when the
data is ready and it beats the rules; otherwise the rules do, and the report says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from dealflow.models import PredictiveModel
from dealflow.predict.bands import band_cutoffs
from dealflow.predict.contact_features import contact_features, read_contact_facts
from dealflow.predict.deal_features import deal_features, read_deal_facts
from dealflow.predict.leakage import Leak, find_leaks
from dealflow.predict.outcomes import TrainingRows, conversion_times, deal_rows, lead_rows
from dealflow.predict.registry import register_model
from dealflow.predict.rules_config import workspace_rules
from dealflow.predict.scorers import compare_on_holdout, fit_final
from dealflow.predict.scoring import features_frame, scorable_ids
from dealflow.predict.timeline import epoch_of

Progress = Callable[[str], None]


LEAK_AUC = 0.90
"""Features here are point-in-time by construction, and some are honestly strong (a lead's
status, forms filled in): the guard only catches what nearly gives the outcome away, such as
a custom field filled in after the fact."""


@dataclass(frozen=True)
class ReadinessRule:
    """Outcomes a target needs before a learned model may score it."""

    min_positives: int
    min_negatives: int
    positive_label: str
    negative_label: str


READINESS = {
    "leads": ReadinessRule(120, 1000, "conversions", "leads that did not convert"),
    "deals": ReadinessRule(50, 150, "won deals", "lost deals"),
}


@dataclass(frozen=True)
class Readiness:
    positives: int
    negatives: int
    enough_data: bool
    model_beats_rules: bool | None
    use_model: bool
    explanation: str


@dataclass(frozen=True)
class TrainingReport:
    target: str
    model: PredictiveModel
    rows: int
    train_rows: int
    test_rows: int
    readiness: Readiness
    metrics: dict[str, dict[str, float]]
    """Holdout metrics per scorer: "model", "rules", "naive_bayes", "logistic"."""
    excluded_leaks: list[Leak] = field(default_factory=list)
    """Columns the leakage guard kept away from the learned scorers."""


def train(
    session: Session,
    workspace_id: int,
    target: str,
    *,
    now: datetime,
    seed: int = 0,
    progress: Progress | None = None,
) -> TrainingReport:
    """Build rows from history, validate against the baselines, register the scorer."""
    say = progress or (lambda _: None)
    say("reading history")
    rows, features = _rows_and_features(session, workspace_id, target, now=now, seed=seed)
    rule = READINESS[target]
    positives = len(np.unique(rows.record_ids[rows.outcome]))
    negatives = len(np.unique(rows.record_ids[~rows.outcome]))
    enough = positives >= rule.min_positives and negatives >= rule.min_negatives
    train_rows, test_rows = rows.time_split()
    rules = workspace_rules(session, workspace_id, target)
    metrics: dict[str, dict[str, float]] = {}
    leaks: list[Leak] = []
    if enough and _both_outcomes(train_rows) and _both_outcomes(test_rows):
        train_features = features(train_rows)
        say("checking features for leaks")
        leaks = find_leaks(train_features, train_rows.outcome, threshold=LEAK_AUC, seed=seed)
        excluded = [leak.column for leak in leaks]
        say(f"validating on {len(test_rows):,} later snapshots")
        metrics = compare_on_holdout(
            rules,
            train_features,
            train_rows,
            features(test_rows),
            test_rows,
            seed=seed,
            excluded=excluded,
        )
    beats = metrics["model"]["auc"] > metrics["rules"]["auc"] if metrics else None
    readiness = Readiness(
        positives=positives,
        negatives=negatives,
        enough_data=enough,
        model_beats_rules=beats,
        use_model=bool(enough and beats),
        explanation=_explain(rule, positives, negatives, enough, beats, metrics),
    )
    say("training the scorer on all history")
    all_features = features(rows)
    fitted = fit_final(
        rules,
        all_features,
        rows,
        use_model=readiness.use_model,
        seed=seed,
        excluded=[leak.column for leak in leaks],
    )
    reference = fitted.predict_proba(
        _reference_population(session, workspace_id, target, rows, features, now)
    )
    model = register_model(
        session,
        workspace_id,
        target=target,
        method=fitted.method,
        trained_at=now,
        window=(_moment(rows.as_of.min()), _moment(rows.known_at.max()))
        if len(rows)
        else (None, None),
        features=list(all_features.columns),
        metrics={
            "holdout": metrics,
            "rows": len(rows),
            "train_rows": len(train_rows),
            "test_rows": len(test_rows),
            "excluded_leaks": [asdict(leak) for leak in leaks],
        },
        calibration={
            "table": fitted.calibration_table,
            "band_cutoffs": band_cutoffs(reference),
        },
        readiness=asdict(readiness),
        artefact=fitted.to_bytes(),
    )
    return TrainingReport(
        target, model, len(rows), len(train_rows), len(test_rows), readiness, metrics, leaks
    )


def _rows_and_features(
    session: Session, workspace_id: int, target: str, *, now: datetime, seed: int
) -> tuple[TrainingRows, Callable[[TrainingRows], pd.DataFrame]]:
    if target == "leads":
        contacts = read_contact_facts(session, workspace_id)
        converted = conversion_times(session, workspace_id)
        rows = lead_rows(contacts, converted, now=epoch_of(now), seed=seed)
        return rows, lambda part: contact_features(contacts, part.record_ids, part.as_of)
    deals = read_deal_facts(session, workspace_id)
    rows = deal_rows(deals, now=epoch_of(now), seed=seed)
    return rows, lambda part: deal_features(deals, part.record_ids, part.as_of)


def _reference_population(
    session: Session,
    workspace_id: int,
    target: str,
    rows: TrainingRows,
    features: Callable[[TrainingRows], pd.DataFrame],
    now: datetime,
) -> pd.DataFrame:
    """Whom the bands should split like: the latest cutoff's records, or today's open ones
    when there is no history yet."""
    if len(rows):
        return features(rows.take(rows.as_of == rows.as_of.max()))
    ids = np.array(scorable_ids(session, workspace_id, target), dtype=np.int64)
    at = np.full(len(ids), epoch_of(now), dtype=np.int64)
    return features_frame(session, workspace_id, target, ids, at)


def _both_outcomes(rows: TrainingRows) -> bool:
    return bool(rows.outcome.any() and not rows.outcome.all())


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(int(seconds), tz=UTC)


def _explain(
    rule: ReadinessRule,
    positives: int,
    negatives: int,
    enough: bool,
    beats: bool | None,
    metrics: dict[str, dict[str, float]],
) -> str:
    if not enough:
        missing = []
        if positives < rule.min_positives:
            missing.append(f"{rule.min_positives - positives} more {rule.positive_label}")
        if negatives < rule.min_negatives:
            missing.append(f"{rule.min_negatives - negatives} more {rule.negative_label}")
        return (
            f"Scoring with point rules: the history has {positives} {rule.positive_label} and "
            f"{negatives} {rule.negative_label}; a learned model needs "
            f"{' and '.join(missing)}."
        )
    model_auc, rules_auc = metrics["model"]["auc"], metrics["rules"]["auc"]
    if not beats:
        return (
            f"Scoring with point rules: the learned model (ROC AUC {model_auc:.3f}) did not beat "
            f"them ({rules_auc:.3f}) on the latest snapshots."
        )
    return (
        f"Scoring with the learned model: ROC AUC {model_auc:.3f} against {rules_auc:.3f} for "
        f"the point rules on the latest snapshots, trained on {positives} {rule.positive_label}."
    )
