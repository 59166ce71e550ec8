"""Importing one table into one object type: parse, validate, resolve, upsert in batches."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from itertools import pairwise
from typing import Any

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.crm import outbox
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.history import Change
from dealflow.crm.importing.associations import AMBIGUOUS, AssociationResolver
from dealflow.crm.importing.converters import BLANK, compile_rule
from dealflow.crm.importing.mapping import ColumnRule, FilePlan, MappingError
from dealflow.crm.importing.readers import RowProblem, Table
from dealflow.crm.importing.report import ErrorLog, RowError
from dealflow.crm.objects import object_spec
from dealflow.crm.properties import define_property
from dealflow.crm.values import date_parser, to_json_value
from dealflow.crm.workspaces import create_pipeline, default_pipeline, stages_of
from dealflow.models import Pipeline, Stage

Progress = Callable[[int], None]
NOT_SET = object()


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


@dataclass
class ParsedRow:
    row: int
    fields: dict[str, Any] = field(default_factory=dict)
    custom: dict[str, Any] = field(default_factory=dict)
    links: dict[str, tuple[ColumnRule, str]] = field(default_factory=dict)
    stage_dates: dict[str, date] = field(default_factory=dict)
    columns: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, Any, str]] = field(default_factory=list)

    def fail(self, column: str, value: Any, reason: str) -> None:
        self.problems.append((column, value, reason))


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
        self.pipeline: Pipeline | None = None
        self.stages: dict[str, Stage] = {}

    # ------------------------------------------------------------------ entry point

    def run(self, table: Table, progress: Progress | None = None) -> FileResult:
        self.result = FileResult(table.path.name, self.spec.name)
        self.file_label = table.path.name
        positions = self._check_header(table.header)
        self.converters = [
            (positions[rule.column], rule, compile_rule(rule, self.plan))
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
            self._prepare_pipeline()
        batch: list[ParsedRow] = []
        for row_number, values in table.rows:
            if isinstance(values, RowProblem):
                self._reject(ParsedRow(row_number), [("", "", values.reason)])
                continue
            batch.append(self._parse(row_number, values))
            if len(batch) >= self.batch_size:
                self._write(batch)
                batch = []
                if progress:
                    progress(table.position())
        self._write(batch)
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

    def _prepare_pipeline(self) -> None:
        if self.plan.pipeline is None:
            self.pipeline = default_pipeline(self.session, self.workspace_id)
        else:
            self.pipeline = self.session.scalar(
                select(Pipeline).where(
                    Pipeline.workspace_id == self.workspace_id,
                    Pipeline.name == self.plan.pipeline.name,
                )
            ) or create_pipeline(
                self.session, self.workspace_id, self.plan.pipeline.name, self.plan.pipeline.stages
            )
        self.stages = {s.name.lower(): s for s in stages_of(self.session, self.pipeline.id)}
        for stage in self.plan.stage_history:
            if stage.lower() not in self.stages:
                raise MappingError(
                    f"stage_history names stage {stage!r}, which pipeline {self.pipeline.name!r} "
                    f"does not have ({', '.join(s.name for s in self.stages.values())})"
                )

    # ------------------------------------------------------------------ parsing

    def _parse(self, row_number: int, values: list[Any]) -> ParsedRow:
        parsed = ParsedRow(row_number)
        for position, rule, convert in self.converters:
            raw = values[position]
            try:
                value = convert(raw)
            except ValueError as error:
                parsed.fail(rule.column, raw, str(error))
                continue
            if value is BLANK:
                continue
            if rule.target == "field":
                parsed.fields[rule.name] = value
                parsed.columns[rule.name] = rule.column
            elif rule.target == "property":
                parsed.custom[rule.name] = value
            else:
                parsed.links[rule.name] = (rule, value)
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
        for spec_field in self.spec.fields:
            if spec_field.required and spec_field.name not in parsed.fields:
                column = next((r.column for r in self.plan.rules if r.name == spec_field.name), "")
                parsed.fail(column, "", f"{spec_field.name} is required")
        if self.plan.key not in parsed.fields and not parsed.problems:
            column = next((r.column for r in self.plan.rules if r.name == self.plan.key), "")
            parsed.fail(
                column, "", f"the key {self.plan.key} is empty, so the row cannot be matched"
            )
        return parsed

    # ------------------------------------------------------------------ writing

    def _write(self, batch: list[ParsedRow]) -> None:
        if not batch:
            return
        self._resolve_links(batch)
        if self.spec.name == "deals":
            self._place_deals(batch)
        good = self._unique_keys([row for row in batch if not self._rejected(row)])
        good = [row for row in good if not self._rejected(row)]
        existing = self._existing(row.fields[self.plan.key] for row in good)
        new_rows = [row for row in good if row.fields[self.plan.key] not in existing]
        old_rows = [row for row in good if row.fields[self.plan.key] in existing]
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
        by_rule: dict[tuple[str, str, str, bool], set[str]] = {}
        for row in batch:
            for name, (rule, value) in row.links.items():
                association = self.spec.association(name)
                assert association is not None
                if association.target == self.spec.name:
                    continue  # self-references are resolved after the whole file
                target = object_spec(association.target)
                key = self.resolver.key_for(target, rule.by, value)
                by_rule.setdefault(
                    (association.target, key, rule.column, rule.create_missing), set()
                ).add(value)
        found: dict[tuple[str, str], dict[str, int]] = {}
        for (target_name, key, _column, create_missing), wanted in by_rule.items():
            ids = self.resolver.resolve(target_name, key, wanted)
            if create_missing:
                absent = sorted(wanted - set(ids))
                if absent:
                    self.resolver.create(target_name, key, absent, self.now)
                    ids = self.resolver.resolve(target_name, key, wanted)
            found.setdefault((target_name, key), {}).update(ids)
        for row in batch:
            for name, (rule, value) in list(row.links.items()):
                association = self.spec.association(name)
                assert association is not None
                if association.target == self.spec.name:
                    continue
                target = object_spec(association.target)
                key = self.resolver.key_for(target, rule.by, value)
                record_id = found.get((association.target, key), {}).get(value)
                if record_id is None:
                    row.fail(rule.column, value, f"no {target.singular} with {key} {value!r}")
                elif record_id == AMBIGUOUS:
                    row.fail(
                        rule.column, value,
                        f"several {target.name} have {key} {value!r}; use a unique key",
                    )  # fmt: skip
                else:
                    row.fields[association.column] = record_id

    def _place_deals(self, batch: list[ParsedRow]) -> None:
        assert self.pipeline is not None
        for row in batch:
            pipeline_name = row.fields.pop("pipeline", None)
            if pipeline_name and pipeline_name.lower() != self.pipeline.name.lower():
                row.fail(
                    row.columns.get("pipeline", "pipeline"), pipeline_name,
                    f"this import puts deals in pipeline {self.pipeline.name!r}",
                )  # fmt: skip
            stage_name = row.fields.pop("stage", None)
            if stage_name is None:
                continue
            stage = self.stages.get(str(stage_name).lower())
            if stage is None:
                row.fail(
                    row.columns.get("stage", "stage"), stage_name,
                    f"not a stage of pipeline {self.pipeline.name!r} "
                    f"({', '.join(s.name for s in self.stages.values())})",
                )  # fmt: skip
                continue
            row.fields["pipeline_id"] = self.pipeline.id
            row.fields["stage_id"] = stage.id
            self._check_stage_dates(row, stage)

    def _check_stage_dates(self, row: ParsedRow, final: Stage) -> None:
        path = self._stage_path(row, final)
        for (earlier, earlier_day), (later, later_day) in pairwise(path):
            if later_day < earlier_day:
                row.fail(
                    self.plan.stage_history.get(later.name, ""), later_day.isoformat(),
                    f"{later.name} is dated before {earlier.name} ({earlier_day.isoformat()})",
                )  # fmt: skip

    def _stage_path(self, row: ParsedRow, final: Stage) -> list[tuple[Stage, date]]:
        """The stages the deal went through, with the day each began, in pipeline order."""
        path = []
        for stage in sorted(self.stages.values(), key=lambda s: s.position):
            day = row.stage_dates.get(stage.name.lower())
            if day is None:
                continue
            if stage.id == final.id or (stage.kind == "open" and stage.position < final.position):
                path.append((stage, day))
        return path

    def _unique_keys(self, rows: list[ParsedRow]) -> list[ParsedRow]:
        """Reject rows whose key already appeared in this file (or collapse identical ones
        when the plan deduplicates)."""
        seen: dict[Any, ParsedRow] = {}
        unique = []
        key_column = next((r.column for r in self.plan.rules if r.name == self.plan.key), "")
        for row in rows:
            key = row.fields[self.plan.key]
            first = seen.get(key)
            if first is None:
                seen[key] = row
                unique.append(row)
            elif (
                self.plan.deduplicate and first.fields == row.fields and first.custom == row.custom
            ):
                self.result.unchanged += 1
            else:
                row.fail(
                    key_column, key, f"duplicate key: row {first.row} has the same {self.plan.key}"
                )
        return unique

    def _existing(self, keys: Any) -> dict[Any, dict[str, Any]]:
        wanted = list(keys)
        if not wanted:
            return {}
        key_column = self.table.c[self.plan.key]
        found: dict[Any, dict[str, Any]] = {}
        for start in range(0, len(wanted), 2000):
            rows = self.session.execute(
                select(self.table).where(
                    self.table.c.workspace_id == self.workspace_id,
                    key_column.in_(wanted[start : start + 2000]),
                )
            ).mappings()
            for row in rows:
                found[row[self.plan.key]] = dict(row)
        return found

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
        self._remember_created(ids)
        self.result.created += len(ids)
        changes = [
            (ids[index], change, at) for index, history in histories for change, at in history
        ]
        self.writer.changes(self.spec.name, changes, emit=False)
        for record_id, row in zip(ids, rows, strict=True):
            self._defer_self_links(record_id, row)

    def _remember_created(self, ids: list[int]) -> None:
        for record_id in ids:
            if self.created_ranges and self.created_ranges[-1][1] == record_id - 1:
                self.created_ranges[-1] = (self.created_ranges[-1][0], record_id)
            else:
                self.created_ranges.append((record_id, record_id))
        self.created_ranges.sort()

    def _new_record(self, row: ParsedRow) -> tuple[dict[str, Any], list[tuple[Change, datetime]]]:
        record = dict(_column_defaults(self.table))
        history: list[tuple[Change, datetime]] = []
        record.update({k: v for k, v in row.fields.items() if k in self.table.c})
        if row.custom:
            record["properties"] = dict(row.custom)
        if self.spec.name == "deals" and "stage_id" in row.fields:
            history = self._deal_history(row, record)
        if "created_at" in record and record["created_at"] is None:
            record["created_at"] = self.now
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

    def _deal_history(
        self, row: ParsedRow, record: dict[str, Any]
    ) -> list[tuple[Change, datetime]]:
        """Replay the stage path of an imported deal: created in its first dated stage, moved
        to each later one on its date."""
        final = next(s for s in self.stages.values() if s.id == row.fields["stage_id"])
        path = [(stage, _midnight(day)) for stage, day in self._stage_path(row, final)]
        if not path:
            return []
        if path[-1][0].id != final.id:
            path.append((final, self.now))
        record["stage_id"] = final.id
        record.setdefault("created_at", None)
        if row.fields.get("created_at") is None:
            record["created_at"] = path[0][1]
        if final.kind != "open" and row.fields.get("closed_at") is None:
            record["closed_at"] = path[-1][1]
        history = []
        for (before, _), (after, at) in pairwise(path):
            history.append((Change("stage_id", before.id, after.id), at))
        if final.kind != "open" and len(path) > 1:
            history.append(
                (Change("closed_at", None, to_json_value(record["closed_at"])), path[-1][1])
            )
        return history

    def _defer_self_links(self, record_id: int, row: ParsedRow) -> None:
        for name, (rule, value) in row.links.items():
            association = self.spec.association(name)
            if association is not None and association.target == self.spec.name:
                self.deferred.append((record_id, row.row, rule, value))

    # ------------------------------------------------------------------ updates

    def _update(self, rows: list[ParsedRow], existing: dict[Any, dict[str, Any]]) -> None:
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        changes: list[tuple[int, Change, datetime]] = []
        stage_events = []
        key_column = next((r.column for r in self.plan.rules if r.name == self.plan.key), "")
        for row in rows:
            current = existing[row.fields[self.plan.key]]
            record_id = current["id"]
            if self._created_here(record_id) or record_id in self.touched:
                if self.plan.deduplicate and self._differences(row, current) == {}:
                    self.result.unchanged += 1
                    continue
                reason = f"duplicate key: an earlier row has the same {self.plan.key}"
                self._reject(row, [(key_column, row.fields[self.plan.key], reason)])
                continue
            self.touched.add(record_id)
            self._defer_self_links(record_id, row)
            new_values = self._differences(row, current)
            if not new_values:
                self.result.unchanged += 1
                continue
            if "stage_id" in new_values:
                stage_events.append(self._stage_event(record_id, current, new_values))
            changes += self._changes(record_id, current, new_values)
            new_values["updated_at"] = self.now
            updates.setdefault(tuple(sorted(new_values)), []).append(
                {"_id": record_id, **new_values}
            )
            self.result.updated += 1
        for columns, params in updates.items():
            statement = (
                update(self.table)
                .where(self.table.c.id == bindparam("_id"))
                .values({column: bindparam(column) for column in columns})
            )
            self.session.execute(statement, params)
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
                if before.get(prop) != prop_value:
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
            if any(merged.get(k) != v for k, v in row.custom.items()):
                merged.update(row.custom)
                new_values["properties"] = merged
        if "stage_id" in new_values:
            stage = next(s for s in self.stages.values() if s.id == new_values["stage_id"])
            closed_at = current.get("closed_at") if stage.kind != "open" else None
            if stage.kind != "open" and closed_at is None:
                closed_at = self.now
            if closed_at != current.get("closed_at"):
                new_values["closed_at"] = closed_at
        return new_values

    def _stage_event(
        self, record_id: int, current: dict[str, Any], new_values: dict[str, Any]
    ) -> tuple[str, str, int, dict[str, Any], datetime]:
        by_id = {s.id: s for s in self.stages.values()}
        old, new = by_id.get(current["stage_id"]), by_id[new_values["stage_id"]]
        return (
            outbox.DEAL_STAGE_CHANGED, "deals", record_id,
            {"from_stage_id": current["stage_id"], "to_stage_id": new.id,
             "from_kind": old.kind if old else None, "to_kind": new.kind},
            self.now,
        )  # fmt: skip

    # ------------------------------------------------------------------ self-references

    def _resolve_deferred(self) -> None:
        """Set links to records of the same file (a company's parent) once all exist."""
        if not self.deferred:
            return
        wanted: dict[tuple[str, str], set[str]] = {}
        for _record_id, _row, rule, value in self.deferred:
            key = self.resolver.key_for(self.spec, rule.by, value)
            wanted.setdefault((self.spec.name, key), set()).add(value)
        found = {
            target_key: self.resolver.resolve(target_key[0], target_key[1], values)
            for target_key, values in wanted.items()
        }
        current_rows = {
            row["id"]: dict(row)
            for row in self.session.execute(
                select(self.table).where(
                    self.table.c.id.in_({record_id for record_id, *_ in self.deferred})
                )
            ).mappings()
        }
        changes = []
        for record_id, row_number, rule, value in self.deferred:
            key = self.resolver.key_for(self.spec, rule.by, value)
            association = self.spec.association(rule.name)
            assert association is not None
            target_id = found[(self.spec.name, key)].get(value)
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
            self.session.execute(
                update(self.table)
                .where(self.table.c.id == record_id)
                .values({association.column: target_id})
            )
            if not self._created_here(record_id):
                changes.append((record_id, Change(association.column, old, target_id), self.now))
        self.writer.changes(self.spec.name, changes)


def _column_defaults(table: SqlTable) -> dict[str, Any]:
    """Every insertable column with its default, so all rows of a batch share one shape."""
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.key in ("id", "workspace_id"):
            continue
        default = column.default
        if column.key == "properties":
            defaults[column.key] = {}
        elif default is not None and getattr(default, "is_scalar", False):
            defaults[column.key] = default.arg  # type: ignore[attr-defined]
        else:
            defaults[column.key] = None
    return defaults


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
