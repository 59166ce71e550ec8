"""Score records with the active model and keep the result on the record.

Each run writes probability 0-100, band, reasons and model version on the records, logs every
prediction (so ``dealflow evaluate`` can grade them later), and keeps band changes in the
property history, where workflows see them as ``property.changed`` events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from dealflow.crm.bulk import BulkWriter
from dealflow.crm.history import Change
from dealflow.models import Contact, Deal, Prediction, PredictiveModel, Stage
from dealflow.predict.bands import bands_of
from dealflow.predict.contact_features import contact_features, read_contact_facts
from dealflow.predict.deal_features import deal_features, read_deal_facts
from dealflow.predict.outcomes import CLOSED_LEAD_STAGES
from dealflow.predict.phrases import DEAL_PHRASES, LEAD_PHRASES, Phrase
from dealflow.predict.registry import active_model, model_label
from dealflow.predict.scorers import load_scorer, plain_value
from dealflow.predict.timeline import epoch_of

TOP_REASONS = 3


@dataclass(frozen=True)
class ScoringResult:
    target: str
    model: str
    scored: int
    band_counts: dict[str, int]
    band_changes: int


@dataclass(frozen=True)
class _Target:
    object_type: str
    table: Table
    columns: tuple[str, str, str, str, str]
    """probability, band, reasons, model, scored_at columns on the record."""
    phrases: dict[str, Phrase]


TARGETS = {
    "leads": _Target(
        "contacts",
        cast(Table, Contact.__table__),
        ("score", "score_band", "score_reasons", "score_model", "scored_at"),
        LEAD_PHRASES,
    ),
    "deals": _Target(
        "deals",
        cast(Table, Deal.__table__),
        ("win_probability", "win_band", "win_reasons", "win_model", "scored_at"),
        DEAL_PHRASES,
    ),
}


def score(
    session: Session,
    workspace_id: int,
    target: str,
    *,
    now: datetime,
    record_ids: list[int] | None = None,
) -> ScoringResult:
    """Score the target's open records (or the given ones) as of ``now``.

    Reasons are worked out again only where they may have changed (see ``_needs_reasons``):
    they cost far more than the probability, and a rescoring run mostly confirms the scores
    records already have.
    """
    model = active_model(session, workspace_id, target)
    ids = np.asarray(
        record_ids if record_ids is not None else scorable_ids(session, workspace_id, target),
        dtype=np.int64,
    )
    at = np.full(len(ids), epoch_of(now), dtype=np.int64)
    features = features_frame(session, workspace_id, target, ids, at)
    scorer = load_scorer(model)
    probabilities = scorer.predict_proba(features)
    bands = bands_of(probabilities, model.calibration["band_cutoffs"])
    previous = _previous_scores(session, TARGETS[target], workspace_id)
    label = model_label(model)
    stale = _needs_reasons(ids, probabilities, features, previous, label)
    reasons: dict[int, list[dict[str, Any]]] = {}
    if stale.any():
        explained = scorer.reasons(
            features[stale].reset_index(drop=True), TARGETS[target].phrases, top=TOP_REASONS
        )
        reasons = dict(zip(ids[stale].tolist(), explained, strict=True))
    changes = _write(
        session, workspace_id, target, model, ids, probabilities, bands, reasons, previous, now
    )
    labels, counts = np.unique(bands, return_counts=True)
    return ScoringResult(
        target=target,
        model=label,
        scored=len(ids),
        band_counts=dict(zip(labels.tolist(), counts.tolist(), strict=True)),
        band_changes=changes,
    )


def scorable_ids(session: Session, workspace_id: int, target: str) -> list[int]:
    """Records that get a score: leads not yet customers, deals still open."""
    if target == "leads":
        statement = (
            select(Contact.id)
            .where(
                Contact.workspace_id == workspace_id,
                Contact.lifecycle_stage.not_in(CLOSED_LEAD_STAGES),
            )
            .order_by(Contact.id)
        )
    else:
        statement = (
            select(Deal.id)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Deal.workspace_id == workspace_id, Stage.kind == "open")
            .order_by(Deal.id)
        )
    return list(session.scalars(statement))


def _write(
    session: Session,
    workspace_id: int,
    target: str,
    model: PredictiveModel,
    ids: npt.NDArray[np.int64],
    probabilities: npt.NDArray[np.float64],
    bands: npt.NDArray[np.str_],
    reasons: dict[int, list[dict[str, Any]]],
    previous: dict[int, StoredScore],
    now: datetime,
) -> int:
    spec = TARGETS[target]
    probability_col, band_col, reasons_col, model_col, scored_col = spec.columns
    label = model_label(model)
    writer = BulkWriter(session, workspace_id, f"{target}_model")
    rows: list[dict[str, Any]] = []
    for record_id, p, band in zip(ids.tolist(), probabilities, bands, strict=True):
        row = {
            "id": record_id,
            probability_col: round(100 * p),
            band_col: str(band),
            model_col: label,
            scored_col: now,
        }
        if record_id in reasons:
            row[reasons_col] = reasons[record_id]
        rows.append(row)
    writer.update(spec.table, rows)
    writer.insert(
        cast(Table, Prediction.__table__),
        [
            {
                "model_id": model.id,
                "object_type": spec.object_type,
                "record_id": int(record_id),
                "probability": float(p),
                "band": str(band),
                "predicted_at": now,
            }
            for record_id, p, band in zip(ids, probabilities, bands, strict=True)
        ],
    )
    band_changes = [
        (record_id, Change(band_col, previous.get(record_id, _UNSCORED)[1], str(band)), now)
        for record_id, band in zip(ids.tolist(), bands, strict=True)
        if previous.get(record_id, _UNSCORED)[1] != band
    ]
    writer.changes(spec.object_type, band_changes)
    return len(band_changes)


StoredScore = tuple[int | None, str | None, str | None, list[dict[str, Any]] | None]
"""A record's stored probability, band, model label and reasons."""
_UNSCORED: StoredScore = (None, None, None, None)


