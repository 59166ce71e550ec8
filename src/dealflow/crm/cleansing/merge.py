"""Merge duplicate records into one survivor: its fields chosen by survivorship rules, every
link to the others (deals, activities, events, tickets, history, shares, enrolments...)
moved to it, nothing dropped. Written through a journal, so the merge can be undone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidInputError
from dealflow.crm import outbox
from dealflow.crm.cleansing.journal import Journal, table_named
from dealflow.crm.history import Change, record_changes
from dealflow.models import Base

MERGEABLE = {"contacts": "contacts", "companies": "companies", "products": "products"}
RECORD_LINKS = (
    "property_changes",
    "predictions",
    "record_shares",
    "workflow_enrolments",
    "workflow_trail",
    "inquiry_classifications",
    "inquiry_feedback",
)
"""Tables that point at any record by (object_type, record_id)."""
SURVIVORSHIP_RULES = ("most_recent", "most_complete")
NOT_MERGED = frozenset(
    {
        "id",
        "workspace_id",
        "created_at",
        "updated_at",
        "external_id",
        "score",
        "score_band",
        "score_reasons",
        "score_model",
        "scored_at",
    }
)
MERGED_TOPIC = "record.merged"


@dataclass(frozen=True)
class MergePlan:
    """Which record survives, which are merged into it, and each field's winning value."""

    object_type: str
    survivor_id: int
    merged_ids: tuple[int, ...]
    values: dict[str, Any]
    """Fields of the survivor that change, with their new values (custom ones under
    ``properties``)."""
    sources: dict[str, int]
    """Which record each changed value came from."""


def plan_merge(
    session: Session,
    workspace_id: int,
    object_type: str,
    record_ids: Sequence[int],
    *,
    rule: str = "most_recent",
    survivor_id: int | None = None,
    chosen: Mapping[str, int] | None = None,
) -> MergePlan:
    """The merge of ``record_ids``: the survivor is ``survivor_id`` or the most complete
    record (the oldest on a tie); each field takes the most recently updated non-empty value
    (``most_recent``) or the most complete record's (``most_complete``), unless ``chosen``
    names the record whose value wins."""
    if object_type not in MERGEABLE:
        raise InvalidInputError(f"only {', '.join(MERGEABLE)} can be merged, not {object_type!r}")
    if rule not in SURVIVORSHIP_RULES:
        raise InvalidInputError(
            f"survivorship rule must be one of {SURVIVORSHIP_RULES}, not {rule!r}"
        )
    table = table_named(MERGEABLE[object_type])
    rows = {
        int(row["id"]): dict(row)
        for row in session.execute(
            select(table).where(table.c.workspace_id == workspace_id, table.c.id.in_(record_ids))
        ).mappings()
    }
    if len(rows) != len(set(record_ids)) or len(rows) < 2:
        raise InvalidInputError(
            f"merge needs two or more {object_type} of this workspace: {list(record_ids)}"
        )
    completeness = {i: _filled_count(r) for i, r in rows.items()}
    most_complete = sorted(rows, key=lambda i: (-completeness[i], i))
    survivor = survivor_id if survivor_id is not None else most_complete[0]
    if survivor not in rows:
        raise InvalidInputError(f"survivor {survivor} is not one of {sorted(rows)}")
    if rule == "most_recent":
        order = sorted(
            rows, key=lambda i: (rows[i].get("updated_at") or datetime.min, i), reverse=True
        )
    else:
        order = most_complete
    values: dict[str, Any] = {}
    sources: dict[str, int] = {}
    fields = [c.name for c in table.columns if c.name not in NOT_MERGED and c.name != "properties"]
    for name in fields:
        winner = _winner(rows, order, name, (chosen or {}).get(name))
        if winner is not None and rows[winner][name] != rows[survivor][name]:
            values[name], sources[name] = rows[winner][name], winner
    if "properties" in table.c:
        merged = dict(rows[survivor].get("properties") or {})
        keys = {k for r in rows.values() for k in (r.get("properties") or {})}
        for key in sorted(keys):
            custom = {i: dict(r.get("properties") or {}) for i, r in rows.items()}
            wanted = (chosen or {}).get(key)
            candidates = [wanted] if wanted in rows else order
            for i in candidates:
                if custom[i].get(key) not in (None, ""):
                    if merged.get(key) != custom[i][key]:
                        merged[key] = custom[i][key]
                        sources[f"properties.{key}"] = i
                    break
        if merged != (rows[survivor].get("properties") or {}):
            values["properties"] = merged
    return MergePlan(object_type, survivor, tuple(sorted(set(rows) - {survivor})), values, sources)


def _filled_count(row: Mapping[str, Any]) -> int:
    plain = sum(1 for k, v in row.items() if k not in NOT_MERGED and v not in (None, "", {}))
    return plain + len([v for v in (row.get("properties") or {}).values() if v not in (None, "")])


