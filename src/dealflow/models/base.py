"""Declarative base, shared column types and mixins for every table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, MetaData, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

RecordId = BigInteger().with_variant(Integer(), "sqlite")
"""Primary/foreign key type: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite."""

JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = _aware_as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":  # bulk writes carry several times a row: format once
            return _sqlite_text_from_utc
        return super().bind_processor(dialect)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":  # pages of rows carry several times each: parse once
            return _utc_from_sqlite_text
        return super().result_processor(dialect, coltype)


def _sqlite_text_from_utc(value: datetime | None) -> str | None:
    """An aware time as SQLite keeps it (UTC text without an offset, the text SQLAlchemy's
    own SQLite DATETIME writes: "2026-03-02 09:00:00.000000"), in one step."""
    if value is None:
        return None
    return _aware_as_utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")


def _aware_as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive time is refused (its zone would be a guess)."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: pass a timezone-aware UTC datetime")
    return value.astimezone(UTC)


def _utc_from_sqlite_text(value: str | None) -> datetime | None:
    """A time as SQLite keeps it (UTC text without an offset, "2026-03-02 09:00:00.000000"),
    read as an aware UTC datetime in one parse."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:  # text written with an offset of its own
        return datetime.fromisoformat(value).astimezone(UTC)


class Base(DeclarativeBase):
    """Base class of every ORM table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JsonDocument,
    }


def sqlite_args(*items: Any) -> tuple[Any, ...]:
    """Table args with AUTOINCREMENT on SQLite, so ids are never reused and can be reserved."""
    return (*items, {"sqlite_autoincrement": True})


class IdMixin:
    id: Mapped[int] = mapped_column(RecordId, primary_key=True)


class WorkspaceMixin(IdMixin):
    """Every workspace-owned row: an id and the workspace it belongs to."""

    workspace_id: Mapped[int] = mapped_column(
        RecordId, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )


class TimestampsMixin:
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
