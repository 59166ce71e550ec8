"""The cleansing agent as a job: on demand, and once a day for every workspace with
contacts or companies (sure changes applied by policy, the rest left for review).

The daily run holds the write lock for as long as it diagnoses and cleans (about a minute on
the demo workspace), so it is queued for the next quiet hour, never for the moment a server
starts: a person signing in right after ``dealflow serve`` does not wait behind it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from dealflow.core import clock, jobs
from dealflow.crm.cleansing.service import run_agent
from dealflow.crm.quality.service import diagnose, record_snapshot
from dealflow.models import Company, Contact, Workspace

RUN = "cleanse.run"
QUIET_HOUR = time(3, tzinfo=UTC)
"""When the daily run starts."""


def next_quiet_time(now: datetime) -> datetime:
    """The first ``QUIET_HOUR`` after ``now``."""
    today = datetime.combine(now.astimezone(UTC).date(), QUIET_HOUR)
    return today if today > now else today + timedelta(days=1)


def queue_daily_runs(session: Session, *, today: date, now: datetime) -> int:
    """Queue the next quiet hour's agent run for each workspace with records; returns the
    jobs queued (none when that run is queued already)."""
    owners = union(select(Contact.workspace_id).distinct(), select(Company.workspace_id).distinct())
    run_at = next_quiet_time(now)
    queued = 0
    for workspace_id in session.scalars(select(owners.subquery().c[0])):
        job_id = jobs.enqueue(
            session,
            RUN,
            workspace_id=workspace_id,
            run_at=run_at,
            idempotency_key=f"{RUN}:{workspace_id}:{run_at.date().isoformat()}",
        )
        queued += job_id is not None
    return queued


def run(session: Session, job: jobs.ClaimedJob) -> None:
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