def _needs_reasons(
    ids: npt.NDArray[np.int64],
    probabilities: npt.NDArray[np.float64],
    features: pd.DataFrame,
    previous: dict[int, StoredScore],
    label: str,
) -> npt.NDArray[np.bool_]:
    """Rows whose reasons must be worked out again: a new score or model, none stored yet, or
    a stored reason whose value is no longer the record's ("3 pricing visits this week")."""
    columns = {name: features[name].to_numpy() for name in features.columns}

    def still_true(reason: dict[str, Any], row: int) -> bool:
        values = columns.get(reason.get("feature", ""))
        return values is not None and plain_value(values[row]) == reason.get("value")

    needs = np.ones(len(ids), dtype=bool)
    for row, (record_id, p) in enumerate(zip(ids.tolist(), probabilities, strict=True)):
        probability, _, model, reasons = previous.get(record_id, _UNSCORED)
        needs[row] = (
            probability != round(100 * p)
            or model != label
            or reasons is None
            or not all(still_true(reason, row) for reason in reasons)
        )
    return needs


def _previous_scores(session: Session, spec: _Target, workspace_id: int) -> dict[int, StoredScore]:
    table = spec.table
    probability, band, reasons, model = (table.c[name] for name in spec.columns[:4])
    rows = session.connection().execute(
        select(table.c.id, probability, band, model, reasons).where(
            table.c.workspace_id == workspace_id
        )
    )
    return {record_id: (p, b, m, r) for record_id, p, b, m, r in rows}


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def features_frame(
    session: Session,
    workspace_id: int,
    target: str,
    ids: npt.NDArray[np.int64],
    at: npt.NDArray[np.int64],
) -> pd.DataFrame:
    """Features of the target's records at the given times (a lighter read when all are at
    one moment, as when scoring now)."""
    if target == "leads":
        moments = np.unique(at)
        only_as_of = _moment(int(moments[0])) if len(moments) == 1 else None
        facts = read_contact_facts(session, workspace_id, only_as_of=only_as_of)
        return contact_features(facts, ids, at)
    return deal_features(read_deal_facts(session, workspace_id), ids, at)
