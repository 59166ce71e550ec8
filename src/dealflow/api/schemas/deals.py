"""Deals in and out, with their win probability, reasons and stall (read-only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from dealflow.api.schemas.common import Band, Id, Input, Output, Reasons, one_of
from dealflow.crm.objects import FORECAST_CATEGORIES

ForecastCategory = Annotated[str, one_of(FORECAST_CATEGORIES)]


class DealOut(Output):
    id: int
    name: str
    amount: Decimal | None
    currency: str
    close_date: date | None
    owner_id: int | None
    pipeline_id: int
    stage_id: int
    company_id: int | None
    product_id: int | None
    closed_at: datetime | None
    external_id: str | None
    forecast_category: ForecastCategory | None
    """The rep's forecast category; null follows the stage (see GET /forecast)."""
    properties: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    win_probability: int | None
    """Calibrated probability (0-100) that the deal is won, from the predict layer."""
    win_band: Band | None
    win_reasons: Reasons
    win_model: str | None
    scored_at: datetime | None
    stalled_since: datetime | None


class DealFields(Input):
    """The fields to set; on update, only those given change. The stage changes through
    ``POST /deals/{id}/move``."""

    name: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    close_date: date | None = None
    owner_id: Id | None = None
    company_id: Id | None = None
    product_id: Id | None = None
    external_id: str | None = None
    forecast_category: ForecastCategory | None = None
    properties: dict[str, Any] | None = None


class DealCreate(DealFields):
    name: str = Field(min_length=1)
    pipeline_id: Id | None = Field(None, description="Default: the workspace's default")
    stage_id: Id | None = Field(None, description="Default: the pipeline's first stage")


class DealMove(Input):
    stage_id: Id
