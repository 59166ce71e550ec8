"""The feedback loop: grade past predictions against what happened since, and watch drift.

A lead prediction is graded once its horizon has passed (did the contact become a customer
within it?); a deal prediction once the deal has closed. Score drift compares the latest
scoring run with the model's first one (population stability index).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from dealflow.models import Deal, Prediction, PredictiveModel, Stage
from dealflow.predict.metrics import classification_metrics
from dealflow.predict.outcomes import conversion_times

PredictionRow = Row[int, float, datetime]
LEAD_HORIZON = timedelta(days=90)
MIN_GRADED = 30
"""Graded predictions needed before metrics mean anything."""


@dataclass(frozen=True)
class Evaluation:
    model: str
    predictions: int
    graded: int
    positives: int
    metrics: dict[str, float] | None
    """AUC, PR AUC, Brier, ECE, lift; None while too few predictions are graded."""
    calibration: list[dict[str, float]]
    psi: float | None
    note: str


def evaluate_models(session: Session, workspace_id: int, *, now: datetime) -> list[Evaluation]:
    """Grade every model version that has made predictions."""
    models = session.scalars(
        select(PredictiveModel)
        .where(PredictiveModel.workspace_id == workspace_id)
        .order_by(PredictiveModel.target, PredictiveModel.version)
    ).all()
    return [
        _evaluate(session, workspace_id, model, now=now)
        for model in models
        if session.scalar(select(func.count()).where(Prediction.model_id == model.id))
    ]


def _evaluate(
    session: Session, workspace_id: int, model: PredictiveModel, *, now: datetime
) -> Evaluation:
    rows = session.execute(
        select(Prediction.record_id, Prediction.probability, Prediction.predicted_at)
        .where(Prediction.model_id == model.id)
        .order_by(Prediction.predicted_at, Prediction.id)
    ).all()
    label = f"{model.target}-v{model.version} ({model.method})"
    outcomes = (
        _lead_outcomes(session, workspace_id, rows, now=now)
        if model.target == "leads"
        else _deal_outcomes(session, workspace_id, rows)
    )
    graded = [
        (p, outcome)
        for (_, p, _), outcome in zip(rows, outcomes, strict=True)
        if outcome is not None
    ]
    probabilities = np.array([p for p, _ in graded])
    actual = np.array([o for _, o in graded], dtype=bool)
    enough = len(graded) >= MIN_GRADED and 0 < actual.sum() < len(actual)
    metrics = classification_metrics(actual, probabilities) if enough else None
    first_run, last_run = rows[0][2], rows[-1][2]
    reference = np.array([p for _, p, at in rows if at == first_run])
    latest = np.array([p for _, p, at in rows if at == last_run])
    return Evaluation(
        model=label,
        predictions=len(rows),
        graded=len(graded),
        positives=int(actual.sum()),
        metrics=metrics,
        calibration=_calibration(actual, probabilities) if enough else [],
        psi=population_stability(reference, latest) if last_run != first_run else None,
        note=""
        if enough
        else f"{len(graded)} of {len(rows)} predictions graded so far; metrics need "
        f"{MIN_GRADED} graded with both outcomes present.",
    )


def _lead_outcomes(
    session: Session, workspace_id: int, rows: Sequence[PredictionRow], *, now: datetime
) -> list[bool | None]:
    converted = conversion_times(session, workspace_id)
    results: list[bool | None] = []
    for record_id, _, predicted_at in rows:
        at = converted.get(record_id)
        if (
            at is not None
            and predicted_at.timestamp() < at <= (predicted_at + LEAD_HORIZON).timestamp()
        ):
            results.append(True)
        elif predicted_at + LEAD_HORIZON <= now:
            results.append(False)
        else:
            results.append(None)  # may still convert inside its horizon
    return results


def _deal_outcomes(
    session: Session, workspace_id: int, rows: Sequence[PredictionRow]
) -> list[bool | None]:
    closed = dict(
        session.execute(
            select(Deal.id, Stage.kind)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Deal.workspace_id == workspace_id, Stage.kind != "open")
        ).all()
    )
    return [
        None if record_id not in closed else closed[record_id] == "won" for record_id, _, _ in rows
    ]


def _calibration(
    actual: npt.NDArray[np.bool_], predicted: npt.NDArray[np.float64]
) -> list[dict[str, float]]:
    edges = np.linspace(0.0, 1.0, 11)
    table = []
    for low, high in itertools.pairwise(edges):
        inside = (predicted >= low) & ((predicted < high) | (high == 1.0))
        if inside.any():
            table.append(
                {
                    "from": float(low),
                    "to": float(high),
                    "count": int(inside.sum()),
                    "predicted": float(predicted[inside].mean()),
                    "observed": float(actual[inside].mean()),
                }
            )
    return table


def population_stability(
    reference: npt.NDArray[np.float64], current: npt.NDArray[np.float64], bins: int = 10
) -> float:
    """PSI of the current scores against the reference ones (above 0.25: a real shift)."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)))
    if len(edges) < 3:
        return 0.0
    inner = edges[1:-1]
    expected = np.bincount(
        np.searchsorted(inner, reference, side="right"), minlength=len(edges) - 1
    )
    actual = np.bincount(np.searchsorted(inner, current, side="right"), minlength=len(edges) - 1)
    expected_share = np.clip(expected / expected.sum(), 1e-4, None)
    actual_share = np.clip(actual / max(actual.sum(), 1), 1e-4, None)
    return float(np.sum((actual_share - expected_share) * np.log(actual_share / expected_share)))
