"""Predictive models as versioned data, and the log of every prediction they made."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class PredictiveModel(WorkspaceMixin, Base):
    """One trained (or rules) scorer for leads or deals: what it saw, how it did, its bytes."""

    __tablename__ = "predictive_models"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "target", "version"))

    target: Mapped[str] = mapped_column(String(20))  # "leads" or "deals"
    version: Mapped[int]
    method: Mapped[str] = mapped_column(String(20))  # "lightgbm" or "rules"
    trained_at: Mapped[datetime]
    window_start: Mapped[datetime | None]
    window_end: Mapped[datetime | None]
    features: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    calibration: Mapped[dict[str, Any]] = mapped_column(default=dict)
    readiness: Mapped[dict[str, Any]] = mapped_column(default=dict)
    artefact: Mapped[bytes | None] = mapped_column(LargeBinary)
    is_active: Mapped[bool] = mapped_column(default=False)


class Prediction(WorkspaceMixin, Base):
    """A score given to a record at a time, kept so later outcomes can grade it."""

    __tablename__ = "predictions"
    __table_args__ = sqlite_args(
        Index("ix_predictions_record", "workspace_id", "object_type", "record_id", "predicted_at"),
    )

    model_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("predictive_models.id", ondelete="CASCADE"), index=True
    )
    object_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(RecordId)
    probability: Mapped[float]
    band: Mapped[str] = mapped_column(String(1))
    predicted_at: Mapped[datetime]


class ScoringRules(WorkspaceMixin, Base):
    """A workspace's own point rules for leads or deals, used instead of the defaults (by the
    rules scorer, and as the baseline a learned model must beat)."""

    __tablename__ = "scoring_rules"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "target"))

    target: Mapped[str] = mapped_column(String(20))
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    """Each rule as ``{feature, op, value, points, label}``."""
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
