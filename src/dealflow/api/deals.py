"""Deals: list (sort by win probability, filter by stage or band), read, create, update,
and move to another stage (kept in the history, announced as ``deal.stage_changed``)."""

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
from dealflow.api.schemas.deals import DealCreate, DealFields, DealMove, DealOut
from dealflow.crm import access, record_writes
from dealflow.crm.record_lists import ListRequest

router = APIRouter(prefix="/deals", tags=["deals"], responses=ERROR_RESPONSES)
DealId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=Page[DealOut], openapi_extra=list_documentation("deals"))
async def list_deals(
    read: ReaderDep, request: Annotated[ListRequest, Depends(list_parameters("deals"))]
) -> Response:
    """The deals you may see; `sort=-win_probability` puts the likeliest first."""
    return await serve_page(read, request, DealOut)


list_route = lean_list_route("/deals", "deals", DealOut)
"""The same list, served without FastAPI's dependency solving (put first by the app)."""


@router.get("/{deal_id}")
def read_deal(session: SessionDep, principal: PrincipalDep, deal_id: DealId) -> DealOut:
    """One deal with its win probability, reasons and stall."""
    return DealOut.model_validate(access.read(session, principal, "deals", deal_id))


@router.post("", status_code=201)
def create_deal(session: SessionDep, principal: PrincipalDep, fields: DealCreate) -> DealOut:
    deal = record_writes.create_record(
        session, principal, "deals", fields.model_dump(exclude_unset=True)
    )
    return DealOut.model_validate(deal)


@router.patch("/{deal_id}")
def update_deal(
    session: SessionDep, principal: PrincipalDep, deal_id: DealId, fields: DealFields
) -> DealOut:
    deal = record_writes.update_record(
        session, principal, "deals", deal_id, fields.model_dump(exclude_unset=True)
    )
    return DealOut.model_validate(deal)


@router.post("/{deal_id}/move")
def move_deal(
    session: SessionDep, principal: PrincipalDep, deal_id: DealId, move: DealMove
) -> DealOut:
    """Move the deal to another stage of its pipeline (fires stage-change workflows)."""
    deal = record_writes.move_deal(session, principal, deal_id, move.stage_id)
    return DealOut.model_validate(deal)
