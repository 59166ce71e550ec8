"""Tickets: list, read, create, update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from dealflow.api.deps import PrincipalDep, ReaderDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.listing import (
    Page,
    lean_list_route,
    list_documentation,
    list_parameters,
    serve_page,
)
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.tickets import TicketCreate, TicketFields, TicketOut
from dealflow.crm import access, record_writes
from dealflow.crm.record_lists import ListRequest

router = APIRouter(prefix="/tickets", tags=["tickets"], responses=ERROR_RESPONSES)
TicketId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=Page[TicketOut], openapi_extra=list_documentation("tickets"))
async def list_tickets(
    read: ReaderDep, request: Annotated[ListRequest, Depends(list_parameters("tickets"))]
) -> Response:
    """The tickets you may see (yours, and those of contacts you see)."""
    return await serve_page(read, request, TicketOut)


list_route = lean_list_route("/tickets", "tickets", TicketOut)
"""The same list, served without FastAPI's dependency solving (put first by the app)."""


@router.get("/{ticket_id}")
def read_ticket(session: SessionDep, principal: PrincipalDep, ticket_id: TicketId) -> TicketOut:
    return TicketOut.model_validate(access.read(session, principal, "tickets", ticket_id))


@router.post("", status_code=201)
def create_ticket(session: SessionDep, principal: PrincipalDep, fields: TicketCreate) -> TicketOut:
    ticket = record_writes.create_record(
        session, principal, "tickets", fields.model_dump(exclude_unset=True)
    )
    return TicketOut.model_validate(ticket)


@router.patch("/{ticket_id}")
def update_ticket(
    session: SessionDep, principal: PrincipalDep, ticket_id: TicketId, fields: TicketFields
) -> TicketOut:
    ticket = record_writes.update_record(
        session, principal, "tickets", ticket_id, fields.model_dump(exclude_unset=True)
    )
    return TicketOut.model_validate(ticket)
