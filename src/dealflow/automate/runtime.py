"""What a worker process runs for workflows: the step job handler, and one periodic call
that matches new outbox events to triggers and fires due schedules."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate.engine import run_step, run_steps
from dealflow.automate.enrolments import STEP_JOB
from dealflow.automate.matcher import run_matcher_once
from dealflow.automate.scheduler import run_schedules
from dealflow.core import clock
from dealflow.core.jobs import BatchJobHandler, JobHandler, Worker


def handlers() -> dict[str, JobHandler]:
    """The job kinds of workflows and their handlers, for a worker to register."""
    return {STEP_JOB: run_step}


def batch_handlers() -> dict[str, BatchJobHandler]:
    """The job kinds of workflows that run a batch of jobs at once, for a worker."""
    return {STEP_JOB: run_steps}


def tick(sessions: sessionmaker[Session]) -> int:
    """Enrol records for new events and due schedules (one transaction per batch); call
    it from a worker's loop. Returns the enrolments made."""
    enrolled = run_matcher_once(sessions)
    with sessions() as session, session.begin():
        enrolled += run_schedules(session, clock.now())
    return enrolled


def run_until_idle(sessions: sessionmaker[Session], rounds: int = 100) -> int:
    """Match events and run due workflow steps until neither finds anything (steps waiting
    on a delay stay queued); returns the steps run. For one-off drives such as the demo."""
    worker = Worker(sessions, handlers(), batch_handlers=batch_handlers())
    ran = 0
    for _ in range(rounds):
        enrolled = tick(sessions)
        done = worker.run_pending(limit=1000)
        ran += done
        if not enrolled and not done:
            break
    return ran
