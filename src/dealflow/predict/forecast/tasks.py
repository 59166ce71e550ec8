"""Background work of the forecast: once a day, freeze each workspace's quarter forecast at its
checkpoint and grade the frozen forecasts of periods that have ended (accuracy tracking)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock, jobs
from dealflow.core.errors import InvalidInputError
from dealflow.models import Deal
from dealflow.predict.forecast.snapshots import freeze_forecast, grade_closed_periods

FREEZE = "forecast.freeze"
log = logging.getLogger(__name__)


def queue_daily_freeze(session: Session, *, today: date, now: datetime) -> int:
    """Queue today's freeze for every workspace with deals (once a day, however many workers
    ask); returns the jobs queued now."""
    queued = 0
    for workspace_id in session.scalars(select(Deal.workspace_id).distinct()):
        job_id = jobs.enqueue(
            session,
            FREEZE,
            workspace_id=workspace_id,
            run_at=now,
            idempotency_key=f"{FREEZE}:{workspace_id}:{today.isoformat()}",
        )
        queued += job_id is not None
    return queued


def freeze(session: Session, job: jobs.ClaimedJob) -> None:
    """The job: freeze the current quarter's forecast and grade ended periods."""
    if job.workspace_id is None:
        return
    now = clock.now()
    try:
        freeze_forecast(session, job.workspace_id, now=now)
    except InvalidInputError as problem:  # no history yet: nothing to freeze, say why
        log.info("no forecast to freeze in workspace %s: %s", job.workspace_id, problem.message)
    grade_closed_periods(session, job.workspace_id, now=now)


JOB_HANDLERS: dict[str, jobs.JobHandler] = {FREEZE: freeze}
