"""Tasks: the activities of kind ``task`` people have to do, and marking them done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError
from dealflow.crm import access
from dealflow.crm.access import Principal
from dealflow.crm.contacts import contact_name
from dealflow.crm.history import Change, record_changes
from dealflow.models import Activity, Contact, Deal

OPEN, DONE = "open", "done"


@dataclass(frozen=True)
class TaskLine:
    id: int
    subject: str
    due_at: datetime | None
    overdue: bool
    status: str
    contact_id: int | None
    contact: str | None
    deal_id: int | None
    deal: str | None


def my_tasks(
    session: Session,
    principal: Principal,
    *,
    due_before: datetime | None = None,
    include_done: bool = False,
    limit: int = 200,
) -> list[TaskLine]:
    """The principal's own tasks, soonest due first (open ones unless ``include_done``)."""
    contact, deal = aliased(Contact), aliased(Deal)
    statement = (
        select(Activity, contact, deal.name)
        .outerjoin(contact, contact.id == Activity.contact_id)
        .outerjoin(deal, deal.id == Activity.deal_id)
        .where(
            Activity.workspace_id == principal.workspace_id,
            Activity.kind == "task",
            Activity.owner_id == principal.user_id,
        )
        .order_by(Activity.status != OPEN, Activity.due_at.is_(None), Activity.due_at, Activity.id)
        .limit(limit)
    )
    if not include_done:
        statement = statement.where(Activity.status == OPEN)
    if due_before is not None:
        statement = statement.where(Activity.due_at < due_before)
    now = clock.now()
    return [
        TaskLine(
            id=task.id,
            subject=task.subject or "",
            due_at=task.due_at,
            overdue=task.status == OPEN and task.due_at is not None and task.due_at < now,
            status=task.status or OPEN,
            contact_id=task.contact_id,
            contact=contact_name(person) if person is not None else None,
            deal_id=task.deal_id,
            deal=deal_name,
        )
        for task, person, deal_name in session.execute(statement)
    ]


def complete_task(session: Session, principal: Principal, task_id: int) -> Activity:
    """Mark a task ``principal`` may see as done (kept in its history)."""
    task: Activity = access.read(session, principal, "activities", task_id)
    if task.kind != "task":
        raise InvalidInputError(f"activity #{task_id} is a {task.kind}, not a task")
    if task.status == DONE:
        return task
    now = clock.now()
    changes = [Change("status", task.status, DONE), Change("completed_at", task.completed_at, now)]
    task.status, task.completed_at = DONE, now
    record_changes(
        session,
        principal.workspace_id,
        "activities",
        task.id,
        changes,
        changed_at=now,
        changed_by=principal.user_id,
        source="web",
    )
    session.flush()
    return task
