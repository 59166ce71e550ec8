"""The diagnosis as a job: asked for from the quality page, run by a worker, kept as a
snapshot (the page shows the latest snapshot instead of diagnosing on every view)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock, jobs
from dealflow.crm.quality.service import diagnose, record_snapshot
from dealflow.models import Job, Workspace

DIAGNOSE = "quality.diagnose"


def queue_diagnosis(session: Session, workspace_id: int, *, now: datetime) -> bool:
    """Queue a diagnosis of the workspace unless one is waiting already; True if queued."""
    if diagnosis_waiting(session, workspace_id):
        return False
    key = f"{DIAGNOSE}:{workspace_id}:{now.isoformat()}"
    queued = jobs.enqueue(session, DIAGNOSE, workspace_id=workspace_id, idempotency_key=key)
    return queued is not None


def diagnosis_waiting(session: Session, workspace_id: int) -> bool:
    """Whether a diagnosis of the workspace is queued or running."""
    waiting = session.scalar(
        select(Job.id)
        .where(
            Job.workspace_id == workspace_id,
            Job.kind == DIAGNOSE,
            Job.status.in_((jobs.QUEUED, jobs.RUNNING)),
        )
        .limit(1)
    )
    return waiting is not None


def run(session: Session, job: jobs.ClaimedJob) -> None:
    """The job: diagnose the workspace and keep the result in its score history."""
    workspace = session.get(Workspace, job.workspace_id) if job.workspace_id else None
    if workspace is None:
        return
    record_snapshot(session, workspace.id, diagnose(session, workspace, now=clock.now()))


JOB_HANDLERS: dict[str, jobs.JobHandler] = {DIAGNOSE: run}
