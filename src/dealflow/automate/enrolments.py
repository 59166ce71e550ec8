"""Enrolling a record in a workflow, ending an enrolment, and writing its run trail.

An enrolment row is unique per cause (its ``enrolment_key``): the same event, schedule time
or request never enrols twice, however often it is replayed. With ``reenrol: never`` the
key is the (workflow, record) pair itself, so a record goes through once, ever.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from dealflow.automate.definitions import Definition
from dealflow.automate.filters import matches
from dealflow.automate.records import RecordSubject
from dealflow.automate.repository import active_enrolment, definition_of
from dealflow.core import clock, jobs
from dealflow.core.dialect import dialect_of
from dealflow.core.errors import NotFoundError
from dealflow.models import Enrolment, TrailEntry, Workflow

ACTIVE, COMPLETED, STOPPED, GOAL_MET, RECORD_GONE = (
    "active",
    "completed",
    "stopped",
    "goal_met",
    "record_gone",
)
STEP_JOB = "workflows.step"
STEP_KEY_PREFIX = "workflow-step:"
STEP_MAX_ATTEMPTS = 5


def step_job_key(enrolment_id: int, path: str) -> str:
    """The idempotency key of running one step of one enrolment (its job and side effects)."""
    return f"{STEP_KEY_PREFIX}{enrolment_id}:{path}"


def enrol(
    session: Session,
    workflow: Workflow,
    record_id: int,
    *,
    trigger: str,
    reason: str,
    cause: str,
    now: datetime | None = None,
    definition: Definition | None = None,
) -> Enrolment | None:
    """Enrol a record in the workflow's current version and queue its first step.

    None when it may not enrol: the record is gone, it does not meet ``enrol_when``, it
    already meets the goal, re-enrolment rules forbid it, or this cause enrolled it already.
    """
    now = now or clock.now()
    definition = definition or definition_of(session, workflow)
    try:
        subject = RecordSubject(session, workflow.workspace_id, workflow.object_type, record_id)
    except NotFoundError:
        return None
    if definition.enrol_when is not None and not matches(definition.enrol_when, subject, now):
        return None
    if definition.goal is not None and matches(definition.goal, subject, now):
        return None
    if definition.reenrol == "never":
        key = f"{workflow.id}:{record_id}"
    else:
        if active_enrolment(session, workflow.id, record_id) is not None:
            return None
        key = f"{workflow.id}:{record_id}:{cause}"
    enrolment_id = _insert(session, workflow, record_id, key, trigger, reason, now)
    if enrolment_id is None:
        return None
    enrolment = session.get_one(Enrolment, enrolment_id)
    write_trail(
        session,
        enrolment,
        f"enrolled in {workflow.name!r} (version {workflow.current_version}) by trigger "
        f"{trigger} at {now:%Y-%m-%d %H:%M} UTC because {reason}",
        now,
    )
    queue_step(session, enrolment, "0", now)
    return enrolment


def leave_at_goal(
    session: Session, workflow: Workflow, definition: Definition, record_id: int
) -> bool:
    """End the record's active enrolment when it now meets the goal (a change just made it
    so), rather than when its next step comes due; True when it left."""
    enrolment = active_enrolment(session, workflow.id, record_id)
    if enrolment is None or definition.goal is None:
        return False
    goal = definition_of(session, workflow, enrolment.version).goal
    now = clock.now()
    try:
        subject = RecordSubject(session, workflow.workspace_id, workflow.object_type, record_id)
    except NotFoundError:
        return False
    if goal is None or not matches(goal, subject, now):
        return False
    finish(session, enrolment, GOAL_MET, "left the workflow: it reached the goal", now)
    return True


def queue_step(session: Session, enrolment: Enrolment, path: str, run_at: datetime) -> None:
    """Queue the job that runs step ``path`` (once: the job's key is the step's key)."""
    jobs.enqueue(
        session,
        STEP_JOB,
        {"enrolment_id": enrolment.id, "path": path},
        workspace_id=enrolment.workspace_id,
        run_at=run_at,
        idempotency_key=step_job_key(enrolment.id, path),
        max_attempts=STEP_MAX_ATTEMPTS,
    )


def finish(
    session: Session, enrolment: Enrolment, status: str, message: str, now: datetime
) -> None:
    """End an enrolment (completed, stopped, goal met...) and say why in the trail."""
    enrolment.status = status
    enrolment.finished_at = now
    write_trail(session, enrolment, message, now)


def write_trail(
    session: Session,
    enrolment: Enrolment,
    message: str,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Add a line to the record's run trail (``details``: what the step made, by id, for
    links from a page)."""
    session.add(
        TrailEntry(
            workspace_id=enrolment.workspace_id,
            enrolment_id=enrolment.id,
            object_type=enrolment.object_type,
            record_id=enrolment.record_id,
            at=at,
            message=message,
            details=details,
        )
    )


def _insert(
    session: Session,
    workflow: Workflow,
    record_id: int,
    key: str,
    trigger: str,
    reason: str,
    now: datetime,
) -> int | None:
    values = {
        "workspace_id": workflow.workspace_id,
        "workflow_id": workflow.id,
        "version": workflow.current_version,
        "object_type": workflow.object_type,
        "record_id": record_id,
        "status": ACTIVE,
        "enrolment_key": key,
        "trigger": trigger,
        "reason": reason,
        "enrolled_at": now,
    }
    statement = (
        dialect_of(session).insert_new(Enrolment, "enrolment_key", values).returning(Enrolment.id)
    )
    return session.execute(statement).scalar_one_or_none()
