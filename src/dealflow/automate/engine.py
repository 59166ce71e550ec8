"""The engine: runs one step of one enrolment as a job, and moves the enrolment on.

Each step is a job from the jobs table whose idempotency key is (enrolment, step). The
step's writes, its row in ``workflow_steps``, its trail line and the job of the next step
commit together with the job's completion, so a crash or retry never repeats them; a step
that keeps failing is retried with backoff and ends dead (visible, retryable by a person).
Before each step the goal is checked: a record that reached it leaves the workflow.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.actions import ACTIONS, StepContext
from dealflow.automate.actions.base import CONTINUE, STOP
from dealflow.automate.enrolments import (
    ACTIVE,
    COMPLETED,
    GOAL_MET,
    RECORD_GONE,
    STOPPED,
    finish,
    queue_step,
    step_job_key,
    write_trail,
)
from dealflow.automate.filters import matches
from dealflow.automate.records import RecordSubject
from dealflow.automate.repository import definition_of
from dealflow.core import clock
from dealflow.core.errors import NotFoundError
from dealflow.models import Enrolment, EnrolmentStep, Job, Workflow


def run_step(session: Session, job: Job) -> None:
    """Job handler of ``workflows.step``: run the step at ``payload.path`` of an enrolment."""
    enrolment = session.get(Enrolment, job.payload["enrolment_id"])
    path = str(job.payload["path"])
    if enrolment is None or enrolment.status != ACTIVE or _done(session, enrolment.id, path):
        return
    now = clock.now()
    workflow = session.get_one(Workflow, enrolment.workflow_id)
    definition = definition_of(session, workflow, enrolment.version)
    try:
        subject = RecordSubject(
            session, enrolment.workspace_id, enrolment.object_type, enrolment.record_id
        )
    except NotFoundError:
        finish(session, enrolment, RECORD_GONE, "left the workflow: the record was deleted", now)
        return
    if definition.goal is not None and matches(definition.goal, subject, now):
        finish(session, enrolment, GOAL_MET, "left the workflow: it reached the goal", now)
        return
    step = definition.step_at(path)
    context = StepContext(
        session=session,
        workspace_id=enrolment.workspace_id,
        workflow_id=workflow.id,
        workflow_name=workflow.name,
        enrolment_id=enrolment.id,
        subject=subject,
        now=now,
        idempotency_key=step_job_key(enrolment.id, path),
    )
    outcome = ACTIONS[step.action].run(step.params, context)
    session.add(
        EnrolmentStep(
            enrolment_id=enrolment.id,
            path=path,
            action=step.action,
            result=outcome.result,
            finished_at=now,
        )
    )
    write_trail(session, enrolment, f"{step.label} ({step.action}): {outcome.message}", now)
    if outcome.go == STOP:
        finish(session, enrolment, STOPPED, "left the workflow: a stop step ended it", now)
        return
    if outcome.go == CONTINUE:
        following = definition.next_path(path)
    else:
        following = definition.branch_path(path, outcome.go)
    if following is None:
        finish(session, enrolment, COMPLETED, f"completed {workflow.name!r}", now)
        return
    queue_step(session, enrolment, following, outcome.wait_until or now)


def _done(session: Session, enrolment_id: int, path: str) -> bool:
    return (
        session.scalar(
            select(EnrolmentStep.id).where(
                EnrolmentStep.enrolment_id == enrolment_id, EnrolmentStep.path == path
            )
        )
        is not None
    )
