"""Converting a batch of rows column by column, for the batches that are all new records.

Most columns of a real file repeat a few values (stages, countries, flags, first names), so
each distinct cell is converted once per file; a column of distinct values (emails) stops
remembering after the first batch. A batch whose rows are all valid, whose keys are all
distinct and which needs no associations becomes the columns of new records directly. Any
other batch goes row by row (``TableImporter._parse``), which reports each problem and does
the updates; so does a batch when one of its keys already exists (the caller checks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table as SqlTable

from dealflow.crm.importing.converters import BLANK, Converter
from dealflow.crm.importing.mapping import ColumnRule, FilePlan

INVALID = object()
"""A cell its converter refused (the row-by-row path says why)."""

_MISSING = object()
MEMO_TRIAL = 4096  # cells converted before a column decides whether remembering pays
MEMO_LIMIT = 100_000


class ColumnConverter:
    """One rule's converter applied to a whole column, remembering the results of repeated
    text cells (converters are pure: a cell's value depends on the cell alone)."""

    __slots__ = ("convert", "looked_up", "memo", "remembering")

    def __init__(self, convert: Converter) -> None:
        self.convert = convert
        self.memo: dict[Any, Any] = {}
        self.remembering = True
        self.looked_up = 0

    def column(self, cells: Sequence[Any]) -> list[Any]:
        """The converted cells: a value, ``BLANK`` or ``INVALID`` each."""
        if not self.remembering:
            try:
                return list(map(self.convert, cells))
            except ValueError:
                return [self._one(cell) for cell in cells]
        memo = self.memo
        try:  # every cell seen before: the common case after the first batch
            return list(map(memo.__getitem__, cells))
        except KeyError:
            pass
        get = memo.get
        values = []
        for cell in cells:
            value = get(cell, _MISSING)  # only text cells are stored: 1 and True never clash
            if value is _MISSING:
                value = self._one(cell)
                if cell.__class__ is str:
                    memo[cell] = value
            values.append(value)
        self.looked_up += len(cells)
        if self.looked_up >= MEMO_TRIAL and 2 * len(memo) > self.looked_up:
            self.remembering = False  # mostly distinct values: lookups only cost
            memo.clear()
        elif len(memo) > MEMO_LIMIT:
            memo.clear()
        return values

    def _one(self, cell: Any) -> Any:
        try:
            return self.convert(cell)
        except ValueError:
            return INVALID


@dataclass
class NewColumns:
    """A batch as the columns of new records, with the values to check for existing ones."""

    count: int
    columns: dict[str, list[Any]]
    """One value per record; table columns in neither dict are NULL."""
    constants: dict[str, Any]
    keys: list[Any]
    """The key value of each row (``FilePlan.key``)."""
    unique: dict[str, list[Any]]
    """Values of other columns unique per workspace (``external_id`` when email is the key)."""


class NewRecords:
    """Builds the columns of new records from a batch of file rows, for one file plan."""

    def __init__(
        self,
        plan: FilePlan,
        table: SqlTable,
        converters: Sequence[tuple[int, ColumnRule, Converter, str, str]],
        column_defaults: dict[str, Any],
        unique_columns: Sequence[str],
        now: datetime,
    ) -> None:
        self.plan = plan
        self.table_columns = column_defaults
        self.converters = [
            (position, target, name, ColumnConverter(convert))
            for position, _rule, convert, target, name in converters
        ]
        self.required = [f.name for f in plan.spec.fields if f.required]
        self.unique_columns = [c for c in unique_columns if c != plan.key]
        self.now = now

    @staticmethod
    def applies(plan: FilePlan) -> bool:
        """Whether the plan's rows can become records without looking anything else up
        (no associations, no deal placement or stage history)."""
        return (
            plan.spec.name != "deals"
            and not plan.stage_history
            and all(rule.target != "association" for rule in plan.rules)
        )

    def columns(self, rows: Sequence[Sequence[Any]]) -> NewColumns | None:
        """The batch's new-record columns, or None when a row needs the row-by-row path (a
        bad value, a missing required value or key, a key or unique value repeated)."""
        count = len(rows)
        cells = list(zip(*rows, strict=True))
        fields: dict[str, list[Any]] = {}
        custom: dict[str, list[Any]] = {}
        for position, target, name, converter in self.converters:
            values = converter.column(cells[position])
            if INVALID in values:
                return None
            (fields if target == "field" else custom)[name] = values
        for name, value in self.plan.defaults.items():
            if name in fields:
                fields[name] = [value if v is BLANK else v for v in fields[name]]
            else:
                fields[name] = [value] * count
        for name in self.required:
            if name not in fields or BLANK in fields[name]:
                return None
        keys = fields.get(self.plan.key)
        if keys is None or BLANK in keys or len(set(keys)) != count:
            return None
        unique = {}
        for name in self.unique_columns:
            present = [v for v in fields.get(name, ()) if v is not BLANK]
            if len(set(present)) != len(present):
                return None
            if present:
                unique[name] = present
        columns, constants = self._records(count, fields, custom)
        return NewColumns(count, columns, constants, keys, unique)

    def _records(
        self, count: int, fields: dict[str, list[Any]], custom: dict[str, list[Any]]
    ) -> tuple[dict[str, list[Any]], dict[str, Any]]:
        """What ``TableImporter._new_record`` makes of each row, column by column."""
        columns: dict[str, list[Any]] = {}
        constants: dict[str, Any] = {}
        for name, default in self.table_columns.items():
            values = fields.get(name)
            if name == "properties":
                if custom:
                    columns[name] = _documents(custom, default)
                elif default is not None:
                    constants[name] = default
            elif name in ("created_at", "updated_at"):
                continue
            elif values is None:
                if default is not None:
                    constants[name] = default
            elif BLANK in values:
                filled = [default if v is BLANK else v for v in values]
                if filled.count(None) != count:
                    columns[name] = filled
            else:
                columns[name] = values
        created = fields.get("created_at")
        if created is None:
            constants["created_at"] = self.now
        else:
            columns["created_at"] = created = [self.now if v is BLANK else v for v in created]
        updated = fields.get("updated_at")
        if updated is not None:
            reference = created or [self.now] * count
            columns["updated_at"] = [
                reference[i] if v is BLANK else v for i, v in enumerate(updated)
            ]
        elif created is None:
            constants["updated_at"] = self.now
        else:
            columns["updated_at"] = created
        return columns, constants


def _documents(custom: dict[str, list[Any]], empty: Any) -> list[Any]:
    """Each row's custom properties as one document (the shared empty one when it has none)."""
    documents = []
    names = list(custom)
    for row in zip(*custom.values(), strict=True):
        pairs = zip(names, row, strict=True)
        document = {name: value for name, value in pairs if value is not BLANK}
        documents.append(document or empty)
    return documents
