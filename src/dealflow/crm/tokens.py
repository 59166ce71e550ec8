"""Personal API tokens: shown once when made, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm import audit
from dealflow.crm.access import Principal, principal_of
from dealflow.crm.auth import token_digest
from dealflow.models import ApiToken, User

TOKEN_PREFIX = "dft_"
USE_RECORDED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``secret`` is shown to its owner once and never stored."""

    token: ApiToken
    secret: str


def create_token(session: Session, principal: Principal, name: str) -> NewToken:
    """Make a token acting as ``principal``'s user."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInputError("token name: give 1 to 100 characters, e.g. 'reporting script'")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        workspace_id=principal.workspace_id,
        user_id=principal.user_id,
        name=name,
        token_hash=token_digest(secret),
        prefix=secret[:10],
        created_at=clock.now(),
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        principal.workspace_id,
        audit.TOKEN_CREATED,
        actor_id=principal.user_id,
        target=f"{token.prefix}… ({name})",
    )
    return NewToken(token, secret)


def list_tokens(session: Session, principal: Principal) -> Sequence[ApiToken]:
    """The principal's own tokens, newest first (revoked ones included)."""
    return session.scalars(
        select(ApiToken)
        .where(
            ApiToken.workspace_id == principal.workspace_id,
            ApiToken.user_id == principal.user_id,
        )
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def revoke_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    """Revoke one of the principal's tokens (an admin may revoke anyone's)."""
    statement = select(ApiToken).where(
        ApiToken.id == token_id, ApiToken.workspace_id == principal.workspace_id
    )
    if not principal.is_admin:
        statement = statement.where(ApiToken.user_id == principal.user_id)
    token = session.scalars(statement).one_or_none()
    if token is None:
        raise NotFoundError(f"API token #{token_id} not found")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        audit.record(
            session,
            principal.workspace_id,
            audit.TOKEN_REVOKED,
            actor_id=principal.user_id,
            target=f"{token.prefix}… ({token.name})",
        )
    return token


def token_principal(session: Session, secret: str) -> Principal | None:
    """The principal of the active user a live token acts for, or None; records when the
    token was last used (at most once a minute). One Core query, no ORM objects: every API
    request asks it."""
    row = session.execute(
        select(
            ApiToken.id,
            ApiToken.last_used_at,
            User.workspace_id,
            User.id,
            User.role,
            User.team_id,
        )
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == token_digest(secret),
            ApiToken.revoked_at.is_(None),
            User.is_active.is_(True),
        )
    ).one_or_none()
    if row is None:
        return None
    token_id, last_used_at, workspace_id, user_id, role, team_id = row
    now = clock.now()
    if last_used_at is None or now - last_used_at > USE_RECORDED_EVERY:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
    return principal_of(workspace_id, user_id, role, team_id)
