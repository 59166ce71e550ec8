"""CRM write operations. Each change keeps its history and emits its events in the caller's
transaction; services never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.dialect import dialect_of, insert_rows
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm import outbox
from dealflow.crm.history import Change, record_changes_of
from dealflow.crm.objects import (
    ACTIVITY_KINDS,
    ENGAGEMENT_KINDS,
    TASK_STATUSES,
    ObjectSpec,
    object_spec,
)
from dealflow.crm.properties import definitions, validate_custom
from dealflow.crm.repository import WorkspaceRepository
from dealflow.crm.values import to_json_value
from dealflow.crm.workspaces import default_pipeline, stages_of
from dealflow.models import (
    Activity,
    Base,
    Company,
    Contact,
    Deal,
    EngagementEvent,
    Pipeline,
    Product,
    Stage,
    Team,
    Ticket,
    User,
)

_ASSOCIATED_MODELS: dict[str, type[Base]] = {
    "company_id": Company,
    "parent_company_id": Company,
    "owner_id": User,
    "manager_id": User,
    "team_id": Team,
    "contact_id": Contact,
    "product_id": Product,
    "deal_id": Deal,
    "ticket_id": Ticket,
}


def create_record(
    session: Session,
    workspace_id: int,
    object_type: str,
    fields: Mapping[str, Any],
    *,
    source: str = "api",
    actor_id: int | None = None,
) -> Any:
    """Create a record of ``object_type`` from typed ``fields`` (custom ones under
    ``properties``); emits ``record.created``."""
    spec = object_spec(object_type)
    now = clock.now()
    values = _checked(session, workspace_id, spec.name, dict(fields))
    if spec.name == "deals":
        _place_deal(session, workspace_id, values)
    columns = {column.key for column in spec.model.__table__.columns}
    if "created_at" in columns:
        values.setdefault("created_at", now)
    if "updated_at" in columns:
        values.setdefault("updated_at", values["created_at"])
    record = spec.model(workspace_id=workspace_id, **values)
    session.add(record)
    session.flush()
    outbox.emit(
        session,
        workspace_id,
        outbox.RECORD_CREATED,
        spec.name,
        record.id,  # type: ignore[attr-defined]
        {"source": source, "actor_id": actor_id},
        now,
    )
    return record


def update_record(
    session: Session,
    workspace_id: int,
    object_type: str,
    record_id: int,
    fields: Mapping[str, Any],
    *,
    source: str = "api",
    actor_id: int | None = None,
) -> list[Change]:
    """Change properties of a record; unchanged values are no change. Returns the changes."""
    changes = update_records(
        session, workspace_id, object_type, {record_id: fields}, source=source, actor_id=actor_id
    )
    return changes[record_id]


def update_records(
    session: Session,
    workspace_id: int,
    object_type: str,
    fields_by_record: Mapping[int, Mapping[str, Any]],
    *,
    source: str = "api",
    actor_id: int | None = None,
    records: Mapping[int, Any] | None = None,
) -> dict[int, list[Change]]:
    """``update_record`` for many records of one type, read with one query and written with
    one flush (history and events included). Returns each record's changes. ``records``:
    the record objects of this session, by id, when the caller read them already (the
    workspace's own, as the repository finds them)."""
    spec = object_spec(object_type)
    if records is None or not set(fields_by_record) <= set(records):
        records = WorkspaceRepository(session, workspace_id).find_many(
            spec.model, list(fields_by_record)
        )
    missing = set(fields_by_record) - set(records)
    if missing:
        raise NotFoundError(
            f"{spec.model.__tablename__} #{min(missing)} not found in this workspace"
        )
    now = clock.now()
    checked = _checked_many(
        session, workspace_id, spec.name, [dict(fields) for fields in fields_by_record.values()]
    )
    changed = {
        record_id: _apply(session, workspace_id, spec, records[record_id], values, now)
        for record_id, values in zip(fields_by_record, checked, strict=True)
    }
    if any(changed.values()):
        record_changes_of(
            session,
            workspace_id,
            spec.name,
            changed,
            changed_at=now,
            changed_by=actor_id,
            source=source,
        )
        session.flush()
    return changed


def _apply(
    session: Session,
    workspace_id: int,
    spec: ObjectSpec,
    record: Any,
    values: dict[str, Any],
    now: datetime,
) -> list[Change]:
    """Set the changed values of ``values`` (checked already) on ``record``; returns the
    changes."""
    changes: list[Change] = []
    custom = values.pop("properties", None)
    if spec.name == "deals" and ("stage_id" in values or "pipeline_id" in values):
        stage_id = values.pop("stage_id", record.stage_id)
        pipeline_id = values.get("pipeline_id", record.pipeline_id)
        changes += _stage_changes(session, workspace_id, record, stage_id, pipeline_id, now)
    for name, new in values.items():
        old = getattr(record, name)
        if not _same_value(old, new):
            setattr(record, name, new)
            changes.append(Change(name, old, new))
    if custom:
        merged = dict(record.properties)
        for name, new in custom.items():
            if merged.get(name) != new:
                changes.append(Change(name, merged.get(name), new))
                merged[name] = new
        record.properties = merged
    if changes:
        record.updated_at = now
    return changes


def move_deal(
    session: Session,
    workspace_id: int,
    deal_id: int,
    stage_id: int,
    *,
    source: str = "api",
    actor_id: int | None = None,
) -> list[Change]:
    """Move a deal to another stage of its pipeline (emits ``deal.stage_changed``)."""
    return update_record(
        session,
        workspace_id,
        "deals",
        deal_id,
        {"stage_id": stage_id},
        source=source,
        actor_id=actor_id,
    )


def record_engagement(
    session: Session,
    workspace_id: int,
    contact_id: int,
    kind: str,
    *,
    occurred_at: datetime | None = None,
    url: str | None = None,
    properties: Mapping[str, Any] | None = None,
) -> EngagementEvent:
    """Record a contact's behaviour (page view, email open, form...); emits
    ``engagement.recorded``."""
    if kind not in ENGAGEMENT_KINDS:
        raise InvalidInputError(
            f"engagement kind {kind!r} is not one of: {', '.join(ENGAGEMENT_KINDS)}"
        )
    contact = WorkspaceRepository(session, workspace_id).get(Contact, contact_id)
    event = EngagementEvent(
        workspace_id=workspace_id,
        kind=kind,
        occurred_at=occurred_at or clock.now(),
        contact_id=contact.id,
        company_id=contact.company_id,
        url=url,
        properties=dict(properties or {}),
    )
    session.add(event)
    session.flush()
    outbox.emit(
        session,
        workspace_id,
        outbox.ENGAGEMENT_RECORDED,
        "contacts",
        contact.id,
        {"event_id": event.id, "kind": kind, "url": url},
        event.occurred_at,
    )
    return event


@dataclass(frozen=True)
class NewActivity:
    """An activity for ``log_activities`` (the fields of ``log_activity``)."""

    subject: str | None = None
    body: str | None = None
    occurred_at: datetime | None = None
    due_at: datetime | None = None
    links: Mapping[str, int | None] = field(default_factory=dict)
    direction: str | None = None


def log_activity(
    session: Session,
    workspace_id: int,
    kind: str,
    *,
    subject: str | None = None,
    body: str | None = None,
    occurred_at: datetime | None = None,
    due_at: datetime | None = None,
    links: Mapping[str, int | None] | None = None,
    direction: str | None = None,
    actor_id: int | None = None,
) -> Activity:
    """Log an email, call, meeting, note or task (tasks start ``open``); emits
    ``activity.logged``. ``links`` holds contact_id/company_id/deal_id/ticket_id/owner_id."""
    new = NewActivity(subject, body, occurred_at, due_at, links or {}, direction)
    return log_activities(session, workspace_id, kind, [new], actor_id=actor_id)[0]


def log_activities(
    session: Session,
    workspace_id: int,
    kind: str,
    activities: Sequence[NewActivity],
    *,
    actor_id: int | None = None,
    known: Mapping[str, Collection[int]] | None = None,
) -> list[Activity]:
    """``log_activity`` for many activities of one kind: their links checked with one query
    per linked type, the rows and their events written with one flush. ``known``: ids of
    links (by column) the caller read from this workspace in this transaction, which need
    no check."""
    if kind not in ACTIVITY_KINDS:
        raise InvalidInputError(
            f"activity kind {kind!r} is not one of: {', '.join(ACTIVITY_KINDS)}"
        )
    _checked_links(session, workspace_id, [new.links for new in activities], known)
    now = clock.now()
    table: Any = Activity.__table__
    ids = dialect_of(session).reserve_ids(session, table, len(activities))
    rows = [
        {
            "id": activity_id,
            "workspace_id": workspace_id,
            "kind": kind,
            "subject": new.subject,
            "body": new.body,
            "direction": new.direction,
            "occurred_at": new.occurred_at or now,
            "due_at": new.due_at,
            "status": TASK_STATUSES[0] if kind == "task" else None,
            "created_at": now,
            **new.links,
        }
        for activity_id, new in zip(ids, activities, strict=True)
    ]
    insert_rows(session, table, rows)
    events = [
        (activity_id, {"kind": kind, "actor_id": actor_id, **new.links}, new.occurred_at or now)
        for activity_id, new in zip(ids, activities, strict=True)
    ]
    outbox.emit_all(session, workspace_id, outbox.ACTIVITY_LOGGED, "activities", events)
    read = select(Activity).where(dialect_of(session).in_batch(Activity.id, ids))
    logged = {a.id: a for a in session.scalars(read)}
    return [logged[activity_id] for activity_id in ids]


def _checked(
    session: Session, workspace_id: int, object_type: str, values: dict[str, Any]
) -> dict[str, Any]:
    """Reject unknown fields, bad enum values, and links to other workspaces' records."""
    return _checked_many(session, workspace_id, object_type, [values])[0]


def _checked_many(
    session: Session, workspace_id: int, object_type: str, value_sets: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``_checked`` for many sets of values: links looked up and property definitions read
    once for all of them."""
    spec = object_spec(object_type)
    columns = {column.key for column in spec.model.__table__.columns}
    customs = [values.pop("properties", None) for values in value_sets]
    for values in value_sets:
        for name, value in values.items():
            if name not in columns or name in ("id", "workspace_id"):
                raise InvalidInputError(f"{spec.name} have no field {name!r}")
            field = spec.field_index.get(name)
            if field and field.options and value is not None and value not in field.options:
                raise InvalidInputError(
                    f"{name} {value!r} is not one of: {', '.join(field.options)}"
                )
    _checked_links(
        session,
        workspace_id,
        [{k: v for k, v in values.items() if k in _ASSOCIATED_MODELS} for values in value_sets],
    )
    if any(customs):
        defined = definitions(session, workspace_id, spec.name)
        for values, custom in zip(value_sets, customs, strict=True):
            if custom:
                values["properties"] = validate_custom(defined, custom)
    return value_sets


def _checked_links(
    session: Session,
    workspace_id: int,
    link_sets: Sequence[Mapping[str, int | None]],
    known: Mapping[str, Collection[int]] | None = None,
) -> None:
    """Reject unknown links and links to records not in the workspace (one query per linked
    type for all ``link_sets``; ids in ``known`` are taken as checked)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for links in link_sets:
        for column, record_id in links.items():
            if column not in _ASSOCIATED_MODELS:
                raise InvalidInputError(f"unknown link {column!r}")
            if record_id is not None:
                wanted[column].add(record_id)
    repository = WorkspaceRepository(session, workspace_id)
    for column, record_ids in wanted.items():
        model = _ASSOCIATED_MODELS[column]
        unchecked = record_ids - set((known or {}).get(column, ()))
        if not unchecked:
            continue
        missing = unchecked - repository.existing_ids(model, sorted(unchecked))
        if missing:
            raise NotFoundError(
                f"{model.__tablename__} #{min(missing)} not found in this workspace"
            )


def _place_deal(session: Session, workspace_id: int, values: dict[str, Any]) -> None:
    """Default the pipeline, check the stage belongs to it, and set ``closed_at``."""
    if "pipeline_id" not in values:
        values["pipeline_id"] = default_pipeline(session, workspace_id).id
    else:
        WorkspaceRepository(session, workspace_id).get(Pipeline, values["pipeline_id"])
    stages = {stage.id: stage for stage in stages_of(session, values["pipeline_id"])}
    if "stage_id" not in values:
        values["stage_id"] = next(iter(stages))
    stage = stages.get(values["stage_id"])
    if stage is None:
        raise InvalidInputError(f"stage #{values['stage_id']} is not a stage of this pipeline")
    if stage.kind != "open":
        values.setdefault("closed_at", clock.now())


def _same_value(old: Any, new: Any) -> bool:
    """Equal values are no change, whatever their form (5000 and 5000.00, one instant in two
    time zones)."""
    return bool(old == new) or to_json_value(old) == to_json_value(new)


def _stage_changes(
    session: Session, workspace_id: int, deal: Any, stage_id: int, pipeline_id: int, now: datetime
) -> list[Change]:
    """Move ``deal`` to ``stage_id``, which must be a stage of ``pipeline_id`` (its pipeline,
    or the one it moves to)."""
    if stage_id == deal.stage_id and pipeline_id == deal.pipeline_id:
        return []
    repository = WorkspaceRepository(session, workspace_id)
    old_stage = repository.get(Stage, deal.stage_id)
    new_stage = repository.get(Stage, stage_id)
    if new_stage.pipeline_id != pipeline_id:
        raise InvalidInputError(
            f"stage {new_stage.name!r} is not a stage of pipeline #{pipeline_id}, "
            f"so deal #{deal.id} cannot be in it"
        )
    changes = [Change("stage_id", deal.stage_id, stage_id)]
    deal.stage_id = stage_id
    closed_at = now if new_stage.kind != "open" else None
    if deal.closed_at != closed_at:
        changes.append(Change("closed_at", deal.closed_at, closed_at))
        deal.closed_at = closed_at
    outbox.emit(
        session,
        workspace_id,
        outbox.DEAL_STAGE_CHANGED,
        "deals",
        deal.id,
        {
            "from_stage_id": old_stage.id,
            "to_stage_id": new_stage.id,
            "from_kind": old_stage.kind,
            "to_kind": new_stage.kind,
        },
        now,
    )
    return changes
