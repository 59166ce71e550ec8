"""Webhook subscriptions and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from dealflow.api.schemas.common import Input, Output, checked_choice, one_of
from dealflow.crm.webhooks.subscriptions import (
    MAX_SECRET_LENGTH,
    MAX_URL_LENGTH,
    MIN_SECRET_LENGTH,
    TOPICS,
)

Topic = Annotated[str, one_of(TOPICS), AfterValidator(checked_choice(TOPICS, "topic"))]


class WebhookOut(Output):
    id: int
    url: str
    topics: list[str]
    description: str | None
    is_active: bool
    created_at: datetime


class WebhookCreate(Input):
    url: str = Field(max_length=MAX_URL_LENGTH, examples=["https://example.com/hooks/dealflow"])
    topics: list[Topic] = Field(min_length=1, max_length=len(TOPICS))
    secret: str | None = Field(
        None,
        min_length=MIN_SECRET_LENGTH,
        max_length=MAX_SECRET_LENGTH,
        description="Signs every delivery; made for you when not given",
    )
    description: str | None = Field(None, max_length=200)


class NewWebhookOut(BaseModel):
    webhook: WebhookOut
    secret: str = Field(description="Check each delivery's Dealflow-Signature with it")


class DeliveryOut(BaseModel):
    """One event's delivery to the subscriber, as the jobs table tracks it."""

    id: int
    delivery_id: str
    topic: str
    status: str = Field(description="queued, running, succeeded or dead")
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Any) -> DeliveryOut:
        body = job.payload.get("body", {})
        return cls(
            id=job.id,
            delivery_id=str(body.get("delivery_id", job.idempotency_key)),
            topic=str(body.get("topic", "")),
            status=job.status,
            attempts=job.attempts,
            max_attempts=job.max_attempts,
            next_attempt_at=job.run_at if job.status == "queued" else None,
            last_error=job.last_error,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )
