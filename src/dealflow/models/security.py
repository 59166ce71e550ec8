"""Who may do what: sign-in sessions, API tokens, shared records, the audit log and the
record of sign-in attempts that rate limiting reads."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, IdMixin, RecordId, WorkspaceMixin, sqlite_args


class UserSession(WorkspaceMixin, Base):
    """A signed-in browser. Only a hash of its token is stored, so a stolen table signs no
    one in."""

    __tablename__ = "user_sessions"
    __table_args__ = sqlite_args()

    user_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiToken(WorkspaceMixin, Base):
    """A personal API token: shown once, stored as a hash, revocable."""

    __tablename__ = "api_tokens"
    __table_args__ = sqlite_args()

    user_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    """The token's first characters, so a person can tell their tokens apart."""
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class RecordShare(WorkspaceMixin, Base):
    """A record shared with a user who would not see it by role (a rep on another's deal)."""

    __tablename__ = "record_shares"
    __table_args__ = sqlite_args(
        UniqueConstraint("object_type", "record_id", "user_id"),
        Index("ix_record_shares_user", "user_id", "object_type"),
    )

    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(RecordId)
    user_id: Mapped[int] = mapped_column(RecordId, ForeignKey("users.id", ondelete="CASCADE"))
    shared_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    created_at: Mapped[datetime]


class AuditEntry(WorkspaceMixin, Base):
    """One security-relevant event: a sign-in, a failed one, a role change, a token made."""

    __tablename__ = "audit_log"
    __table_args__ = sqlite_args(Index("ix_audit_log_workspace_time", "workspace_id", "at"))

    actor_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


class LoginAttempt(IdMixin, Base):
    """A sign-in attempt, kept in the database so every process sees the same count."""

    __tablename__ = "login_attempts"
    __table_args__ = sqlite_args(
        Index("ix_login_attempts_email_time", "email", "at"),
        Index("ix_login_attempts_address_time", "address", "at"),
    )

    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str | None] = mapped_column(String(64))
    succeeded: Mapped[bool]
    at: Mapped[datetime]
