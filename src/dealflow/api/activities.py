"""Activities and tasks: list (``kind=task&status=open`` for a to-do list), read, log,
and complete a task."""

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
from dealflow.api.schemas.activities import ActivityCreate, ActivityOut
from dealflow.api.schemas.common import MAX_ID
from dealflow.crm import access, record_writes
from dealflow.crm.record_lists import ListRequest
from dealflow.crm.tasks import complete_task

router = APIRouter(prefix="/activities", tags=["activities"], responses=ERROR_RESPONSES)
ActivityId = Annotated[int, Path(ge=1, le=MAX_ID)]
LINKS = ("contact_id", "company_id", "deal_id", "ticket_id", "owner_id")


@router.get("", response_model=Page[ActivityOut], openapi_extra=list_documentation("activities"))
async def list_activities(
    read: ReaderDep, request: Annotated[ListRequest, Depends(list_parameters("activities"))]
) -> Response:
    """The activities you may see: yours and those of contacts and deals you see."""
    return await serve_page(read, request, ActivityOut)


list_route = lean_list_route("/activities", "activities", ActivityOut)
"""The same list, served without FastAPI's dependency solving (put first by the app)."""


@router.get("/{activity_id}")
def read_activity(
    session: SessionDep, principal: PrincipalDep, activity_id: ActivityId
) -> ActivityOut:
    return ActivityOut.model_validate(access.read(session, principal, "activities", activity_id))


@router.post("", status_code=201)
def log_activity(
    session: SessionDep, principal: PrincipalDep, activity: ActivityCreate
) -> ActivityOut:
    """Log an email, call, meeting or note, or add a task (yours unless you assign it)."""
    logged = record_writes.log_activity(
        session,
        principal,
        activity.kind,
        links={name: getattr(activity, name) for name in LINKS},
        subject=activity.subject,
        body=activity.body,
        direction=activity.direction,
        occurred_at=activity.occurred_at,
        due_at=activity.due_at,
    )
    return ActivityOut.model_validate(logged)


@router.post("/{activity_id}/complete")
def complete_activity(
    session: SessionDep, principal: PrincipalDep, activity_id: ActivityId
) -> ActivityOut:
    """Mark a task done (kept in its history); completing a done task changes nothing."""
    return ActivityOut.model_validate(complete_task(session, principal, activity_id))
