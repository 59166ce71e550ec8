"""The cleansing agent as a job: on demand, and once a day for every workspace with
contacts or companies (sure changes applied by policy, the rest left for review)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from dealflow.core import clock, jobs
from dealflow.crm.cleansing.service import run_agent
from dealflow.crm.quality.service import diagnose, record_snapshot
from dealflow.models import Company, Contact, Job, Workspace

RUN = "cleanse.run"


def queue_daily_runs(session: Session, *, today: date, now: datetime) -> int:
    """Queue today's agent run for each workspace with records; returns the jobs queued."""
    owners = union(select(Contact.workspace_id).distinct(), select(Company.workspace_id).distinct())
    queued = 0
    for workspace_id in session.scalars(select(owners.subquery().c[0])):
        job_id = jobs.enqueue(
            session,
            RUN,
            workspace_id=workspace_id,
            run_at=now,
            idempotency_key=f"{RUN}:{workspace_id}:{today.isoformat()}",
        )
        queued += job_id is not None
    return queued


def run(session: Session, job: Job) -> None:
    """The job: diagnose, run the agent, diagnose again (both scores kept in the history)."""
    if job.workspace_id is None:
        return
    workspace = session.get(Workspace, job.workspace_id)
    if workspace is None:
        return
    before = diagnose(session, workspace, now=clock.now())
    record_snapshot(session, workspace.id, before)
    run_agent(session, workspace, now=clock.now(), origin="job", diagnosis=before)
    record_snapshot(session, workspace.id, diagnose(session, workspace, now=clock.now()))


JOB_HANDLERS: dict[str, jobs.JobHandler] = {RUN: run}
