"""Raw facts of one workspace, read once in bulk: records, their history and their events.

Feature builders turn these into values "as of" any time; this module only reads the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import ColumnElement, Select, null, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from dealflow.models import (
    Activity,
    Company,
    EngagementEvent,
    PropertyChange,
)
from dealflow.predict.timeline import EventTimes, Ints, Objects, ValueHistory, epoch_seconds


@dataclass(frozen=True)
class RecordTable:
    """Current values of some columns of one object type, rows sorted by id."""

    ids: Ints
    columns: dict[str, Objects]

    def lookup(self, column: str, record_ids: Objects) -> Objects:
        """Values of ``column`` for the given ids; None where an id is None or unknown."""
        wanted = np.array([-1 if value is None else value for value in record_ids], np.int64)
        if not len(self.ids):
            return np.full(len(wanted), None, dtype=object)
        position = np.minimum(np.searchsorted(self.ids, wanted), len(self.ids) - 1)
        values: Objects = self.columns[column][position].copy()
        values[self.ids[position] != wanted] = None
        return values


@dataclass(frozen=True)
class EventLog:
    """Timed events of records (engagement of contacts, activities of contacts or deals)."""

    records: Ints
    kinds: Objects
    times: Ints
    urls: Objects

    def times_of(self, chosen: npt.NDArray[np.bool_]) -> EventTimes:
        """An index over the chosen events, for window counts and recency."""
        return EventTimes(self.records[chosen], self.times[chosen])

    def of_kinds(self, *kinds: str) -> npt.NDArray[np.bool_]:
        return np.isin(self.kinds, kinds)


def read_records(
    session: Session,
    model: Any,
    workspace_id: int,
    columns: Sequence[InstrumentedAttribute[Any]],
    *,
    where: ColumnElement[bool] | None = None,
) -> RecordTable:
    """Current values of ``columns`` for every record of ``model`` in the workspace."""
    statement = select(model.id, *columns).where(model.workspace_id == workspace_id)
    if where is not None:
        statement = statement.where(where)
    rows = session.execute(statement.order_by(model.id)).all()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    values = {
        column.key: _column_array([row[index + 1] for row in rows])
        for index, column in enumerate(columns)
    }
    return RecordTable(ids, values)


def per_distinct_value(values: Objects, describe: Callable[[Any], Any]) -> Objects:
    """``describe`` applied to each value, calling it once per distinct value."""
    codes, distinct = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    described = _column_array([describe(value) for value in distinct] + [describe(None)])
    return described[codes]  # the NA code -1 picks describe(None), kept last


def numbers(values: Objects) -> npt.NDArray[np.float64]:
    """Numbers (ints, Decimals, floats) as float64, NaN for None."""
    return per_distinct_value(values, lambda v: np.nan if v is None else float(v)).astype(float)


def _column_array(values: list[Any]) -> Objects:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def read_histories(
    session: Session, workspace_id: int, object_type: str, properties: Sequence[str]
) -> dict[str, ValueHistory]:
    """The change history of each named property of the object type."""
    rows = session.execute(
        select(
            PropertyChange.property,
            PropertyChange.record_id,
            PropertyChange.changed_at,
            PropertyChange.old_value,
        ).where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == object_type,
            PropertyChange.property.in_(properties),
        )
    ).all()
    grouped: dict[str, tuple[list[int], list[Any], list[Any]]] = {
        name: ([], [], []) for name in properties
    }
    for name, record_id, changed_at, old_value in rows:
        records, moments, olds = grouped[name]
        records.append(record_id)
        moments.append(changed_at)
        olds.append(old_value)
    return {
        name: ValueHistory(records, epoch_seconds(moments).astype(np.int64), olds)
        for name, (records, moments, olds) in grouped.items()
    }


def read_engagement(session: Session, workspace_id: int) -> EventLog:
    """Every engagement event of the workspace's contacts."""
    return _event_log(
        session,
        select(
            EngagementEvent.contact_id,
            EngagementEvent.kind,
            EngagementEvent.occurred_at,
            EngagementEvent.url,
        ).where(
            EngagementEvent.workspace_id == workspace_id, EngagementEvent.contact_id.is_not(None)
        ),
    )


def read_activities(session: Session, workspace_id: int, *, of: str) -> EventLog:
    """Every logged activity (tasks excluded: a plan is not a contact) per contact or deal."""
    owner = getattr(Activity, f"{of}_id")
    return _event_log(
        session,
        select(owner, Activity.kind, Activity.occurred_at, null()).where(
            Activity.workspace_id == workspace_id, owner.is_not(None), Activity.kind != "task"
        ),
    )


def _event_log(session: Session, statement: Select) -> EventLog:
    rows = session.execute(statement).all()
    return EventLog(
        records=np.array([row[0] for row in rows], dtype=np.int64),
        kinds=_column_array([row[1] for row in rows]),
        times=epoch_seconds(row[2] for row in rows).astype(np.int64),
        urls=_column_array([row[3] or "" for row in rows]),
    )


def read_companies(session: Session, workspace_id: int) -> RecordTable:
    """Firmographics of every company of the workspace."""
    return read_records(
        session,
        Company,
        workspace_id,
        [Company.industry, Company.employees, Company.annual_revenue, Company.country],
    )
