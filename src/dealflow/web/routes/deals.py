"""The deal board (kanban), moving deals between stages, and the deal page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.crm import access
from dealflow.crm.deals import deal_board, deal_overview
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import is_htmx, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/deals")
def board(
    request: Request, session: DbSession, viewer: CurrentViewer, pipeline: int | None = None
) -> Response:
    context = {"board": deal_board(session, viewer.principal, pipeline)}
    return render(request, "deals/board.html", context, viewer=viewer)


@router.post("/deals/{deal_id}/move")
def move(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    deal_id: int,
    stage_id: Annotated[int, Form()],
) -> Response:
    access.move_deal(session, viewer.principal, deal_id, stage_id, source="web")
    if is_htmx(request):
        deal = access.read(session, viewer.principal, "deals", deal_id)
        context = {"board": deal_board(session, viewer.principal, deal.pipeline_id)}
        return render(request, "deals/board_columns.html", context, viewer=viewer)
    return RedirectResponse(f"/deals/{deal_id}", status_code=303)


@router.get("/deals/{deal_id}")
def deal_page(
    request: Request, session: DbSession, viewer: CurrentViewer, deal_id: int
) -> Response:
    overview = deal_overview(session, viewer.principal, deal_id)
    return render(request, "deals/page.html", {"d": overview}, viewer=viewer)
