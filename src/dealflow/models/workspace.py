"""Workspaces: the unit of isolation (an agency runs one per client)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from dealflow.models.base import Base, IdMixin, sqlite_args


class Workspace(IdMixin, Base):
    __tablename__ = "workspaces"
    __table_args__ = sqlite_args()

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_currency: Mapped[str] = mapped_column(String(3), default="USD")
    fiscal_year_start_month: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    phone_region: Mapped[str | None] = mapped_column(String(2))
    """ISO 3166 code of the country whose numbers are written without a country code."""
    quality_targets: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Data quality settings: fill-rate targets per ``object.property`` and key properties."""
