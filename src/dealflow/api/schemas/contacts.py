"""Contacts in and out, with their lead score and its reasons (read-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from dealflow.api.schemas.common import Band, Id, Input, Output, Reasons, one_of
from dealflow.crm.objects import LEAD_STATUSES, LIFECYCLE_STAGES

LifecycleStage = Annotated[str, one_of(LIFECYCLE_STAGES)]
LeadStatus = Annotated[str, one_of(LEAD_STATUSES)]


class ContactOut(Output):
    id: int
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    job_title: str | None
    company_id: int | None
    lifecycle_stage: LifecycleStage
    lead_status: LeadStatus | None
    source: str | None
    owner_id: int | None
    language: str | None
    time_zone: str | None
    country: str | None
    city: str | None
    do_not_email: bool
    do_not_call: bool
    external_id: str | None
    properties: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    score: int | None
    """Probability (0-100) that the lead converts, from the predict layer."""
    score_band: Band | None
    score_reasons: Reasons
    score_model: str | None
    scored_at: datetime | None


class ContactFields(Input):
    """The fields to set; on update, only those given change."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    job_title: str | None = None
    company_id: Id | None = None
    lifecycle_stage: LifecycleStage | None = None
    lead_status: LeadStatus | None = None
    source: str | None = None
    owner_id: Id | None = None
    language: str | None = None
    time_zone: str | None = None
    country: str | None = None
    city: str | None = None
    do_not_email: bool | None = None
    do_not_call: bool | None = None
    external_id: str | None = None
    properties: dict[str, Any] | None = None
