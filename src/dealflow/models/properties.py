"""Custom property definitions and the history of every property change."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, JsonDocument, RecordId, WorkspaceMixin, sqlite_args


class PropertyDefinition(WorkspaceMixin, Base):
    """A typed custom property (text, number, date, enum, bool) of one object type."""

    __tablename__ = "property_definitions"
    __table_args__ = sqlite_args(UniqueConstraint("workspace_id", "object_type", "name"))

    object_type: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(200))
    value_type: Mapped[str] = mapped_column(String(10))
    options: Mapped[list[str] | None] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class PropertyChange(WorkspaceMixin, Base):
    """One change of one property of one record: who, when, old and new value.

    The value of property P on record R at time t is the ``old_value`` of the first change
    after t, or the record's current value when none follows t; creation is not a change.
    """

    __tablename__ = "property_changes"
    __table_args__ = sqlite_args(
        Index(
            "ix_property_changes_record",
            "workspace_id",
            "object_type",
            "record_id",
            "property",
            "changed_at",
        ),
        Index("ix_property_changes_workspace_time", "workspace_id", "changed_at"),
    )

    object_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(RecordId)
    property: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[Any] = mapped_column(JsonDocument, nullable=True)
    new_value: Mapped[Any] = mapped_column(JsonDocument, nullable=True)
    changed_at: Mapped[datetime]
    changed_by: Mapped[int | None] = mapped_column(RecordId, ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(30))
