"""Who sees and changes which records: roles, teams and shares, as query filters.

A rep sees the records they own and those shared with them; a manager the records owned by
the people of their teams (and by those who report to them); an admin the whole workspace.
Nobody sees another workspace's rows. Tickets and activities also follow the contact (or
deal) they belong to, and a company is visible with any of its visible contacts or deals.

Every interface (web pages, REST API, CLI) reads and writes through these functions, so the
rules hold the same everywhere. A record someone may not see is "not found", never
"forbidden", so ids do not reveal what exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import NotFoundError, PermissionDeniedError
from dealflow.crm import audit, service
from dealflow.crm.history import Change
from dealflow.models import Activity, Base, Company, Contact, Deal, RecordShare, Ticket, User

ADMIN, MANAGER, REP = "admin", "manager", "rep"

SECURED: dict[str, type[Base]] = {
    "contacts": Contact,
    "companies": Company,
    "deals": Deal,
    "tickets": Ticket,
    "activities": Activity,
}
"""The object types whose rows are filtered by role."""

SHAREABLE = ("contacts", "companies", "deals", "tickets")


@dataclass(frozen=True)
class Principal:
    """The signed-in user as access rules see them."""

    workspace_id: int
    user_id: int
    role: str
    team_ids: frozenset[int] = frozenset()
    """The teams a manager leads (empty for reps and admins)."""

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def principal_for(user: User) -> Principal:
    """The principal of an active ``user`` (a manager leads the team they belong to)."""
    return principal_of(user.workspace_id, user.id, user.role, user.team_id)


def principal_of(workspace_id: int, user_id: int, role: str, team_id: int | None) -> Principal:
    """The principal of an active user given by their columns (read without the ORM)."""
    teams = frozenset({team_id}) if role == MANAGER and team_id else frozenset()
    return Principal(workspace_id, user_id, role, teams)


def ensure_admin(principal: Principal, action: str) -> None:
    """Raise PermissionDeniedError unless ``principal`` is an admin."""
    if not principal.is_admin:
        raise PermissionDeniedError(f"only an admin can {action}")


def team_members(principal: Principal) -> Select[int]:
    """Ids of the users whose records ``principal`` sees by role (themselves included)."""
    members = or_(User.id == principal.user_id)
    if principal.role == MANAGER:
        members = or_(
            User.id == principal.user_id,
            User.team_id.in_(principal.team_ids),
            User.manager_id == principal.user_id,
        )
    return select(User.id).where(User.workspace_id == principal.workspace_id, members)


def visible(principal: Principal, object_type: str) -> ColumnElement[bool]:
    """The WHERE clause that keeps the rows of ``object_type`` ``principal`` may see."""
    model: Any = _model(object_type)
    in_workspace = model.workspace_id == principal.workspace_id
    if principal.is_admin:
        return in_workspace
    owners = _owned_by_team(principal, model.owner_id)
    if object_type in SHAREABLE:
        owners = or_(owners, model.id.in_(_shared_ids(principal, object_type)))
    if object_type == "companies":
        owners = or_(
            owners,
            model.id.in_(_visible_ids(principal, "contacts", Contact.company_id)),
            model.id.in_(_visible_ids(principal, "deals", Deal.company_id)),
        )
    elif object_type == "tickets":
        owners = or_(owners, model.contact_id.in_(_visible_ids(principal, "contacts")))
    elif object_type == "activities":
        owners = or_(
            owners,
            model.contact_id.in_(_visible_ids(principal, "contacts")),
            model.deal_id.in_(_visible_ids(principal, "deals")),
        )
    return and_(in_workspace, owners)


def read(session: Session, principal: Principal, object_type: str, record_id: int) -> Any:
    """The record if ``principal`` may see it, else NotFoundError (as if it did not exist)."""
    model: Any = _model(object_type)
    record = session.scalars(
        select(model).where(model.id == record_id, visible(principal, object_type))
    ).one_or_none()
    if record is None:
        raise NotFoundError(f"{object_type} #{record_id} not found in this workspace")
    return record


def list_visible(
    session: Session,
    principal: Principal,
    object_type: str,
    *,
    limit: int = 100,
    offset: int = 0,
) -> Sequence[Any]:
    """A page of the records ``principal`` may see, in id order."""
    model: Any = _model(object_type)
    statement = (
        select(model)
        .where(visible(principal, object_type))
        .order_by(model.id)
        .limit(limit)
        .offset(offset)
    )
    return session.scalars(statement).all()


def update(
    session: Session,
    principal: Principal,
    object_type: str,
    record_id: int,
    fields: Mapping[str, Any],
    *,
    source: str = "api",
) -> list[Change]:
    """Change a record ``principal`` may see; reassigning it needs the right to assign."""
    read(session, principal, object_type, record_id)
    if "owner_id" in fields:
        ensure_can_assign(session, principal, fields["owner_id"])
    return service.update_record(
        session,
        principal.workspace_id,
        object_type,
        record_id,
        fields,
        source=source,
        actor_id=principal.user_id,
    )


def move_deal(
    session: Session, principal: Principal, deal_id: int, stage_id: int, *, source: str = "api"
) -> list[Change]:
    """Move a deal ``principal`` may see to another stage (history and outbox included)."""
    read(session, principal, "deals", deal_id)
    return service.move_deal(
        session,
        principal.workspace_id,
        deal_id,
        stage_id,
        source=source,
        actor_id=principal.user_id,
    )


def ensure_can_assign(session: Session, principal: Principal, owner_id: int | None) -> None:
    """Admins assign to anyone, managers to their teams, reps to nobody but themselves."""
    if principal.is_admin or owner_id == principal.user_id:
        return
    if principal.role == REP:
        raise PermissionDeniedError("a rep cannot give records to someone else; ask a manager")
    members = session.scalars(team_members(principal)).all()
    if owner_id is None or owner_id not in members:
        raise PermissionDeniedError(f"user #{owner_id} is not in your teams: ask an admin")


def share(
    session: Session, principal: Principal, object_type: str, record_id: int, user_id: int
) -> RecordShare:
    """Share a record ``principal`` may see with another user of the workspace."""
    if object_type not in SHAREABLE:
        raise PermissionDeniedError(f"{object_type} cannot be shared; share their record instead")
    read(session, principal, object_type, record_id)
    user = session.scalars(
        select(User).where(User.id == user_id, User.workspace_id == principal.workspace_id)
    ).one_or_none()
    if user is None:
        raise NotFoundError(f"user #{user_id} not found in this workspace")
    existing = session.scalars(
        select(RecordShare).where(
            RecordShare.object_type == object_type,
            RecordShare.record_id == record_id,
            RecordShare.user_id == user_id,
        )
    ).one_or_none()
    if existing is not None:
        return existing
    shared = RecordShare(
        workspace_id=principal.workspace_id,
        object_type=object_type,
        record_id=record_id,
        user_id=user_id,
        shared_by=principal.user_id,
        created_at=clock.now(),
    )
    session.add(shared)
    session.flush()
    audit.record(
        session,
        principal.workspace_id,
        audit.RECORD_SHARED,
        actor_id=principal.user_id,
        target=f"{object_type} #{record_id}",
        details={"user_id": user_id},
    )
    return shared


def _model(object_type: str) -> type[Base]:
    model = SECURED.get(object_type)
    if model is None:
        raise ValueError(f"{object_type!r} is not access-controlled; use one of {list(SECURED)}")
    return model


def _owned_by_team(principal: Principal, owner: Any) -> ColumnElement[bool]:
    if principal.role == REP:
        return owner == principal.user_id
    if principal.role == MANAGER:
        return owner.in_(team_members(principal))
    return false()


def _shared_ids(principal: Principal, object_type: str) -> Select[int]:
    return select(RecordShare.record_id).where(
        RecordShare.user_id == principal.user_id,
        RecordShare.object_type == object_type,
        RecordShare.workspace_id == principal.workspace_id,
    )


def _visible_ids(principal: Principal, object_type: str, column: Any = None) -> Select[Any]:
    """Ids (or ``column``) of the rows of ``object_type`` that ``principal`` sees."""
    model: Any = _model(object_type)
    picked = model.id if column is None else column
    return select(picked).where(visible(principal, object_type))
