"""Companies in and out."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import Field

from dealflow.api.schemas.common import Id, Input, Output


class CompanyOut(Output):
    id: int
    name: str
    domain: str | None
    industry: str | None
    employees: int | None
    annual_revenue: Decimal | None
    country: str | None
    city: str | None
    year_established: int | None
    parent_company_id: int | None
    owner_id: int | None
    external_id: str | None
    properties: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class CompanyFields(Input):
    """The fields to set; on update, only those given change."""

    name: str | None = None
    domain: str | None = None
    industry: str | None = None
    employees: int | None = None
    annual_revenue: Decimal | None = None
    country: str | None = None
    city: str | None = None
    year_established: int | None = None
    parent_company_id: Id | None = None
    owner_id: Id | None = None
    external_id: str | None = None
    properties: dict[str, Any] | None = None


class CompanyCreate(CompanyFields):
    name: str = Field(min_length=1)
