"""Importing one table into one object type: parse, validate, resolve, upsert in batches."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table as SqlTable
from sqlalchemy import UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.history import Change
from dealflow.crm.importing.associations import AMBIGUOUS, AssociationResolver
from dealflow.crm.importing.columnar import NewColumns, NewRecords
from dealflow.crm.importing.converters import BLANK, compile_rule
from dealflow.crm.importing.deal_stages import DealStages, closing_time
from dealflow.crm.importing.mapping import ColumnRule, FilePlan, MappingError
from dealflow.crm.importing.read_ahead import ReadAhead
from dealflow.crm.importing.readers import RowProblem, Table
from dealflow.crm.importing.report import ErrorLog, RowError
from dealflow.crm.objects import object_spec
from dealflow.crm.properties import define_property
from dealflow.crm.values import date_parser, to_json_value

Progress = Callable[[int], None]
EMPTY_DOCUMENT: dict[str, Any] = {}
"""Shared by every new record without custom properties (never mutated), so bulk writes
serialise it once."""


@dataclass
class FileResult:
    """What importing one file did."""

    file: str
    object_type: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.invalid


class ParsedRow:
    """One file row as typed values, with the problems found in it."""

    __slots__ = ("custom", "fields", "key", "links", "problems", "row", "stage_dates")

    def __init__(self, row: int) -> None:
        self.row = row
        self.fields: dict[str, Any] = {}
        self.custom: dict[str, Any] = {}
        self.links: dict[str, tuple[ColumnRule, str]] = {}
        self.stage_dates: dict[str, date] = {}
        self.problems: list[tuple[str, Any, str]] = []
        self.key: tuple[str, Any] = ("", None)
        """The key field the row is matched by and its value (the plan's key, or a fallback)."""

    def fail(self, column: str, value: Any, reason: str) -> None:
        self.problems.append((column, value, reason))


@dataclass
class ReadBatch:
    """Rows read from the file, with their new-record columns when they are all new-able."""

    rows: list[tuple[int, list[Any]]]
    new: NewColumns | None
    position: int
    """How far into the file the reader was (for progress)."""
    full: bool


class TableImporter:
    """Imports the rows of one table according to one file plan, inside the caller's
    transaction. Bad rows go to the error log; good rows are written (the caller decides
    whether to keep them)."""

    def __init__(
        self,
        session: Session,
        workspace_id: int,
        plan: FilePlan,
        log: ErrorLog,
        writer: BulkWriter,
        resolver: AssociationResolver,
        batch_size: int = 5000,
    ) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.plan = plan
        self.spec = plan.spec
        self.table: SqlTable = self.spec.model.__table__  # type: ignore[assignment]
        self.log = log
        self.writer = writer
        self.resolver = resolver
        self.batch_size = batch_size
        self.now = clock.now()
        self.created_ranges: list[tuple[int, int]] = []
        self.touched: set[int] = set()
        self.deferred: list[tuple[int, int, ColumnRule, str]] = []
        self.deals: DealStages | None = None
        self.defaults = _column_defaults(self.table)
        self.column_names = frozenset(self.table.c.keys())
        self.required = [
            (f.name, next((r.column for r in plan.rules if r.name == f.name), ""))
            for f in self.spec.fields
            if f.required
        ]
        self.key_column = next((r.column for r in plan.rules if r.name == plan.key), "")
        mapped = {r.name for r in plan.rules if r.target == "field"}
        # A row whose key is blank is matched by the next key it has (a contact exported
        # without external id is found by its email).
        self.keys = (plan.key, *(k for k in self.spec.keys if k != plan.key and k in mapped))
        self.unique_columns = _unique_columns(self.table)
        self.has_self_links = any(
            (a := self.spec.association(r.name)) is not None and a.target == self.spec.name
            for r in plan.rules
            if r.target == "association"
        )
        self.unchanged_ids: set[int] = set()
        self.statistics_due_at = 20_000  # rows created; doubles after each refresh

    # ------------------------------------------------------------------ entry point

    def run(self, table: Table, progress: Progress | None = None) -> FileResult:
        self.result = FileResult(table.path.name, self.spec.name)
        self.file_label = table.path.name
        positions = self._check_header(table.header)
        self.converters = [
            (positions[rule.column], rule, compile_rule(rule, self.plan), rule.target, rule.name)
            for rule in self.plan.rules
        ]
        self.stage_columns = [
            (stage, positions[column]) for stage, column in self.plan.stage_history.items()
        ]
        self.parse_stage_date = date_parser(
            next((r.formats for r in self.plan.rules if r.formats), ())
        )
        self._prepare_properties()
        if self.spec.name == "deals":
            self.deals = DealStages(self.session, self.workspace_id, self.plan, self.now)
        self.new_records = (
            NewRecords(
                self.plan, self.table, self.converters, self.defaults, self.unique_columns, self.now
            )
            if NewRecords.applies(self.plan)
            else None
        )
        read = self._read(table)
        # A server works beside us: the next batches are read while it writes this one.
        ahead = ReadAhead(read) if self.writer.dialect.server_process else nullcontext(read)
        with ahead as items:
            for item in items:
                if isinstance(item, ReadBatch):
                    self._write_cells(item)
                    if progress and item.full:
                        progress(item.position)
                else:
                    row_number, problem = item
                    reason = (problem.column, problem.value, problem.reason)
                    self._reject(ParsedRow(row_number), [reason])
        self._resolve_deferred()
        if progress:
            progress(table.size)
        return self.result

    # ------------------------------------------------------------------ set-up

    def _check_header(self, header: list[str]) -> dict[str, int]:
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            if name in positions and (name in self.plan.mapped_columns()):
                raise MappingError(
                    f"{self.file_label}: column {name!r} appears twice in the header"
                )
            positions.setdefault(name, index)
        missing = sorted(self.plan.mapped_columns() - set(positions))
        if missing:
            raise MappingError(
                f"{self.file_label}: the mapping expects column(s) "
                f"{', '.join(repr(m) for m in missing)}, which the file does not have. "
                f"Its columns: {', '.join(repr(h) for h in header)}"
            )
        unknown = [
            name
            for name in header
            if name not in self.plan.mapped_columns() and name not in self.plan.ignored
        ]
        if unknown:
            raise MappingError(
                f"{self.file_label}: column(s) {', '.join(repr(u) for u in unknown)} are not in "
                "the mapping. Map them, or list them with an empty target (`column: ~`) to skip"
            )
        return positions

    def _prepare_properties(self) -> None:
        for rule in self.plan.rules:
            if rule.target == "property":
                define_property(
                    self.session,
                    self.workspace_id,
                    self.spec.name,
                    rule.name,
                    rule.property_type,
                    options=rule.property_options or None,
                )

    # ------------------------------------------------------------------ parsing

    def _parse(self, row_number: int, values: list[Any]) -> ParsedRow:
        # The hot loop of every import: locals and precomputed tuples on purpose.
        parsed = ParsedRow(row_number)
        fields, custom, links = parsed.fields, parsed.custom, parsed.links
        for position, rule, convert, target, name in self.converters:
            raw = values[position]
            try:
                value = convert(raw)
            except ValueError as error:
                parsed.fail(rule.column, raw, str(error))
                continue
            if value is BLANK:
                continue
            if target == "field":
                fields[name] = value
            elif target == "property":
                custom[name] = value
            else:
                links[name] = (rule, value)
        for stage, position in self.stage_columns:
            raw = values[position]
            if raw in ("", None):
                continue
            try:
                parsed.stage_dates[stage.lower()] = self.parse_stage_date(raw)
            except ValueError as error:
                parsed.fail(self.plan.stage_history[stage], raw, str(error))
        for name, value in self.plan.defaults.items():
            parsed.fields.setdefault(name, value)
        for name, column in self.required:
            if name not in fields:
                parsed.fail(column, "", f"{name} is required")
        key_name = next((k for k in self.keys if k in parsed.fields), None)
        if key_name is not None:
            parsed.key = (key_name, parsed.fields[key_name])
        elif not parsed.problems:
            keys = " and ".join(self.keys)
            empty = f"the key {keys} is" if len(self.keys) == 1 else f"the keys {keys} are"
            parsed.fail(self.key_column, "", f"{empty} empty, so the row cannot be matched")
        return parsed

    # ------------------------------------------------------------------ writing

    def _read(self, table: Table) -> Iterator[ReadBatch | tuple[int, RowProblem]]:
        """The file's batches, converted to new-record columns where they can be, and the
        rows the reader could not read, in file order (runs in the read-ahead thread)."""
        rows: list[tuple[int, list[Any]]] = []
        for row_number, values in table.rows:
            if isinstance(values, RowProblem):
                yield row_number, values
                continue
            rows.append((row_number, values))
            if len(rows) >= self.batch_size:
                yield self._batch(rows, table.position(), full=True)
                rows = []
        yield self._batch(rows, table.position(), full=False)

    def _batch(self, rows: list[tuple[int, list[Any]]], position: int, full: bool) -> ReadBatch:
        new = None
        if self.new_records is not None and rows:
            new = self.new_records.columns([values for _, values in rows])
        return ReadBatch(rows, new, position, full)

    def _write_cells(self, batch: ReadBatch) -> None:
        """Write a batch of file rows: straight from its columns when all are valid new
        records, else row by row."""
        if not batch.rows:
            return
        if batch.new is not None and self._insert_new(batch.new):
            return
        self._write([self._parse(row_number, values) for row_number, values in batch.rows])

    def _insert_new(self, new: NewColumns) -> bool:
        """Insert the batch as new records; False, with nothing written, when a record has
        one of its keys or unique values already.

        When the key is a unique column compared as it is, the database's unique indexes
        tell (the insert fails, and is undone); otherwise the keys are looked up first.
        """
        key_column = self.resolver.lookup_column(self.table, self.plan.key)
        if self.plan.key in self.unique_columns and key_column is self.table.c[self.plan.key]:
            try:
                with self.session.begin_nested():
                    ids = self._insert_columns(new)
            except IntegrityError:
                return False
        else:
            self._refresh_statistics()
            if self._any_taken(new):
                return False
            ids = self._insert_columns(new)
        self._created(ids)
        return True

    def _any_taken(self, new: NewColumns) -> bool:
        """Whether a record already has one of the batch's keys or unique values."""
        for name, values in ((self.plan.key, new.keys), *new.unique.items()):
            column = self.resolver.lookup_column(self.table, name)
            for start in range(0, len(values), 2000):
                statement = select(self.table.c.id).where(
                    self.table.c.workspace_id == self.workspace_id,
                    self.writer.dialect.one_of(column, values[start : start + 2000]),
                )
                if self.session.execute(statement).first() is not None:
                    return True
        return False

    def _insert_columns(self, new: NewColumns) -> list[int]:
        return self.writer.insert_columns(
            self.table, new.count, new.columns, new.constants, emit_created=self.spec.name
        )

    def _write(self, batch: list[ParsedRow]) -> None:
        if not batch:
            return
        self._refresh_statistics()
        self._resolve_links(batch)
        if self.deals is not None:
            for row in batch:
                self.deals.place(row)
        good = self._unique_keys([row for row in batch if not self._rejected(row)])
        good = [row for row in good if not self._rejected(row)]
        existing = self._existing(good)
        self._check_unique(good, existing)
        good = [row for row in good if not self._rejected(row)]
        new_rows = [row for row in good if row.key not in existing]
        old_rows = [row for row in good if row.key in existing]
        self._insert(new_rows)
        self._update(old_rows, existing)

    def _rejected(self, row: ParsedRow) -> bool:
        if not row.problems:
            return False
        self._reject(row, row.problems)
        row.problems = []
        row.fields = {}  # marks the row as handled
        return True

    def _reject(self, row: ParsedRow, problems: Sequence[tuple[str, Any, str]]) -> None:
        for column, value, reason in problems:
            self.log.add(RowError(self.file_label, row.row, column, value, reason))
        self.result.invalid += 1

    def _resolve_links(self, batch: list[ParsedRow]) -> None:
        by_rule: dict[tuple[str, str, bool], set[str]] = {}
        for row in batch:
            for name, (rule, value) in row.links.items():
                association = self.spec.association(name)
                assert association is not None
                if association.target == self.spec.name:
                    continue  # self-references are resolved after the whole file
                by_rule.setdefault((association.target, rule.by, rule.create_missing), set()).add(
                    value
                )
        found: dict[tuple[str, str, bool], dict[str, tuple[str, int]]] = {}
        for (target_name, by, create_missing), wanted in by_rule.items():
            ids = self.resolver.find(target_name, by, wanted)
            if create_missing:
                absent: dict[str, list[str]] = {}
                target = object_spec(target_name)
                for value in sorted(wanted - ids.keys()):
                    absent.setdefault(self.resolver.key_for(target, by, value), []).append(value)
                for key, values in absent.items():
                    self.resolver.create(target_name, key, values, self.now)
                if absent:
                    ids = self.resolver.find(target_name, by, wanted)
            found[(target_name, by, create_missing)] = ids
        for row in batch:
            for name, (rule, value) in list(row.links.items()):
                association = self.spec.association(name)
                assert association is not None
                if association.target == self.spec.name:
                    continue
                target = object_spec(association.target)
                key, record_id = found[(association.target, rule.by, rule.create_missing)].get(
                    value, (self.resolver.tried(target.name, rule.by, value), None)
                )
                if record_id is None:
                    row.fail(rule.column, value, f"no {target.singular} with {key} {value!r}")
                elif record_id == AMBIGUOUS:
                    row.fail(
                        rule.column, value,
                        f"several {target.name} have {key} {value!r}; use a unique key",
                    )  # fmt: skip
                else:
                    row.fields[association.column] = record_id

    def _unique_keys(self, rows: list[ParsedRow]) -> list[ParsedRow]:
        """Reject rows whose key already appeared in this file (or collapse identical ones
        when the plan deduplicates)."""
        seen: dict[tuple[str, Any], ParsedRow] = {}
        unique = []
        for row in rows:
            first = seen.get(row.key)
            if first is None:
                seen[row.key] = row
                unique.append(row)
            elif (
                self.plan.deduplicate and first.fields == row.fields and first.custom == row.custom
            ):
                self.result.unchanged += 1
            else:
                # Kept in the list, so the caller reports it with the other bad rows.
                name, value = row.key
                row.fail(
                    self.plan.column_of(name),
                    value,
                    f"duplicate key: row {first.row} has the same {name}",
                )
                unique.append(row)
        return unique

    def _existing(self, rows: list[ParsedRow]) -> dict[tuple[str, Any], dict[str, Any]]:
        """The records the rows match, by ``row.key``; a key that matches several records
        (a name two companies share) fails its row instead."""
        wanted: dict[str, list[Any]] = {}
        for row in rows:
            wanted.setdefault(row.key[0], []).append(row.key[1])
        found: dict[tuple[str, Any], dict[str, Any]] = {}
        ambiguous: set[tuple[str, Any]] = set()
        for key_name, values in wanted.items():
            column = self.resolver.lookup_column(self.table, key_name)
            for start in range(0, len(values), 2000):
                matches = self.session.execute(
                    select(self.table, column.label("_matched_key")).where(
                        self.table.c.workspace_id == self.workspace_id,
                        self.writer.dialect.one_of(column, values[start : start + 2000]),
                    )
                ).mappings()
                for match in matches:
                    record = dict(match)
                    key = (key_name, record.pop("_matched_key"))
                    if key in found and found[key]["id"] != record["id"]:
                        ambiguous.add(key)
                    found[key] = record
        for row in rows:
            if row.key in ambiguous:
                name, value = row.key
                row.fail(
                    self.plan.column_of(name), value,
                    f"several {self.spec.name} have {name} {value!r}; use a unique key",
                )  # fmt: skip
        return found

    def _check_unique(
        self, rows: list[ParsedRow], existing: dict[tuple[str, Any], dict[str, Any]]
    ) -> None:
        """Fail rows that would give a record a value another record (or row) already has in
        a unique column, before the database refuses the whole batch."""
        for column_name in self.unique_columns:
            claims: dict[Any, ParsedRow] = {}
            for row in rows:
                value = row.fields.get(column_name)
                # A row's own key needs no check: it matched its record (or none has it), and
                # rows repeating it were rejected already.
                if value is None or row.problems or row.key[0] == column_name:
                    continue
                first = claims.get(value)
                if first is not None:
                    row.fail(
                        self.plan.column_of(column_name), value,
                        f"row {first.row} has the same {column_name}",
                    )  # fmt: skip
                else:
                    claims[value] = row
            if not claims:
                continue
            column = self.resolver.lookup_column(self.table, column_name)
            owners: dict[Any, set[int]] = {}
            values = list(claims)
            for start in range(0, len(values), 2000):
                for value, record_id in self.session.execute(
                    select(column, self.table.c.id).where(
                        self.table.c.workspace_id == self.workspace_id,
                        self.writer.dialect.one_of(column, values[start : start + 2000]),
                    )
                ):
                    owners.setdefault(value, set()).add(record_id)
            for value, row in claims.items():
                target = existing.get(row.key, {}).get("id")
                others = owners.get(value, set()) - {target}
                if not others:
                    continue
                earlier = any(self._created_here(o) or o in self.touched for o in others)
                where = (
                    "an earlier row of this file"
                    if earlier
                    else f"another {self.spec.singular} (#{min(others)})"
                )
                row.fail(
                    self.plan.column_of(column_name),
                    value,
                    f"{where} already has this {column_name}",
                )

    def _created_here(self, record_id: int) -> bool:
        index = bisect.bisect_right(self.created_ranges, (record_id, float("inf"))) - 1
        return (
            index >= 0
            and self.created_ranges[index][0] <= record_id <= self.created_ranges[index][1]
        )

    # ------------------------------------------------------------------ inserts

    def _insert(self, rows: list[ParsedRow]) -> None:
        if not rows:
            return
        records = []
        histories: list[tuple[int, list[tuple[Change, datetime]]]] = []
        for index, row in enumerate(rows):
            record, history = self._new_record(row)
            records.append(record)
            if history:
                histories.append((index, history))
        ids = self.writer.insert(self.table, records, emit_created=self.spec.name)
        self._created(ids)
        changes = [
            (ids[index], change, at) for index, history in histories for change, at in history
        ]
        self.writer.changes(self.spec.name, changes, emit=False)
        for record_id, row in zip(ids, rows, strict=True):
            self._defer_self_links(record_id, row)

    def _created(self, ids: list[int]) -> None:
        self._remember_created(ids)
        self.result.created += len(ids)

    def _refresh_statistics(self) -> None:
        """Tell the planner how big the table has grown, before key lookups (now and then:
        inserts straight from columns look nothing up)."""
        if self.result.created >= self.statistics_due_at:
            self.writer.dialect.refresh_statistics(self.session, self.table)
            while self.statistics_due_at <= self.result.created:
                self.statistics_due_at *= 2

    def _remember_created(self, ids: list[int]) -> None:
        for record_id in ids:
            if self.created_ranges and self.created_ranges[-1][1] == record_id - 1:
                self.created_ranges[-1] = (self.created_ranges[-1][0], record_id)
            else:
                self.created_ranges.append((record_id, record_id))
        self.created_ranges.sort()

    def _new_record(self, row: ParsedRow) -> tuple[dict[str, Any], list[tuple[Change, datetime]]]:
        record = dict(self.defaults)
        history: list[tuple[Change, datetime]] = []
        columns = self.column_names
        record.update({k: v for k, v in row.fields.items() if k in columns})
        if row.custom:
            record["properties"] = dict(row.custom)
        if self.deals is not None and "stage_id" in row.fields:
            history = self.deals.history(row, record)
        if "created_at" in record and record["created_at"] is None:
            record["created_at"] = self.now
        closes = self.deals is not None and self.deals.is_closed(record.get("stage_id"))
        if closes and record.get("closed_at") is None:
            record["closed_at"] = closing_time(record)
        if "updated_at" in record and record["updated_at"] is None:
            last_change = history[-1][1] if history else None
            record["updated_at"] = (
                row.fields.get("updated_at") or last_change or record["created_at"]
            )
        if (
            "currency" in self.table.c
            and record.get("currency") is None
            and self.spec.name == "deals"
        ):
            record["currency"] = "USD"
        return record, history

    def _defer_self_links(self, record_id: int, row: ParsedRow) -> None:
        for name, (rule, value) in row.links.items():
            association = self.spec.association(name)
            if association is not None and association.target == self.spec.name:
                self.deferred.append((record_id, row.row, rule, value))

    # ------------------------------------------------------------------ updates

    def _update(
        self, rows: list[ParsedRow], existing: dict[tuple[str, Any], dict[str, Any]]
    ) -> None:
        updates: list[dict[str, Any]] = []
        changes: list[tuple[int, Change, datetime]] = []
        stage_events = []
        for row in rows:
            current = existing[row.key]
            record_id = current["id"]
            if self._created_here(record_id) or record_id in self.touched:
                if self.plan.deduplicate and self._differences(row, current) == {}:
                    self.result.unchanged += 1
                    continue
                name, value = row.key
                reason = f"duplicate key: an earlier row has the same {name}"
                self._reject(row, [(self.plan.column_of(name), value, reason)])
                continue
            self.touched.add(record_id)
            self._defer_self_links(record_id, row)
            new_values = self._differences(row, current)
            if not new_values:
                self.result.unchanged += 1
                if self.has_self_links:
                    self.unchanged_ids.add(record_id)
                continue
            if "stage_id" in new_values:
                assert self.deals is not None
                stage_events.append(
                    self.deals.stage_event(record_id, current["stage_id"], new_values["stage_id"])
                )
            changes += self._changes(record_id, current, new_values)
            new_values["updated_at"] = self.now
            updates.append({"id": record_id, **new_values})
            self.result.updated += 1
        self.writer.update(self.table, updates)
        self.writer.changes(self.spec.name, changes)
        self.writer.events(stage_events)

    def _changes(
        self, record_id: int, current: dict[str, Any], new_values: dict[str, Any]
    ) -> list[tuple[int, Change, datetime]]:
        """History entries for an update: one per field, one per custom property."""
        changes = []
        for name, value in new_values.items():
            if name != "properties":
                changes.append((record_id, Change(name, current.get(name), value), self.now))
                continue
            before = current.get("properties") or {}
            for prop, prop_value in value.items():
                if not _same_json(before.get(prop), prop_value):
                    changes.append(
                        (record_id, Change(prop, before.get(prop), prop_value), self.now)
                    )
        return changes

    def _differences(self, row: ParsedRow, current: dict[str, Any]) -> dict[str, Any]:
        """New values of the row that differ from the record (blank cells change nothing)."""
        new_values: dict[str, Any] = {}
        for name, value in row.fields.items():
            if name not in self.table.c or name in ("created_at", "updated_at", "id"):
                continue
            if to_json_value(current.get(name)) != to_json_value(value):
                new_values[name] = value
        if row.custom:
            merged = dict(current.get("properties") or {})
            if any(not _same_json(merged.get(k), v) for k, v in row.custom.items()):
                merged.update(row.custom)
                new_values["properties"] = merged
        if "stage_id" in new_values and self.deals is not None:
            closed_at = self.deals.closed_at_after_move(row, current, new_values["stage_id"])
            if closed_at != current.get("closed_at"):
                new_values["closed_at"] = closed_at
        return new_values

    # ------------------------------------------------------------------ self-references

    def _resolve_deferred(self) -> None:
        """Set links to records of the same file (a company's parent) once all exist."""
        if not self.deferred:
            return
        wanted: dict[str, set[str]] = {}
        for _record_id, _row, rule, value in self.deferred:
            wanted.setdefault(rule.by, set()).add(value)
        found = {
            by: self.resolver.find(self.spec.name, by, values) for by, values in wanted.items()
        }
        columns = [self.table.c.id, *(self.table.c[a.column] for a in self.spec.associations)]
        record_ids = sorted({record_id for record_id, *_ in self.deferred})
        current_rows: dict[int, dict[str, Any]] = {}
        for start in range(0, len(record_ids), 2000):
            statement = select(*columns).where(
                self.table.c.id.in_(record_ids[start : start + 2000])
            )
            current_rows.update(
                (row["id"], dict(row)) for row in self.session.execute(statement).mappings()
            )
        changes = []
        updates: list[dict[str, Any]] = []
        for record_id, row_number, rule, value in self.deferred:
            association = self.spec.association(rule.name)
            assert association is not None
            key, target_id = found[rule.by].get(
                value, (self.resolver.tried(self.spec.name, rule.by, value), None)
            )
            if target_id is None or target_id == AMBIGUOUS:
                reason = (
                    f"no {self.spec.singular} with {key} {value!r}"
                    if target_id is None
                    else f"several {self.spec.name} have {key} {value!r}"
                )
                self.log.add(RowError(self.file_label, row_number, rule.column, value, reason))
                self.result.invalid += 1
                continue
            old = current_rows[record_id][association.column]
            if old == target_id:
                continue
            values: dict[str, Any] = {association.column: target_id}
            if not self._created_here(record_id):
                values["updated_at"] = self.now
                changes.append((record_id, Change(association.column, old, target_id), self.now))
                if record_id in self.unchanged_ids:  # its other values were all the same
                    self.unchanged_ids.discard(record_id)
                    self.result.unchanged -= 1
                    self.result.updated += 1
            updates.append({"id": record_id, **values})
        self.writer.update(self.table, updates)
        self.writer.changes(self.spec.name, changes)


def _column_defaults(table: SqlTable) -> dict[str, Any]:
    """Every insertable column with its default, so all rows of a batch share one shape."""
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in ("id", "workspace_id"):
            continue
        default = column.default
        if column.key == "properties":
            defaults[column.key] = EMPTY_DOCUMENT
        elif default is not None and getattr(default, "is_scalar", False):
            defaults[column.key] = default.arg  # type: ignore[attr-defined]
        else:
            defaults[column.key] = None
    return defaults


def _same_json(stored: Any, new: Any) -> bool:
    """Equal custom values; numbers by value, as PostgreSQL's JSONB gives a float it stored
    back in its own digits (2.760386456273989e+16 returns as the int 27603864562739890)."""
    numbers = (int, float)
    if (
        isinstance(stored, numbers)
        and isinstance(new, numbers)
        and not isinstance(stored, bool)
        and not isinstance(new, bool)
    ):
        return float(stored) == float(new)
    return bool(stored == new)


def _unique_columns(table: SqlTable) -> tuple[str, ...]:
    """The columns unique within a workspace (``email`` of contacts, ``domain`` of companies)."""
    columns = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            names = [column.name for column in constraint.columns]
            if len(names) == 2 and names[0] == "workspace_id":
                columns.append(names[1])
    return tuple(sorted(columns))
