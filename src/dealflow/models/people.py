"""Users (the people who sell) and the teams they belong to."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, RecordId, WorkspaceMixin, sqlite_args


class Team(WorkspaceMixin, Base):
    __tablename__ = "teams"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "name"))

    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


class User(WorkspaceMixin, Base):
    __tablename__ = "users"
    __table_args__ = sqlite_args(
        UniqueConstraint("workspace_id", "email"),
        UniqueConstraint("workspace_id", "external_id"),
        Index("ix_users_workspace_name", "workspace_id", "name"),
    )

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20), default="rep")
    team_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("teams.id"))
    manager_id: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    language: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    """The language of the user's screens (en, ja, ko, fa); None follows ``language``."""
    password_hash: Mapped[str | None] = mapped_column(String(200))
    """argon2 hash; None means the user cannot sign in with a password."""
    time_zone: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
