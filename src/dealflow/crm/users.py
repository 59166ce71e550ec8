"""The people who use the CRM: adding them, their roles, teams, passwords and language."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import ConflictError, InvalidInputError, NotFoundError
from dealflow.crm import audit, service
from dealflow.crm.access import Principal, ensure_admin
from dealflow.crm.auth import revoke_all_sessions, set_password
from dealflow.crm.objects import USER_ROLES
from dealflow.crm.values import parse_email
from dealflow.models import Team, User

LOCALES = ("en", "ja", "ko", "fa")
"""The languages of the user interface."""


def add_user(
    session: Session,
    workspace_id: int,
    email: str,
    *,
    name: str,
    role: str = "rep",
    team_id: int | None = None,
    password: str | None = None,
    actor_id: int | None = None,
) -> User:
    """Add a user to a workspace (with a password, they can sign in at once)."""
    try:
        email = parse_email(email)
    except ValueError as error:
        raise InvalidInputError(f"email: {error}") from None
    if not name.strip():
        raise InvalidInputError("name: give the person's name")
    _check_role(role)
    if find_user(session, workspace_id, email) is not None:
        raise ConflictError(f"a user with email {email} already exists in this workspace")
    fields = {"email": email, "name": name.strip(), "role": role, "team_id": team_id}
    user: User = service.create_record(
        session, workspace_id, "users", fields, source="admin", actor_id=actor_id
    )
    audit.record(
        session,
        workspace_id,
        audit.USER_ADDED,
        actor_id=actor_id,
        target=email,
        details={"role": role, "team_id": team_id},
    )
    if password is not None:
        set_password(session, user, password, actor_id=actor_id)
    return user


def change_role(
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    role: str,
    team_id: int | None,
) -> User:
    """Give a user another role or team (admins only); their sessions end."""
    ensure_admin(principal, "change roles and teams")
    _check_role(role)
    user = get_user(session, principal.workspace_id, user_id)
    if user.id == principal.user_id and role != "admin":
        raise InvalidInputError("you cannot take away your own admin role; ask another admin")
    old = {"role": user.role, "team_id": user.team_id}
    changes = service.update_record(
        session,
        principal.workspace_id,
        "users",
        user.id,
        {"role": role, "team_id": team_id},
        source="admin",
        actor_id=principal.user_id,
    )
    if changes:
        revoke_all_sessions(session, user.id)
        audit.record(
            session,
            principal.workspace_id,
            audit.ROLE_CHANGED,
            actor_id=principal.user_id,
            target=user.email,
            details={"from": old, "to": {"role": role, "team_id": team_id}},
        )
    return user


def reset_password(session: Session, principal: Principal, user_id: int, password: str) -> None:
    """Set another user's password (admins only), or one's own."""
    if user_id != principal.user_id:
        ensure_admin(principal, "set other people's passwords")
    user = get_user(session, principal.workspace_id, user_id)
    set_password(session, user, password, actor_id=principal.user_id)


def set_locale(session: Session, principal: Principal, locale: str) -> None:
    """Save the language of the user's screens."""
    if locale not in LOCALES:
        raise InvalidInputError(f"language {locale!r} is not one of: {', '.join(LOCALES)}")
    get_user(session, principal.workspace_id, principal.user_id).locale = locale


def locale_of(user: User) -> str:
    """The user's screen language: chosen, else their own language when offered, else en."""
    for candidate in (user.locale, (user.language or "")[:2]):
        if candidate in LOCALES:
            return candidate
    return "en"


def list_users(session: Session, workspace_id: int) -> Sequence[User]:
    return session.scalars(
        select(User).where(User.workspace_id == workspace_id).order_by(User.name, User.id)
    ).all()


def get_user(session: Session, workspace_id: int, user_id: int) -> User:
    user = session.scalars(
        select(User).where(User.id == user_id, User.workspace_id == workspace_id)
    ).one_or_none()
    if user is None:
        raise NotFoundError(f"user #{user_id} not found in this workspace")
    return user


def find_user(session: Session, workspace_id: int, email: str) -> User | None:
    return session.scalars(
        select(User).where(
            User.workspace_id == workspace_id, func.lower(User.email) == email.strip().lower()
        )
    ).one_or_none()


def list_teams(session: Session, workspace_id: int) -> Sequence[Team]:
    return session.scalars(
        select(Team).where(Team.workspace_id == workspace_id).order_by(Team.name)
    ).all()


def team_named(session: Session, workspace_id: int, name: str) -> Team:
    team = session.scalars(
        select(Team).where(Team.workspace_id == workspace_id, Team.name == name)
    ).one_or_none()
    if team is None:
        names = ", ".join(t.name for t in list_teams(session, workspace_id)) or "none yet"
        raise NotFoundError(f"team {name!r} does not exist (teams: {names})")
    return team


def add_team(session: Session, principal: Principal, name: str, region: str | None = None) -> Team:
    """Create a team (admins only)."""
    ensure_admin(principal, "create teams")
    name = name.strip()
    if not name:
        raise InvalidInputError("team name: give a name")
    existing = session.scalars(
        select(Team).where(Team.workspace_id == principal.workspace_id, Team.name == name)
    ).one_or_none()
    if existing is not None:
        raise ConflictError(f"team {name!r} already exists")
    team = Team(
        workspace_id=principal.workspace_id,
        name=name,
        region=(region or "").strip() or None,
        created_at=clock.now(),
    )
    session.add(team)
    session.flush()
    return team


def _check_role(role: str) -> None:
    if role not in USER_ROLES:
        raise InvalidInputError(f"role {role!r} is not one of: {', '.join(USER_ROLES)}")
