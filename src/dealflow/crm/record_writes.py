"""Creating and changing records on someone's behalf: their role decides what they may
own, assign and link to, and clashes with existing keys are named before the database
refuses them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint, select
from sqlalchemy.orm import Session

from dealflow.core.errors import ConflictError, InvalidFieldsError
from dealflow.crm import access, service
from dealflow.crm.access import Principal
from dealflow.crm.objects import object_spec
from dealflow.crm.record_input import parse_fields
from dealflow.crm.repository import WorkspaceRepository
from dealflow.models import Activity, Pipeline, Product, Stage, Team, User

SECURED_LINKS = {
    "company_id": "companies",
    "parent_company_id": "companies",
    "contact_id": "contacts",
    "deal_id": "deals",
    "ticket_id": "tickets",
}
"""Links to records the principal must be able to see."""
WORKSPACE_LINKS: dict[str, Any] = {
    "owner_id": User,
    "manager_id": User,
    "team_id": Team,
    "pipeline_id": Pipeline,
    "stage_id": Stage,
    "product_id": Product,
}
"""Links to records that only have to exist in the workspace."""


def create_record(
    session: Session,
    principal: Principal,
    object_type: str,
    raw: Mapping[str, Any],
    *,
    source: str = "api",
) -> Any:
    """Create a record owned by ``principal`` unless they (may) assign it to someone else."""
    fields = parse_fields(object_type, raw)
    model = object_spec(object_type).model
    if "owner_id" in model.__table__.columns:
        fields.setdefault("owner_id", principal.user_id)
        access.ensure_can_assign(session, principal, fields["owner_id"])
    ensure_links_visible(session, principal, fields)
    ensure_unique(session, principal.workspace_id, object_type, fields)
    return service.create_record(
        session,
        principal.workspace_id,
        object_type,
        fields,
        source=source,
        actor_id=principal.user_id,
    )


def update_record(
    session: Session,
    principal: Principal,
    object_type: str,
    record_id: int,
    raw: Mapping[str, Any],
    *,
    source: str = "api",
) -> Any:
    """Change a record ``principal`` may see; returns it (history and events included)."""
    record = access.read(session, principal, object_type, record_id)
    fields = parse_fields(object_type, raw)
    ensure_links_visible(session, principal, fields)
    ensure_unique(session, principal.workspace_id, object_type, fields, record_id)
    access.update(session, principal, object_type, record_id, fields, source=source)
    return record


def ensure_links_visible(session: Session, principal: Principal, fields: Mapping[str, Any]) -> None:
    """InvalidFieldsError for each link to a record the principal cannot see (or that is not
    in the workspace), worded as "not found" so it reveals nothing."""
    problems: list[tuple[str, str]] = []
    repository = WorkspaceRepository(session, principal.workspace_id)
    for name, record_id in fields.items():
        if record_id is None:
            continue
        secured = SECURED_LINKS.get(name)
        if secured is not None:
            model: Any = access.SECURED[secured]
            found = session.scalar(
                select(model.id).where(model.id == record_id, access.visible(principal, secured))
            )
        elif name in WORKSPACE_LINKS:
            found = repository.find(WORKSPACE_LINKS[name], record_id)
        else:
            continue
        if found is None:
            problems.append((name, f"#{record_id} not found"))
    if problems:
        raise InvalidFieldsError(problems)


def ensure_unique(
    session: Session,
    workspace_id: int,
    object_type: str,
    fields: Mapping[str, Any],
    record_id: int | None = None,
) -> None:
    """ConflictError when a value must be unique in the workspace (an email, a domain, an
    external id) and another record already has it."""
    model: Any = object_spec(object_type).model
    for constraint in model.__table__.constraints:
        if not isinstance(constraint, UniqueConstraint):
            continue
        names = [column.key for column in constraint.columns if column.key != "workspace_id"]
        if len(names) != 1 or fields.get(names[0]) is None:
            continue
        column = model.__table__.c[names[0]]
        statement = select(model.id).where(
            model.workspace_id == workspace_id, column == fields[names[0]]
        )
        if record_id is not None:
            statement = statement.where(model.id != record_id)
        if session.scalar(statement.limit(1)) is not None:
            raise ConflictError(
                f"{names[0]}: another {object_spec(object_type).singular} in this workspace "
                f"already has {fields[names[0]]!r}"
            )


def log_activity(
    session: Session,
    principal: Principal,
    kind: str,
    *,
    links: Mapping[str, int | None],
    subject: str | None = None,
    body: str | None = None,
    direction: str | None = None,
    occurred_at: datetime | None = None,
    due_at: datetime | None = None,
) -> Activity:
    """Log an activity (a task is ``principal``'s own unless they may assign it) against
    records they can see."""
    links = {name: record_id for name, record_id in links.items() if record_id is not None}
    links.setdefault("owner_id", principal.user_id)
    access.ensure_can_assign(session, principal, links["owner_id"])
    ensure_links_visible(session, principal, links)
    return service.log_activity(
        session,
        principal.workspace_id,
        kind,
        subject=subject,
        body=body,
        direction=direction,
        occurred_at=occurred_at,
        due_at=due_at,
        links=links,
        actor_id=principal.user_id,
    )


def move_deal(
    session: Session, principal: Principal, deal_id: int, stage_id: int, *, source: str = "api"
) -> Any:
    """Move a deal ``principal`` may see to a stage of its pipeline; returns the deal."""
    deal = access.read(session, principal, "deals", deal_id)
    ensure_links_visible(session, principal, {"stage_id": stage_id})
    access.move_deal(session, principal, deal_id, stage_id, source=source)
    return deal
