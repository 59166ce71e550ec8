"""Property history: every change of every property, and "what was true at time t"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.dialect import insert_rows
from dealflow.crm import outbox
from dealflow.crm.values import to_json_value
from dealflow.models import PropertyChange

CHANGE_COLUMNS = (
    "id",
    "workspace_id",
    "object_type",
    "record_id",
    "property",
    "old_value",
    "new_value",
    "changed_at",
    "changed_by",
    "source",
)


@dataclass(frozen=True)
class Change:
    property: str
    old: Any
    new: Any


def record_changes(
    session: Session,
    workspace_id: int,
    object_type: str,
    record_id: int,
    changes: Sequence[Change],
    *,
    changed_at: datetime,
    changed_by: int | None,
    source: str,
) -> None:
    """Keep each change in the history and emit ``property.changed`` for it."""
    record_changes_of(
        session,
        workspace_id,
        object_type,
        {record_id: changes},
        changed_at=changed_at,
        changed_by=changed_by,
        source=source,
    )


def record_changes_of(
    session: Session,
    workspace_id: int,
    object_type: str,
    changes_by_record: Mapping[int, Sequence[Change]],
    *,
    changed_at: datetime,
    changed_by: int | None,
    source: str,
) -> None:
    """``record_changes`` for many records: the history rows and the events are each
    inserted with one statement."""
    history: list[dict[str, Any]] = []
    events: list[tuple[int | None, dict[str, Any], datetime]] = []
    for record_id, changes in changes_by_record.items():
        for change in changes:
            old, new = to_json_value(change.old), to_json_value(change.new)
            history.append(
                {
                    "workspace_id": workspace_id,
                    "object_type": object_type,
                    "record_id": record_id,
                    "property": change.property,
                    "old_value": old,
                    "new_value": new,
                    "changed_at": changed_at,
                    "changed_by": changed_by,
                    "source": source,
                }
            )
            payload = {"property": change.property, "old": old, "new": new, "source": source}
            events.append((record_id, payload, changed_at))
    if history:
        insert_rows(session, PropertyChange.__table__, history)  # type: ignore[arg-type]
    outbox.emit_all(session, workspace_id, outbox.PROPERTY_CHANGED, object_type, events)


def history_of(
    session: Session, workspace_id: int, object_type: str, record_id: int
) -> Sequence[PropertyChange]:
    """Every change of the record, oldest first: the audit trail."""
    return session.scalars(
        select(PropertyChange)
        .where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == object_type,
            PropertyChange.record_id == record_id,
        )
        .order_by(PropertyChange.changed_at, PropertyChange.id)
    ).all()


def value_as_of(
    session: Session,
    workspace_id: int,
    object_type: str,
    record_id: int,
    property_name: str,
    at: datetime,
    current_value: Any,
) -> Any:
    """The property's value at ``at``: the old value of the first change after ``at``, or the
    current value when nothing changed since. (JSON form: amounts and dates as strings.)"""
    first_later_change = session.scalar(
        select(PropertyChange)
        .where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == object_type,
            PropertyChange.record_id == record_id,
            PropertyChange.property == property_name,
            PropertyChange.changed_at > at,
        )
        .order_by(PropertyChange.changed_at, PropertyChange.id)
        .limit(1)
    )
    if first_later_change is None:
        return to_json_value(current_value)
    return first_later_change.old_value
