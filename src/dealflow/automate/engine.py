"""The engine: runs the steps of an enrolment as jobs, and moves the enrolment on.

A job runs one step and then the steps after it that only write to the database and need
no wait; a step that calls out (a webhook) or follows a delay gets its own job, whose
idempotency key is (enrolment, step) and is sent along with the call. The steps' writes,
their rows in ``workflow_steps``, their trail lines and the next job commit together with
the job's completion, so a crash or retry never repeats them; a step that keeps failing is
retried with backoff and ends dead (visible, retryable by a person). Before each step the
goal is checked: a record that reached it leaves the workflow.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import CONTINUE, STOP
from dealflow.automate.actions import ACTIONS, Outcome, StepContext
from dealflow.automate.definitions import Definition, Step
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
from dealflow.core import clock, jobs
from dealflow.core.errors import NotFoundError
from dealflow.models import Enrolment, EnrolmentStep, Job, Workflow


def run_step(session: Session, job: Job) -> None:
    """Job handler of ``workflows.step``: run the step at ``payload.path`` of an enrolment,
    then the steps after it that only write to the database and need no wait (in the same
    transaction: one job per run of local steps, not one per step)."""
    enrolment = session.get(Enrolment, job.payload["enrolment_id"])
    start = str(job.payload["path"])
    if enrolment is None or enrolment.status != ACTIVE or _done(session, enrolment.id, start):
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
    path: str | None = start
    first = True
    while path is not None:
        step = definition.step_at(path)
        action = ACTIONS[step.action]
        if not first and action.calls_out:
            queue_step(session, enrolment, path, now)
            return
        if definition.goal is not None and matches(definition.goal, subject, now):
            finish(session, enrolment, GOAL_MET, "left the workflow: it reached the goal", now)
            return
        outcome = _run(session, workflow, enrolment, subject, step, now)
        following = _following(definition, path, outcome.go)
        if outcome.go == STOP:
            finish(session, enrolment, STOPPED, "left the workflow: a stop step ended it", now)
            return
        if following is None:
            finish(session, enrolment, COMPLETED, f"completed {workflow.name!r}", now)
            return
        if outcome.wait_until is not None or action.calls_out:
            queue_step(session, enrolment, following, outcome.wait_until or now)
            return
        path, first = following, False
        subject.refresh()  # the next step reads what this one wrote


def _run(
    session: Session,
    workflow: Workflow,
    enrolment: Enrolment,
    subject: RecordSubject,
    step: Step,
    now: datetime,
) -> Outcome:
    context = StepContext(
        session=session,
        workspace_id=enrolment.workspace_id,
        workflow_id=workflow.id,
        workflow_name=workflow.name,
        enrolment_id=enrolment.id,
        subject=subject,
        now=now,
        idempotency_key=step_job_key(enrolment.id, step.path),
    )
    action = ACTIONS[step.action]
    if action.calls_out:
        jobs.mark_external_effect(session)  # commit right after it, even when it fails
    outcome = action.run(step.params, context)
    session.add(
        EnrolmentStep(
            enrolment_id=enrolment.id,
            path=step.path,
            action=step.action,
            result=outcome.result,
            finished_at=now,
        )
    )
    message = f"{step.label} ({step.action}): {outcome.message}"
    write_trail(session, enrolment, message, now, outcome.result or None)
    return outcome


def _following(definition: Definition, path: str, go: str) -> str | None:
    if go == STOP:
        return None
    if go == CONTINUE:
        return definition.next_path(path)
    return definition.branch_path(path, go)


def _done(session: Session, enrolment_id: int, path: str) -> bool:
    return (
        session.scalar(
            select(EnrolmentStep.id).where(
                EnrolmentStep.enrolment_id == enrolment_id, EnrolmentStep.path == path
            )
        )
        is not None
    )
