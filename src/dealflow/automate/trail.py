"""A record's run trail in words, and the steps that died: listed, and retried by a person."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from dealflow.automate.definitions import step_label
from dealflow.automate.enrolments import STEP_JOB, STEP_KEY_PREFIX, write_trail
from dealflow.automate.repository import enrolments_of_record
from dealflow.core import clock, jobs
from dealflow.crm.objects import object_spec
from dealflow.models import Enrolment, Job, TrailEntry, Workflow


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    workflow: str
    enrolment_id: int
    message: str


@dataclass(frozen=True)
class DeadStep:
    job_id: int
    enrolment_id: int
    path: str
    attempts: int
    error: str | None


def record_trail(
    session: Session, workspace_id: int, object_type: str, record_id: int
) -> list[TrailLine]:
    """Everything workflows did with a record, oldest first, then what is pending or dead."""
    object_type = object_spec(object_type).name
    names = dict(
        session.execute(
            select(Workflow.id, Workflow.name).where(Workflow.workspace_id == workspace_id)
        ).all()
    )
    enrolments = {
        e.id: e for e in enrolments_of_record(session, workspace_id, object_type, record_id)
    }
    entries = session.scalars(
        select(TrailEntry)
        .where(
            TrailEntry.workspace_id == workspace_id,
            TrailEntry.object_type == object_type,
            TrailEntry.record_id == record_id,
        )
        .order_by(TrailEntry.at, TrailEntry.id)
    )
    lines = [
        TrailLine(e.at, names[enrolments[e.enrolment_id].workflow_id], e.enrolment_id, e.message)
        for e in entries
    ]
    for enrolment in enrolments.values():
        lines += _pending(session, enrolment, names[enrolment.workflow_id])
    return lines


def dead_steps(
    session: Session, workspace_id: int, enrolment_id: int | None = None
) -> Sequence[DeadStep]:
    """Steps whose job gave up after its last attempt (all, or one enrolment's)."""
    return [
        DeadStep(job.id, *_enrolment_and_path(job), job.attempts, job.last_error)
        for job in session.scalars(_step_jobs(workspace_id, enrolment_id, jobs.DEAD))
    ]


def retry_dead_steps(
    session: Session, workspace_id: int, enrolment_id: int | None = None, actor: str = "a person"
) -> int:
    """Queue dead steps again with fresh attempts; returns how many. Each retry is noted in
    the record's trail."""
    now = clock.now()
    dead = dead_steps(session, workspace_id, enrolment_id)
    for step in dead:
        session.execute(
            update(Job)
            .where(Job.id == step.job_id, Job.status == jobs.DEAD)
            .values(status=jobs.QUEUED, attempts=0, run_at=now, finished_at=None)
            .execution_options(synchronize_session=False)
        )
        enrolment = session.get_one(Enrolment, step.enrolment_id)
        write_trail(session, enrolment, f"{actor} retried the dead {step_label(step.path)}", now)
    return len(dead)


def _pending(session: Session, enrolment: Enrolment, workflow: str) -> list[TrailLine]:
    if enrolment.status != "active":
        return []
    lines = []
    for job in session.scalars(_step_jobs(enrolment.workspace_id, enrolment.id, None)):
        _, path = _enrolment_and_path(job)
        if job.status == jobs.DEAD:
            message = (
                f"{step_label(path)} is dead after {job.attempts} attempts ({job.last_error}); "
                f"retry it with `dealflow workflows retry --enrolment {enrolment.id}`"
            )
        elif job.status == jobs.QUEUED and job.attempts:
            message = (
                f"{step_label(path)} failed {job.attempts} time(s) ({job.last_error}); "
                f"retrying at {job.run_at:%Y-%m-%d %H:%M} UTC"
            )
        elif job.status in (jobs.QUEUED, jobs.RUNNING):
            message = f"{step_label(path)} is due at {job.run_at:%Y-%m-%d %H:%M} UTC"
        else:
            continue
        lines.append(TrailLine(job.run_at, workflow, enrolment.id, message))
    return lines


def _step_jobs(workspace_id: int, enrolment_id: int | None, status: str | None) -> Select[Job]:
    prefix = STEP_KEY_PREFIX + (f"{enrolment_id}:" if enrolment_id is not None else "")
    statement = (
        select(Job)
        .where(
            Job.workspace_id == workspace_id,
            Job.kind == STEP_JOB,
            Job.idempotency_key.startswith(prefix, autoescape=True),
        )
        .order_by(Job.id)
    )
    return statement.where(Job.status == status) if status else statement


def _enrolment_and_path(job: Job) -> tuple[int, str]:
    return int(job.payload["enrolment_id"]), str(job.payload["path"])
