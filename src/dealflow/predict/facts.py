"""Raw facts of one workspace, read once in bulk: records, their history and their events.

Reads go through the Core connection (plain rows, no ORM loading) and let the database turn
timestamps into epoch seconds: these reads are millions of rows at scale.

Feature builders turn these into values "as of" any time; this module only reads the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import ColumnElement, Integer, Label, Select, String, null, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session

from dealflow.core.dialect import dialect_of
from dealflow.models import (
    Activity,
    Company,
    EngagementEvent,
    PropertyChange,
)
from dealflow.predict.timeline import EventTimes, Ints, Objects, ValueHistory


@dataclass(frozen=True)
class RecordTable:
    """Current values of some columns of one object type, rows sorted by id."""

    ids: Ints
    columns: dict[str, Objects]

    def lookup(self, column: str, record_ids: Objects) -> Objects:
        """Values of ``column`` for the given ids; None where an id is None or unknown."""
        wanted = np.where(pd.isna(record_ids), -1, record_ids).astype(np.int64)
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
        return pd.Series(self.kinds, dtype=object, copy=False).isin(kinds).to_numpy()


def read_records(
    session: Session,
    model: Any,
    workspace_id: int,
    columns: Sequence[InstrumentedAttribute[Any] | Label[Any]],
    *,
    where: ColumnElement[bool] | None = None,
) -> RecordTable:
    """Current values of ``columns`` (named by attribute or label) for every record of
    ``model`` in the workspace."""
    statement = select(model.id, *columns).where(model.workspace_id == workspace_id)
    if where is not None:
        statement = statement.where(where)
    read_ids, *values = read_columns(session, statement)
    ids = np.array(read_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    return RecordTable(
        ids[order],
        {
            column.key: _column_array(cells)[order]
            for column, cells in zip(columns, values, strict=True)
        },
    )


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


def read_columns(session: Session, statement: Select[Any]) -> list[list[Any]]:
    """Each column's values over the statement's rows, in an unspecified row order shared by
    every column. Whole numbers and text (which drivers return as Python values and JSON
    carries exactly) come gathered by the database into one array per column: one value to
    read instead of a row per record, as the driver's work per row is the slow part of
    reading 100,000s of rows. Other columns come through SQLAlchemy's rows, converted."""
    columns = statement.selected_columns
    if not all(isinstance(column.type, Integer | String) for column in columns):
        rows = session.connection().execute(statement).all()
        return [list(cells) for cells in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    dialect = dialect_of(session)
    rows_of = statement.order_by(None).subquery()
    gathered = select(*(dialect.gathered(column) for column in rows_of.c))
    [row] = session.connection().execute(gathered).all()
    return [dialect.ungathered(value) for value in row]


def read_histories(
    session: Session,
    workspace_id: int,
    object_type: str,
    properties: Sequence[str],
    *,
    changed_after: datetime | None = None,
) -> dict[str, ValueHistory]:
    """The change history of each named property of the object type (only the changes after
    ``changed_after`` when given: values as of a later time need no earlier change)."""
    statement = select(
        PropertyChange.property,
        PropertyChange.record_id,
        dialect_of(session).epoch_seconds(PropertyChange.changed_at),
        PropertyChange.old_value,
    ).where(
        PropertyChange.workspace_id == workspace_id,
        PropertyChange.object_type == object_type,
        PropertyChange.property.in_(properties),
    )
    if changed_after is not None:
        statement = statement.where(PropertyChange.changed_at > changed_after)
    rows = session.connection().execute(statement).all()
    grouped: dict[str, tuple[list[int], list[Any], list[Any]]] = {
        name: ([], [], []) for name in properties
    }
    for name, record_id, changed_at, old_value in rows:
        records, moments, olds = grouped[name]
        records.append(record_id)
        moments.append(changed_at)
        olds.append(old_value)
    return {
        name: ValueHistory(records, np.array(moments, dtype=np.int64), olds)
        for name, (records, moments, olds) in grouped.items()
    }


def read_engagement(session: Session, workspace_id: int) -> EventLog:
    """Every engagement event of the workspace's contacts."""
    statement = select(
        EngagementEvent.contact_id,
        EngagementEvent.kind,
        dialect_of(session).epoch_seconds(EngagementEvent.occurred_at),
        EngagementEvent.url,
    ).where(EngagementEvent.workspace_id == workspace_id, EngagementEvent.contact_id.is_not(None))
    return _event_log(session, statement)


def read_activities(session: Session, workspace_id: int, *, of: str) -> EventLog:
    """Every logged activity (tasks excluded: a plan is not a contact) per contact or deal."""
    owner = getattr(Activity, f"{of}_id")
    statement = select(
        owner, Activity.kind, dialect_of(session).epoch_seconds(Activity.occurred_at), null()
    ).where(Activity.workspace_id == workspace_id, owner.is_not(None), Activity.kind != "task")
    return _event_log(session, statement)


def _event_log(session: Session, statement: Select) -> EventLog:
    rows = session.connection().execute(statement).all()
    records, kinds, times, urls = zip(*rows, strict=True) if rows else ((), (), (), ())
    return EventLog(
        records=np.array(records, dtype=np.int64),
        kinds=_column_array(list(kinds)),
        times=np.array(times, dtype=np.int64),
        urls=_column_array(list(urls)),
    )


def read_companies(session: Session, workspace_id: int) -> RecordTable:
    """Firmographics of every company of the workspace. The revenue comes as a plain number
    (a JSON number gathered by the database, for ``numbers``), not a Decimal: converting each
    row's amount through SQLAlchemy cost ten times the rest of the read. Amounts of up to 15
    significant digits (10^13 with cents) come exactly as the Decimal's float."""
    revenue = type_coerce(Company.annual_revenue, String).label("annual_revenue")
    columns: list[InstrumentedAttribute[Any] | Label[Any]] = [
        Company.industry,
        Company.employees,
        revenue,
        Company.country,
    ]
    return read_records(session, Company, workspace_id, columns)
