"""Signing in: argon2 passwords, server-side sessions, and slowing down password guessing.

Session tokens are random and only their SHA-256 is stored. Failed sign-ins are rows in
``login_attempts``, so every process (and every web worker) counts the same failures: after
``FREE_FAILURES`` failures for one email (or ``FREE_FAILURES_PER_ADDRESS`` from one network
address) within ``FAILURE_WINDOW``, each further try waits twice as long as the last.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError, TooManyAttemptsError
from dealflow.crm import audit
from dealflow.models import LoginAttempt, User, UserSession, Workspace

SESSION_LIFETIME = timedelta(days=14)
SESSION_TOUCH_EVERY = timedelta(minutes=5)
"""How stale ``last_seen_at`` may get before a request writes it again."""
FAILURE_WINDOW = timedelta(minutes=15)
FREE_FAILURES = 5
FREE_FAILURES_PER_ADDRESS = 20
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
_UNKNOWN_USER_HASH = _hasher.hash(secrets.token_urlsafe(16))
"""Checked against when the email is unknown, so both answers take the same time."""


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` after checking it is long enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"password: use at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (never raises on a bad hash)."""
    try:
        return _hasher.verify(password_hash or _UNKNOWN_USER_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def set_password(session: Session, user: User, password: str, *, actor_id: int | None) -> None:
    """Give ``user`` a new password and end their other sessions."""
    user.password_hash = hash_password(password)
    user.updated_at = clock.now()
    revoke_all_sessions(session, user.id)
    audit.record(
        session, user.workspace_id, audit.PASSWORD_SET, actor_id=actor_id, target=user.email
    )


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: the user and the session token for their cookie."""

    user: User
    token: str


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    address: str | None = None,
    workspace_slug: str | None = None,
) -> SignIn | None:
    """Check the credentials; None when they are wrong (the failure is recorded).

    Raises TooManyAttemptsError, before checking anything, while the email or address must
    wait. ``workspace_slug`` picks the workspace when the email belongs to several.
    """
    email = email.strip().lower()
    now = clock.now()
    ensure_may_try(session, email, address, now)
    user = _user_by_email(session, email, workspace_slug)
    succeeded = verify_password(user.password_hash if user else None, password)
    succeeded = succeeded and user is not None and user.is_active
    session.add(LoginAttempt(email=email, address=address, succeeded=succeeded, at=now))
    if user is not None:
        action = audit.SIGN_IN if succeeded else audit.SIGN_IN_FAILED
        audit.record(
            session,
            user.workspace_id,
            action,
            actor_id=user.id,
            target=email,
            details={"address": address},
        )
    if not succeeded or user is None:
        session.flush()
        return None
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
    return SignIn(user, create_session(session, user))


def ensure_may_try(session: Session, email: str, address: str | None, now: datetime) -> None:
    """Raise TooManyAttemptsError while this email or address has to wait."""
    waits = [_wait(session, LoginAttempt.email == email, FREE_FAILURES, now)]
    if address:
        waits.append(
            _wait(session, LoginAttempt.address == address, FREE_FAILURES_PER_ADDRESS, now)
        )
    wait = max(waits)
    if wait > timedelta(0):
        seconds = int(wait.total_seconds()) + 1
        raise TooManyAttemptsError(
            f"too many failed sign-ins: try again in {seconds} seconds", retry_after=seconds
        )


def create_session(session: Session, user: User) -> str:
    """Start a session for ``user``; returns the token (shown to the browser only)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    session.add(
        UserSession(
            workspace_id=user.workspace_id,
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def resolve_session(session: Session, token: str) -> User | None:
    """The active user of a live session token, or None (expired, revoked, unknown)."""
    now = clock.now()
    row = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.token_hash == token_digest(token),
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
            User.is_active.is_(True),
        )
    ).one_or_none()
    if row is None:
        return None
    user_session, user = row
    if now - user_session.last_seen_at > SESSION_TOUCH_EVERY:
        user_session.last_seen_at = now
        user_session.expires_at = now + SESSION_LIFETIME
    return user


def sign_out(session: Session, token: str) -> None:
    """End the session of ``token`` (nothing happens for an unknown token)."""
    user_session = session.scalars(
        select(UserSession).where(UserSession.token_hash == token_digest(token))
    ).one_or_none()
    if user_session is None or user_session.revoked_at is not None:
        return
    user_session.revoked_at = clock.now()
    audit.record(session, user_session.workspace_id, audit.SIGN_OUT, actor_id=user_session.user_id)


def revoke_all_sessions(session: Session, user_id: int) -> None:
    """End every live session of a user (after a password or role change)."""
    for user_session in session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ):
        user_session.revoked_at = clock.now()


def token_digest(token: str) -> str:
    """SHA-256 of a token: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _user_by_email(session: Session, email: str, workspace_slug: str | None) -> User | None:
    statement = select(User).where(func.lower(User.email) == email)
    if workspace_slug:
        statement = statement.join(Workspace, Workspace.id == User.workspace_id).where(
            Workspace.slug == workspace_slug
        )
    users = session.scalars(statement.limit(2)).all()
    return users[0] if len(users) == 1 else None


def _wait(session: Session, who: ColumnElement[bool], free: int, now: datetime) -> timedelta:
    """How long ``who`` must still wait: failures since their last success in the window."""
    since = now - FAILURE_WINDOW
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(who, LoginAttempt.succeeded.is_(True))
    )
    if last_success is not None and last_success > since:
        since = last_success
    failures, last_failure = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            who, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since
        )
    ).one()
    if failures < free or last_failure is None:
        return timedelta(0)
    delay = min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures - free))
    return max(timedelta(0), last_failure + delay - now)
