"""Personal API tokens: shown once when made, stored as a SHA-256 hash, revocable."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from dealflow.core import clock, driver_sql
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


@dataclass(frozen=True)
class TokenHolder:
    """Who a live token acts for, and when it was last used."""

    principal: Principal
    token_id: int
    last_used_at: datetime | None

    def use_to_record(self, now: datetime) -> bool:
        """Whether this use should be written down (at most once a minute)."""
        return self.last_used_at is None or now - self.last_used_at > USE_RECORDED_EVERY


_HOLDER_OF_DIGEST = (
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
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked_at.is_(None),
        User.is_active.is_(True),
    )
)
"""Built once and compiled once (every API request runs it, on the driver's cursor); still
read from the database each time, so a revoked token or a deactivated user stops working at
once."""


def token_holder(session: Session, secret: str) -> TokenHolder | None:
    """The active user a live token acts for, or None. Reads only (one Core query, no ORM
    objects: every API request asks it), so a read-only transaction never has to write;
    ``record_token_use`` writes the use down."""
    session.flush()  # a revocation earlier in this transaction counts (Core skips autoflush)
    connection = session.connection()
    statement = driver_sql.compiled(_HOLDER_OF_DIGEST, connection.dialect)
    rows = statement.rows(connection, {"digest": token_digest(secret)})
    if not rows:
        return None
    token_id, last_used_at, workspace_id, user_id, role, team_id = rows[0]
    return TokenHolder(principal_of(workspace_id, user_id, role, team_id), token_id, last_used_at)


def record_token_use(session: Session, token_id: int, now: datetime) -> None:
    """Note that a token was used at ``now`` (unless a use in the last minute is noted)."""
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - USE_RECORDED_EVERY),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
