"""A workspace's deals as a forecast timeline, with what the forecast shows about each open
deal (owner, team, stage, category, close date, scored win probability)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Float, String, select, type_coerce
from sqlalchemy.orm import Session

from dealflow.core.dialect import dialect_of
from dealflow.core.errors import NotFoundError
from dealflow.models import Deal, PredictiveModel, PropertyChange, Stage, User, Workspace
from dealflow.predict.forecast.timeline import DealTimeline
from dealflow.predict.timeline import DAY, Floats, Objects, ValueHistory

HISTORIES = ("stage_id", "amount", "close_date")


@dataclass(frozen=True)
class WorkspaceDeals:
    """The timeline, and per deal (same order) the columns the forecast shows."""

    timeline: DealTimeline
    names: Objects
    team: Objects
    stage_kind: Objects
    stage_probability: Floats
    category: Objects
    close_date: Objects
    win_probability: Floats
    """The active deal scorer's probability (0-1), NaN when no model scores deals."""


def read_workspace_deals(session: Session, workspace_id: int) -> WorkspaceDeals:
    """Every deal of the workspace with its stage and amount history."""
    # Core rows (no ORM entity loading), times as the driver gives them (parsed in bulk
    # below): tens of thousands of deals are read at once.
    rows = (
        session.connection()
        .execute(
            select(
                Deal.id,
                Deal.name,
                _raw(Deal.created_at).label("created_at"),
                _raw(Deal.closed_at).label("closed_at"),
                type_coerce(Deal.amount, Float()).label("amount"),
                Deal.owner_id,
                Deal.product_id,
                Deal.stage_id,
                Deal.forecast_category,
                Deal.close_date,
                Deal.win_probability,
                Stage.kind,
                Stage.probability,
                User.team_id,
            )
            .join(Stage, Stage.id == Deal.stage_id)
            .outerjoin(User, User.id == Deal.owner_id)
            .where(Deal.workspace_id == workspace_id)
            .order_by(Deal.id)
        )
        .all()
    )
    histories = _histories(session, workspace_id)
    values = list(zip(*rows, strict=True)) if rows else [() for _ in _COLUMNS]
    column = {name: _objects(list(v)) for name, v in zip(_COLUMNS, values, strict=True)}
    kind = column["kind"]
    created = _days(list(column["created_at"]))
    closed = _days(
        [at if k != "open" else None for at, k in zip(column["closed_at"], kind, strict=True)]
    )
    scores = column["win_probability"]
    if not _scorer_is_a_model(session, workspace_id):
        scores = np.full(len(rows), None, dtype=object)
    timeline = DealTimeline(
        ids=column["id"].astype(np.int64),
        created=created,
        closed=closed,
        won=kind == "won",
        amount=_floats(column["amount"]),
        amount_from=created,
        list_amount=np.full(len(rows), np.nan),
        product=column["product_id"],
        owner=column["owner_id"],
        stages=histories.get("stage_id"),
        stage_now=column["stage_id"],
        amounts=histories.get("amount"),
        expected_close=_day_numbers(list(column["close_date"])),
        expected_closes=histories.get("close_date"),
    )
    return WorkspaceDeals(
        timeline=timeline,
        names=column["name"],
        team=column["team_id"],
        stage_kind=kind,
        stage_probability=_floats(column["probability"]),
        category=column["forecast_category"],
        close_date=column["close_date"],
        win_probability=_floats(scores) / 100,
    )


_COLUMNS = (
    "id",
    "name",
    "created_at",
    "closed_at",
    "amount",
    "owner_id",
    "product_id",
    "stage_id",
    "forecast_category",
    "close_date",
    "win_probability",
    "kind",
    "probability",
    "team_id",
)
"""The columns of the deals query, in its order."""


def _floats(values: Objects) -> Floats:
    """Numbers as float64, NaN for None."""
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(np.float64)


def _scorer_is_a_model(session: Session, workspace_id: int) -> bool:
    """Whether a trained model (not the point rules) scores deals now."""
    method = session.scalar(
        select(PredictiveModel.method).where(
            PredictiveModel.workspace_id == workspace_id,
            PredictiveModel.target == "deals",
            PredictiveModel.is_active.is_(True),
        )
    )
    return method is not None and method != "rules"


def _histories(session: Session, workspace_id: int) -> dict[str, ValueHistory]:
    """Stage and amount changes of the workspace's deals (as ``facts.read_histories``, with
    times parsed in bulk); a property that never changed has no history."""
    dialect = dialect_of(session)
    rows = (
        session.connection()
        .execute(
            select(
                PropertyChange.property,
                PropertyChange.record_id,
                _raw(PropertyChange.changed_at),
                dialect.raw_json(PropertyChange.old_value),
            ).where(
                PropertyChange.workspace_id == workspace_id,
                PropertyChange.object_type == "deals",
                PropertyChange.property.in_(HISTORIES),
            )
        )
        .all()
    )
    histories = {}
    for name in HISTORIES:
        chosen = [row for row in rows if row[0] == name]
        if not chosen:
            continue
        seconds = _seconds([row[2] for row in chosen])
        olds: list[Any] = dialect.decode_json([row[3] for row in chosen])
        if name == "close_date":  # compared as day numbers
            olds = list(_day_numbers(olds))
        histories[name] = ValueHistory([row[1] for row in chosen], seconds.astype(np.int64), olds)
    return histories


def _raw(column: Any) -> Any:
    """A timestamp column read as the driver returns it (text on SQLite), without the
    per-value conversion of the ORM type: ``_seconds`` parses them all at once."""
    return type_coerce(column, String())


def _seconds(values: list[Any]) -> Floats:
    """Seconds since the epoch of timestamps stored in UTC (naive text or aware datetimes)."""
    if not values:
        return np.zeros(0)
    parsed = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
    nanoseconds = parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return np.where(parsed.isna().to_numpy(), np.nan, nanoseconds / 1e9)


def _day_numbers(dates: list[Any]) -> Floats:
    """Dates (or ISO date text, as history keeps them) as day numbers; NaN for none."""
    text = pd.Series([None if d is None else str(d) for d in dates], dtype=object)
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    days = (parsed - pd.Timestamp("1970-01-01")).dt.days
    return days.to_numpy(dtype=np.float64, na_value=np.nan)


def _days(values: list[Any]) -> Floats:
    return np.floor(_seconds(values) / DAY)


def _objects(values: list[object]) -> Objects:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def fiscal_start_month(session: Session, workspace_id: int) -> int:
    """The month (1-12) the workspace's fiscal year starts in."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFoundError(f"workspace #{workspace_id} does not exist")
    return workspace.fiscal_year_start_month
