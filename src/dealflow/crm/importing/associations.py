"""Finding associated records by key (a deal's company by name, its owner by email...)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.orm import Session

from dealflow.crm.bulk import BulkWriter
from dealflow.crm.objects import ObjectSpec, object_spec
from dealflow.crm.values import parse_domain

AMBIGUOUS = -1


class AssociationResolver:
    """Looks up target records by key in batches, caching what it found (per import)."""

    def __init__(self, session: Session, workspace_id: int, writer: BulkWriter) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.writer = writer
        self.cache: dict[tuple[str, str], dict[str, int]] = {}
        self.mixed_case: dict[str, bool] = {}

    def key_for(self, target: ObjectSpec, by: str, value: str) -> str:
        """The key field to use for ``value`` (``auto`` picks email/domain/external id/name)."""
        if by != "auto":
            return by
        if "@" in value and "email" in target.keys:
            return "email"
        if target.name == "companies" and " " not in value and "." in value:
            try:
                parse_domain(value)
            except ValueError:
                return "name"
            return "domain"
        if "name" in target.keys:
            return "name"
        return target.keys[0]

    def find(self, target_name: str, by: str, wanted: Iterable[str]) -> dict[str, tuple[str, int]]:
        """``value -> (key, id)`` of the records found; with ``by="auto"`` a value the guessed
        key misses is looked up by name too (a company called "Acme.io" has no such domain)."""
        target = object_spec(target_name)
        by_key: dict[str, set[str]] = {}
        for value in wanted:
            by_key.setdefault(self.key_for(target, by, value), set()).add(value)
        found: dict[str, tuple[str, int]] = {}
        for key, values in by_key.items():
            found.update((v, (key, i)) for v, i in self.resolve(target.name, key, values).items())
            rest = values - found.keys()
            if by == "auto" and key != "name" and "name" in target.keys and rest:
                found.update(
                    (v, ("name", i)) for v, i in self.resolve(target.name, "name", rest).items()
                )
        return found

    def tried(self, target_name: str, by: str, value: str) -> str:
        """The key(s) ``find`` looked ``value`` up by, for messages (``domain or name``)."""
        target = object_spec(target_name)
        key = self.key_for(target, by, value)
        if by == "auto" and key != "name" and "name" in target.keys:
            return f"{key} or name"
        return key

    def lookup_column(self, table: Table, key: str) -> ColumnElement[Any]:
        """The column to compare normalised values with: emails match whatever their case,
        folding the stored ones only when some are not lower-case already (keeps the index)."""
        column = table.c[key]
        if key != "email":
            return column
        if table.name not in self.mixed_case:
            self.mixed_case[table.name] = (
                self.session.scalar(
                    select(table.c.id)
                    .where(table.c.workspace_id == self.workspace_id, column != func.lower(column))
                    .limit(1)
                )
                is not None
            )
        return func.lower(column, type_=column.type) if self.mixed_case[table.name] else column

    def resolve(self, target_name: str, key: str, wanted: Iterable[str]) -> dict[str, int]:
        """Ids of the target records whose ``key`` equals each wanted value; values found
        more than once map to AMBIGUOUS, values not found are absent."""
        target = object_spec(target_name)
        cached = self.cache.setdefault((target.name, key), {})
        missing = {value for value in wanted if value not in cached}
        if missing:
            table: Table = target.model.__table__  # type: ignore[assignment]
            column = self.lookup_column(table, key)
            lookup = list({_normalised(key, value) for value in missing})
            for chunk_start in range(0, len(lookup), 2000):
                chunk = lookup[chunk_start : chunk_start + 2000]
                rows = self.session.execute(
                    select(column, table.c.id).where(
                        table.c.workspace_id == self.workspace_id, column.in_(chunk)
                    )
                )
                found: dict[str, int] = {}
                for value, record_id in rows:
                    found[value] = AMBIGUOUS if value in found else record_id
                for original in missing:
                    normalised = _normalised(key, original)
                    if normalised in found:
                        cached[original] = found[normalised]
        return {value: cached[value] for value in wanted if value in cached}

    def create(self, target_name: str, key: str, values: list[str], now: datetime) -> None:
        """Create target records that only carry their key (``create_missing`` in a mapping)."""
        target = object_spec(target_name)
        table: Table = target.model.__table__  # type: ignore[assignment]
        rows: list[dict[str, Any]] = []
        for value in values:
            row: dict[str, Any] = {key: value}
            if "name" not in row and "name" in table.c:
                row["name"] = value
            if "properties" in table.c:
                row["properties"] = {}
            for stamp in ("created_at", "updated_at"):
                if stamp in table.c:
                    row[stamp] = now
            rows.append(row)
        ids = self.writer.insert(table, rows, emit_created=target.name)
        cached = self.cache.setdefault((target.name, key), {})
        cached.update(zip(values, ids, strict=True))


def _normalised(key: str, value: str) -> str:
    if key == "email":
        return value.strip().lower()
    if key == "domain":
        try:
            return parse_domain(value)
        except ValueError:
            return value
    return value
