"""What a jobs worker runs: the handlers of every job kind, and the periodic steps that turn
new outbox events into jobs.

The jobs layer knows no job kinds; this module composes the domains' own, so ``dealflow
serve`` (a worker thread beside the web app) and ``dealflow worker`` run the same work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate import runtime as workflows
from dealflow.core.jobs import BatchJobHandler, JobHandler, OncePerDay, PeriodicStep, Worker
from dealflow.crm import webhooks
from dealflow.crm.cleansing import tasks as cleansing_tasks
from dealflow.crm.quality import tasks as quality_tasks
from dealflow.personalize import actions as personalize_actions
from dealflow.predict import rescoring
from dealflow.predict.forecast import tasks as forecast_tasks

assert personalize_actions.DRAFT_EMAIL  # domains' workflow actions are registered


def job_handlers() -> Mapping[str, JobHandler]:
    """Every job kind a worker can run, with its handler."""
    return {
        **webhooks.JOB_HANDLERS,
        **rescoring.JOB_HANDLERS,
        **forecast_tasks.JOB_HANDLERS,
        **cleansing_tasks.JOB_HANDLERS,
        **quality_tasks.JOB_HANDLERS,
        **workflows.handlers(),
    }


def batch_handlers() -> Mapping[str, BatchJobHandler]:
    """The job kinds a worker runs a batch of at once, with their batch handlers."""
    return {**workflows.batch_handlers()}


def periodic_steps() -> Sequence[PeriodicStep]:
    """What each pass of a worker's loop does before running due jobs."""
    return (
        webhooks.run_dispatcher_once,
        rescoring.queue_event_rescoring,
        OncePerDay(rescoring.queue_daily_rescoring),
        OncePerDay(forecast_tasks.queue_daily_freeze),
        OncePerDay(cleansing_tasks.queue_daily_runs),
        workflows.tick,
    )


def worker(sessions: sessionmaker[Session]) -> Worker:
    """A jobs worker that runs everything Dealflow queues."""
    return Worker(
        sessions, job_handlers(), periodic=periodic_steps(), batch_handlers=batch_handlers()
    )
