"""Fast writes of many records at once, for imports and generated data.

Rows get ids reserved up front, are written with the backend's bulk path (executemany on
SQLite, COPY on PostgreSQL), and their ``record.created`` events and history rows go into the
same transaction, exactly as single writes would. The events of new records are copied from
the records by the database (INSERT ... SELECT), so they cost no Python per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, insert, literal, select, update
from sqlalchemy.orm import Session

from dealflow.core.dialect import Dialect, dialect_of
from dealflow.crm import outbox
from dealflow.crm.history import CHANGE_COLUMNS, Change
from dealflow.crm.values import to_json_value
from dealflow.models import OutboxEvent, PropertyChange


class BulkWriter:
    """Bulk inserts into one workspace, inside the caller's transaction."""

    def __init__(self, session: Session, workspace_id: int, source: str) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.source = source
        self.dialect: Dialect = dialect_of(session)

    def insert(
        self,
        table: Table,
        rows: Sequence[Mapping[str, Any]],
        *,
        emit_created: str | None = None,
    ) -> list[int]:
        """Insert ``rows`` (dicts of column values, without id/workspace_id); returns their ids.

        With ``emit_created`` (an object type), each row gets a ``record.created`` event at
        its ``created_at``.
        """
        if not rows:
            return []
        names = list(rows[0].keys())
        ids = list(self.dialect.reserve_ids(self.session, table, len(rows)))
        self.dialect.bulk_insert(
            self.session,
            table,
            ["id", "workspace_id", *names],
            [
                (record_id, self.workspace_id, *(row[name] for name in names))
                for record_id, row in zip(ids, rows, strict=True)
            ],
        )
        if emit_created:
            self.created_events(table, ids, emit_created)
        return ids

    def insert_columns(
        self,
        table: Table,
        count: int,
        columns: Mapping[str, list[Any]],
        constants: Mapping[str, Any],
        *,
        emit_created: str | None = None,
    ) -> list[int]:
        """Insert ``count`` records given column by column (``columns``: one value per record;
        ``constants``: one value for all); returns their ids. Columns left out are NULL.

        Each column's values are converted for the driver once per distinct value, which is
        what makes this faster than ``insert`` for wide batches of repeated values.
        """
        if not count:
            return []
        ids = list(self.dialect.reserve_ids(self.session, table, count))
        self.dialect.bulk_insert_columns(
            self.session,
            table,
            count,
            {"id": ids, **columns},
            {"workspace_id": self.workspace_id, **constants},
        )
        if emit_created:
            self.created_events(table, ids, emit_created)
        return ids

    def created_events(self, table: Table, ids: Sequence[int], object_type: str) -> None:
        """One ``record.created`` event per record of ``ids`` (just inserted), at its
        ``created_at``, in id order; written by the database from the records themselves."""
        if not ids:
            return
        record_id = table.c.id
        low, high = min(ids), max(ids)
        chosen: ColumnElement[bool]
        if high - low + 1 == len(ids):  # reserved ids are distinct: every id between is ours
            chosen = record_id.between(low, high)
        else:
            chosen = self.dialect.one_of(record_id, ids)
        events: Table = OutboxEvent.__table__  # type: ignore[assignment]
        payload = literal({"source": self.source}, type_=events.c.payload.type)
        statement = insert(events).from_select(
            ["workspace_id", "topic", "object_type", "record_id", "payload", "occurred_at"],
            select(
                table.c.workspace_id,
                literal(outbox.RECORD_CREATED, type_=events.c.topic.type),
                literal(object_type, type_=events.c.object_type.type),
                record_id,
                payload,
                table.c.created_at,
            )
            # The ids are this workspace's new rows: also filtering by workspace would only
            # tempt the planner into reading the workspace's whole index.
            .where(chosen)
            .order_by(record_id),
        )
        self.session.execute(statement)

    def events(
        self, events: Sequence[tuple[str, str, int | None, dict[str, Any], datetime]]
    ) -> None:
        """Write outbox events given as (topic, object_type, record_id, payload, occurred_at)."""
        if not events:
            return
        table = OutboxEvent.__table__
        ids = self.dialect.reserve_ids(self.session, table, len(events))  # type: ignore[arg-type]
        self.dialect.bulk_insert(
            self.session,
            table,  # type: ignore[arg-type]
            outbox.EVENT_COLUMNS,
            [
                (event_id, self.workspace_id, topic, object_type, record_id, payload, at)
                for event_id, (topic, object_type, record_id, payload, at) in zip(
                    ids, events, strict=True
                )
            ],
        )

    def update(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Set columns of existing records, each row giving its ``id`` and new values; one
        executemany per set of columns. Rows of other workspaces are left untouched."""
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            columns = tuple(sorted(name for name in row if name != "id"))
            params = {f"new_{name}": row[name] for name in columns}
            by_columns.setdefault(columns, []).append({"record_id": row["id"], **params})
        for columns, params_list in by_columns.items():
            statement = (
                update(table)
                .where(table.c.id == bindparam("record_id"))
                .where(table.c.workspace_id == self.workspace_id)
                .values({name: bindparam(f"new_{name}") for name in columns})
            )
            self.session.execute(statement, params_list)

    def changes(
        self,
        object_type: str,
        changes: Sequence[tuple[int, Change, datetime]],
        *,
        changed_by: int | None = None,
        emit: bool = True,
    ) -> None:
        """Keep history rows given as (record_id, change, changed_at), with their
        ``property.changed`` events unless ``emit`` is False (replayed history)."""
        if not changes:
            return
        table = PropertyChange.__table__
        ids = self.dialect.reserve_ids(self.session, table, len(changes))  # type: ignore[arg-type]
        rows = []
        events = []
        for change_id, (record_id, change, at) in zip(ids, changes, strict=True):
            old, new = to_json_value(change.old), to_json_value(change.new)
            rows.append(
                (
                    change_id,
                    self.workspace_id,
                    object_type,
                    record_id,
                    change.property,
                    old,
                    new,
                    at,
                    changed_by,
                    self.source,
                )
            )
            events.append(
                (
                    outbox.PROPERTY_CHANGED,
                    object_type,
                    record_id,
                    {"property": change.property, "old": old, "new": new, "source": self.source},
                    at,
                )
            )
        self.dialect.bulk_insert(self.session, table, CHANGE_COLUMNS, rows)  # type: ignore[arg-type]
        if emit:
            self.events(events)
