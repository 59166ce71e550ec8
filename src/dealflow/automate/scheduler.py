"""Schedule triggers: when a workflow's cron time comes, enrol every record of its object
type that meets ``enrol_when``. Missed times (the worker was down) fire once, not once per
missed time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.cron import CronSchedule
from dealflow.automate.enrolments import enrol
from dealflow.automate.repository import definition_of
from dealflow.automate.triggers import Scheduled
from dealflow.crm.objects import object_spec
from dealflow.models import Workflow

MAX_CATCH_UP = 10_000


def run_schedules(session: Session, now: datetime) -> int:
    """Enrol records for every schedule that came due; returns the enrolments made."""
    enrolled = 0
    for workflow in session.scalars(select(Workflow).where(Workflow.is_enabled.is_(True))):
        trigger = definition_of(session, workflow).trigger
        if not isinstance(trigger, Scheduled):
            continue
        due = _latest_due(CronSchedule.parse(trigger.cron), workflow, now)
        if due is None:
            continue
        workflow.last_scheduled_at = due
        model = object_spec(workflow.object_type).model
        ids = session.scalars(
            select(model.id).where(model.workspace_id == workflow.workspace_id)  # type: ignore[attr-defined]
        ).all()
        for record_id in ids:
            enrolment = enrol(
                session,
                workflow,
                record_id,
                trigger=trigger.describe(),
                reason=f"the schedule fired at {due:%Y-%m-%d %H:%M} UTC",
                cause=f"schedule:{due.isoformat()}",
                now=now,
            )
            enrolled += enrolment is not None
    return enrolled


def _latest_due(schedule: CronSchedule, workflow: Workflow, now: datetime) -> datetime | None:
    start = workflow.last_scheduled_at or workflow.enabled_at or workflow.created_at
    due = None
    moment = schedule.next_after(start)
    for _ in range(MAX_CATCH_UP):
        if moment > now:
            break
        due = moment
        moment = schedule.next_after(moment)
    return due