def _winner(
    rows: Mapping[int, Mapping[str, Any]], order: Sequence[int], name: str, chosen: int | None
) -> int | None:
    if chosen is not None and chosen in rows:
        return chosen
    return next((i for i in order if rows[i][name] not in (None, "")), None)


def do_merge(
    session: Session,
    workspace_id: int,
    plan: MergePlan,
    journal: Journal,
    *,
    now: datetime,
    actor_id: int | None = None,
    source: str = "cleanse",
) -> dict[str, int]:
    """Carry out ``plan``: move every link of the merged records to the survivor, remove
    them, then give the survivor its chosen values (history and events kept). Returns how
    many rows moved per table."""
    table = table_named(MERGEABLE[plan.object_type])
    moved: dict[str, int] = {}
    for merged_id in plan.merged_ids:
        for count_table, count in _move_links(
            session, journal, workspace_id, plan, table, merged_id
        ).items():
            moved[count_table] = moved.get(count_table, 0) + count
        journal.delete(table, {"id": merged_id})
        outbox.emit(
            session,
            workspace_id,
            outbox.RECORD_DELETED,
            plan.object_type,
            merged_id,
            {"source": source, "merged_into": plan.survivor_id},
            now,
        )
    if plan.values:
        journal.remember(table, {"id": plan.survivor_id})
        before = (
            session.execute(select(table).where(table.c.id == plan.survivor_id)).mappings().one()
        )
        session.execute(
            update(table)
            .where(table.c.id == plan.survivor_id)
            .values({**plan.values, "updated_at": now})
        )
        changes = _changes(dict(before), plan.values)
        record_changes(
            session,
            workspace_id,
            plan.object_type,
            plan.survivor_id,
            changes,
            changed_at=now,
            changed_by=actor_id,
            source=source,
        )
    outbox.emit(
        session,
        workspace_id,
        MERGED_TOPIC,
        plan.object_type,
        plan.survivor_id,
        {"merged_ids": list(plan.merged_ids), "moved": moved, "source": source},
        now,
    )
    session.flush()
    session.expire_all()
    return moved


def _changes(before: Mapping[str, Any], values: Mapping[str, Any]) -> list[Change]:
    changes = []
    for name, new in values.items():
        if name == "properties":
            old_custom = before.get("properties") or {}
            for key in sorted(set(old_custom) | set(new)):
                if old_custom.get(key) != new.get(key):
                    changes.append(Change(key, old_custom.get(key), new.get(key)))
        else:
            changes.append(Change(name, before[name], new))
    return changes


def _move_links(
    session: Session,
    journal: Journal,
    workspace_id: int,
    plan: MergePlan,
    table: Table,
    merged_id: int,
) -> dict[str, int]:
    """Point every row that refers to ``merged_id`` at the survivor."""
    moved: dict[str, int] = {}
    for other in Base.metadata.sorted_tables:
        for column in other.columns:
            if not any(fk.column.table is table for fk in column.foreign_keys):
                continue
            if column.primary_key:
                count = _move_association_rows(
                    session, journal, other, column.name, merged_id, plan.survivor_id
                )
            else:
                count = journal.repoint(other, column.name, merged_id, plan.survivor_id)
            if count:
                moved[other.name] = moved.get(other.name, 0) + count
    for name in RECORD_LINKS:
        other = table_named(name)
        if name == "record_shares":
            count = _move_shares(
                session, journal, other, plan.object_type, merged_id, plan.survivor_id
            )
        else:
            count = journal.repoint(
                other,
                "record_id",
                merged_id,
                plan.survivor_id,
                workspace_id=workspace_id,
                object_type=plan.object_type,
            )
        if count:
            moved[name] = moved.get(name, 0) + count
    return moved


def _move_association_rows(
    session: Session, journal: Journal, table: Table, column: str, old: int, new: int
) -> int:
    """Rows of a link table keyed by the record (deal_contacts): each moves to the survivor,
    or is folded into the survivor's own row for the same deal."""
    rows = [
        dict(r) for r in session.execute(select(table).where(table.c[column] == old)).mappings()
    ]
    for row in rows:
        key = {c.name: row[c.name] for c in table.primary_key.columns}
        journal.delete(table, key)
        target = {**key, column: new}
        exists = session.execute(
            select(table.c[column]).where(*(table.c[k] == v for k, v in target.items()))
        ).first()
        if exists is None:
            journal.insert(table, {**row, column: new})
    return len(rows)


def _move_shares(
    session: Session, journal: Journal, table: Table, object_type: str, old: int, new: int
) -> int:
    rows = [
        dict(r)
        for r in session.execute(
            select(table).where(table.c.object_type == object_type, table.c.record_id == old)
        ).mappings()
    ]
    for row in rows:
        taken = session.execute(
            select(table.c.id).where(
                table.c.object_type == object_type,
                table.c.record_id == new,
                table.c.user_id == row["user_id"],
            )
        ).first()
        if taken is None:
            journal.repoint(table, "record_id", old, new, id=row["id"])
        else:
            journal.delete(table, {"id": row["id"]})
    return len(rows)
