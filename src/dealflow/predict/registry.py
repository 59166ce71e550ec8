"""Models are data: each trained scorer is a numbered version with what it saw and how it did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dealflow.core.errors import NotFoundError
from dealflow.models import PredictiveModel

TARGETS = ("leads", "deals")


def register_model(
    session: Session,
    workspace_id: int,
    *,
    target: str,
    method: str,
    trained_at: datetime,
    window: tuple[datetime | None, datetime | None],
    features: Sequence[str],
    metrics: dict[str, Any],
    calibration: dict[str, Any],
    readiness: dict[str, Any],
    artefact: bytes | None,
) -> PredictiveModel:
    """Store a new version for the target and make it the one that scores."""
    latest = session.scalar(
        select(func.max(PredictiveModel.version)).where(
            PredictiveModel.workspace_id == workspace_id, PredictiveModel.target == target
        )
    )
    session.execute(
        update(PredictiveModel)
        .where(PredictiveModel.workspace_id == workspace_id, PredictiveModel.target == target)
        .values(is_active=False)
    )
    model = PredictiveModel(
        workspace_id=workspace_id,
        target=target,
        version=(latest or 0) + 1,
        method=method,
        trained_at=trained_at,
        window_start=window[0],
        window_end=window[1],
        features=list(features),
        metrics=metrics,
        calibration=calibration,
        readiness=readiness,
        artefact=artefact,
        is_active=True,
    )
    session.add(model)
    session.flush()
    return model


def active_model(session: Session, workspace_id: int, target: str) -> PredictiveModel:
    """The version that scores the target now; NotFoundError before the first training."""
    model = session.scalar(
        select(PredictiveModel).where(
            PredictiveModel.workspace_id == workspace_id,
            PredictiveModel.target == target,
            PredictiveModel.is_active.is_(True),
        )
    )
    if model is None:
        raise NotFoundError(f"no {target} model yet: run `dealflow train {target}` first")
    return model


def models_of(session: Session, workspace_id: int) -> Sequence[PredictiveModel]:
    """Every version of every target, newest first."""
    return session.scalars(
        select(PredictiveModel)
        .where(PredictiveModel.workspace_id == workspace_id)
        .order_by(PredictiveModel.target, PredictiveModel.version.desc())
    ).all()


def model_label(model: PredictiveModel) -> str:
    """How a score names its model on the record: ``leads-v3 (lightgbm)``."""
    return f"{model.target}-v{model.version} ({model.method})"
