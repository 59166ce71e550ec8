"""Tickets (customer questions and issues) in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from dealflow.api.schemas.common import Id, Input, Output, one_of
from dealflow.crm.objects import TICKET_PRIORITIES, TICKET_STATUSES

TicketStatus = Annotated[str, one_of(TICKET_STATUSES)]
TicketPriority = Annotated[str, one_of(TICKET_PRIORITIES)]


class TicketOut(Output):
    id: int
    subject: str
    description: str | None
    status: TicketStatus
    priority: TicketPriority
    channel: str | None
    contact_id: int | None
    company_id: int | None
    owner_id: int | None
    closed_at: datetime | None
    external_id: str | None
    properties: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class TicketFields(Input):
    """The fields to set; on update, only those given change."""

    subject: str | None = None
    description: str | None = None
    status: TicketStatus | None = None
    priority: TicketPriority | None = None
    channel: str | None = None
    contact_id: Id | None = None
    company_id: Id | None = None
    owner_id: Id | None = None
    external_id: str | None = None
    properties: dict[str, Any] | None = None


class TicketCreate(TicketFields):
    subject: str = Field(min_length=1)
