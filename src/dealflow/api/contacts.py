"""Contacts: list (filter, sort by score, search), read, create, update."""

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
from dealflow.api.schemas.contacts import ContactFields, ContactOut
from dealflow.crm import access, record_writes
from dealflow.crm.record_lists import ListRequest

router = APIRouter(prefix="/contacts", tags=["contacts"], responses=ERROR_RESPONSES)
ContactId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=Page[ContactOut], openapi_extra=list_documentation("contacts"))
async def list_contacts(
    read: ReaderDep, request: Annotated[ListRequest, Depends(list_parameters("contacts"))]
) -> Response:
    """The contacts you may see; `sort=-score` puts the hottest leads first."""
    return await serve_page(read, request, ContactOut)


list_route = lean_list_route("/contacts", "contacts", ContactOut)
"""The same list, served without FastAPI's dependency solving (put first by the app)."""


@router.get("/{contact_id}")
def read_contact(session: SessionDep, principal: PrincipalDep, contact_id: ContactId) -> ContactOut:
    """One contact with its score and reasons."""
    return ContactOut.model_validate(access.read(session, principal, "contacts", contact_id))


@router.post("", status_code=201)
def create_contact(
    session: SessionDep, principal: PrincipalDep, fields: ContactFields
) -> ContactOut:
    """A new contact, yours unless you assign it (managers: your teams; admins: anyone)."""
    contact = record_writes.create_record(
        session, principal, "contacts", fields.model_dump(exclude_unset=True)
    )
    return ContactOut.model_validate(contact)


@router.patch("/{contact_id}")
def update_contact(
    session: SessionDep, principal: PrincipalDep, contact_id: ContactId, fields: ContactFields
) -> ContactOut:
    """Change the given fields (each change is kept in the contact's history)."""
    contact = record_writes.update_record(
        session, principal, "contacts", contact_id, fields.model_dump(exclude_unset=True)
    )
    return ContactOut.model_validate(contact)
