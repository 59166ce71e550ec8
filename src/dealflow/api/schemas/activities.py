"""Activities (emails, calls, meetings, notes) and tasks, in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from dealflow.api.schemas.common import Id, Input, Moment, Output, checked_choice, one_of
from dealflow.crm.objects import ACTIVITY_KINDS, TASK_STATUSES

DIRECTIONS = ("inbound", "outbound")

ActivityKind = Annotated[
    str, one_of(ACTIVITY_KINDS), AfterValidator(checked_choice(ACTIVITY_KINDS, "kind"))
]
Direction = Annotated[
    str, one_of(DIRECTIONS), AfterValidator(checked_choice(DIRECTIONS, "direction"))
]


class ActivityOut(Output):
    id: int
    kind: Annotated[str, one_of(ACTIVITY_KINDS)]
    subject: str | None
    body: str | None
    direction: str | None
    occurred_at: datetime
    due_at: datetime | None
    status: Annotated[str, one_of(TASK_STATUSES)] | None
    """Tasks only: open, done or cancelled."""
    completed_at: datetime | None
    duration_seconds: int | None
    contact_id: int | None
    company_id: int | None
    deal_id: int | None
    ticket_id: int | None
    owner_id: int | None
    created_at: datetime


class ActivityCreate(Input):
    """An activity to log; a task starts open and belongs to its owner (default: you)."""

    kind: ActivityKind
    subject: str | None = Field(None, max_length=500)
    body: str | None = Field(None, max_length=100_000)
    direction: Direction | None = None
    occurred_at: Moment | None = Field(None, description="Default: now")
    due_at: Moment | None = Field(None, description="When a task is due")
    contact_id: Id | None = None
    company_id: Id | None = None
    deal_id: Id | None = None
    ticket_id: Id | None = None
    owner_id: Id | None = None
