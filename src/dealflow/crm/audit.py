"""The audit log: sign-ins and permission-relevant changes, kept per workspace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.models import AuditEntry

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
USER_ADDED = "user_added"
ROLE_CHANGED = "role_changed"
PASSWORD_SET = "password_set"
TOKEN_CREATED = "token_created"
TOKEN_REVOKED = "token_revoked"
RECORD_SHARED = "record_shared"


def record(
    session: Session,
    workspace_id: int,
    action: str,
    *,
    actor_id: int | None,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry in the caller's transaction."""
    entry = AuditEntry(
        workspace_id=workspace_id,
        actor_id=actor_id,
        action=action,
        target=target,
        details=details or {},
        at=clock.now(),
    )
    session.add(entry)
    return entry


def recent(session: Session, workspace_id: int, limit: int = 100) -> Sequence[AuditEntry]:
    """The workspace's newest audit entries, newest first."""
    return session.scalars(
        select(AuditEntry)
        .where(AuditEntry.workspace_id == workspace_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).all()
