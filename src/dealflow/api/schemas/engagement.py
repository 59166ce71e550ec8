"""Engagement events (page views, email opens, forms...) sent in batches."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from dealflow.api.schemas.common import Id, Input, Moment, checked_choice, one_of
from dealflow.crm.engagement_ingest import MAX_BATCH
from dealflow.crm.objects import ENGAGEMENT_KINDS

EngagementKind = Annotated[
    str, one_of(ENGAGEMENT_KINDS), AfterValidator(checked_choice(ENGAGEMENT_KINDS, "kind"))
]


class EngagementIn(Input):
    contact_id: Id
    kind: EngagementKind
    occurred_at: Moment
    url: str | None = Field(None, max_length=2000)
    properties: dict[str, Any] = Field(default_factory=dict)


class EngagementBatch(Input):
    """Up to ``MAX_BATCH`` events, stored all together or not at all."""

    events: list[EngagementIn] = Field(min_length=1, max_length=MAX_BATCH)


class IngestResult(BaseModel):
    ingested: int
    ids: list[int]
