"""Companies: list, read, create, update."""

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
from dealflow.api.schemas.companies import CompanyCreate, CompanyFields, CompanyOut
from dealflow.crm import access, record_writes
from dealflow.crm.record_lists import ListRequest

router = APIRouter(prefix="/companies", tags=["companies"], responses=ERROR_RESPONSES)
CompanyId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=Page[CompanyOut], openapi_extra=list_documentation("companies"))
async def list_companies(
    read: ReaderDep, request: Annotated[ListRequest, Depends(list_parameters("companies"))]
) -> Response:
    """The companies you may see (yours, and those of contacts and deals you see)."""
    return await serve_page(read, request, CompanyOut)


list_route = lean_list_route("/companies", "companies", CompanyOut)
"""The same list, served without FastAPI's dependency solving (put first by the app)."""


@router.get("/{company_id}")
def read_company(session: SessionDep, principal: PrincipalDep, company_id: CompanyId) -> CompanyOut:
    return CompanyOut.model_validate(access.read(session, principal, "companies", company_id))


@router.post("", status_code=201)
def create_company(
    session: SessionDep, principal: PrincipalDep, fields: CompanyCreate
) -> CompanyOut:
    company = record_writes.create_record(
        session, principal, "companies", fields.model_dump(exclude_unset=True)
    )
    return CompanyOut.model_validate(company)


@router.patch("/{company_id}")
def update_company(
    session: SessionDep, principal: PrincipalDep, company_id: CompanyId, fields: CompanyFields
) -> CompanyOut:
    company = record_writes.update_record(
        session, principal, "companies", company_id, fields.model_dump(exclude_unset=True)
    )
    return CompanyOut.model_validate(company)
