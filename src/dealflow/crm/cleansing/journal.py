"""Rows as they were before a change wrote them, so the change can be undone exactly.

A journal is a list of JSON entries: ``update`` (a row's every column before), ``repoint``
(rows whose link column moved from one record to another), ``delete`` (a removed row in
full) and ``insert`` (a row that did not exist). Undo plays them back in reverse order.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, and_, delete, insert, null, select, update
from sqlalchemy.orm import Session

from dealflow.models import Base

Entry = dict[str, Any]


def table_named(name: str) -> Table:
    return Base.metadata.tables[name]


def encode(value: Any) -> Any:
    """A column value as JSON that ``decode`` reads back to the same value."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict | list):
        return {"$json": value}
    return value


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    tag, raw = next(iter(value.items()))
    if tag == "$datetime":
        return datetime.fromisoformat(raw)
    if tag == "$date":
        return date.fromisoformat(raw)
    if tag == "$decimal":
        return Decimal(raw)
    if tag == "$bytes":
        return base64.b64decode(raw)
    return raw


def _row(session: Session, table: Table, key: dict[str, Any]) -> dict[str, Any] | None:
    where = and_(*(table.c[k] == v for k, v in key.items()))
    row = session.execute(select(table).where(where)).mappings().first()
    return dict(row) if row is not None else None


def _key_of(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {c.name: row[c.name] for c in table.primary_key.columns}


class Journal:
    """Writes rows with Core statements and remembers how each was before."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.entries: list[Entry] = []

    def remember(self, table: Table, key: dict[str, Any]) -> None:
        """Keep the row as it is now; an ORM write to it follows."""
        before = _row(self.session, table, key)
        if before is not None:
            self.entries.append({"op": "update", "table": table.name, "row": _encoded(before)})

    def repoint(self, table: Table, column: str, old: int, new: int, **where: Any) -> int:
        """Move rows whose ``column`` is ``old`` to ``new``; returns how many moved."""
        conditions = [table.c[column] == old, *(table.c[k] == v for k, v in where.items())]
        ids = [int(i) for i in self.session.scalars(select(table.c.id).where(*conditions))]
        if ids:
            self.session.execute(update(table).where(table.c.id.in_(ids)).values({column: new}))
            self.entries.append(
                {"op": "repoint", "table": table.name, "column": column, "ids": ids, "old": old}
            )
        return len(ids)

    def delete(self, table: Table, key: dict[str, Any]) -> None:
        before = _row(self.session, table, key)
        if before is None:
            return
        where = and_(*(table.c[k] == v for k, v in key.items()))
        self.session.execute(delete(table).where(where))
        self.entries.append({"op": "delete", "table": table.name, "row": _encoded(before)})

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.session.execute(insert(table).values(row))
        key = _key_of(table, row)
        self.entries.append({"op": "insert", "table": table.name, "key": _encoded(key)})


def _encoded(row: dict[str, Any]) -> dict[str, Any]:
    return {name: encode(value) for name, value in row.items()}


def _decoded(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values to write back; an empty value is SQL NULL (a JSON column would
    otherwise store the JSON text ``null``)."""
    return {
        name: null() if value is None else decode(value)
        for name, value in row.items()
        if name in table.c
    }


def undo(session: Session, entries: Sequence[Entry]) -> None:
    """Put every row the entries describe back as it was, newest entry first. The session's
    loaded objects are stale afterwards: the caller flushes and expires them once."""
    for entry in reversed(entries):
        table = table_named(entry["table"])
        op = entry["op"]
        if op == "update":
            row = _decoded(table, entry["row"])
            key = _key_of(table, row)
            where = and_(*(table.c[k] == v for k, v in key.items()))
            session.execute(update(table).where(where).values(row))
        elif op == "repoint":
            session.execute(
                update(table)
                .where(table.c.id.in_(entry["ids"]))
                .values({entry["column"]: entry["old"]})
            )
        elif op == "delete":
            session.execute(insert(table).values(_decoded(table, entry["row"])))
        elif op == "insert":
            key = _decoded(table, entry["key"])
            session.execute(delete(table).where(and_(*(table.c[k] == v for k, v in key.items()))))
