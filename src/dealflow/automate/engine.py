"""The engine: runs the steps of enrolments as jobs, and moves the enrolments on.

A job runs one step and then the steps after it that only write to the database and need
no wait; a step that calls out (a webhook) or follows a delay gets its own job, whose
idempotency key is (enrolment, step) and is sent along with the call. The steps' writes,
their rows in ``workflow_steps``, their trail lines and the next job commit together with
the job's completion, so a crash or retry never repeats them; a step that keeps failing is
retried with backoff and ends dead (visible, retryable by a person). Before each step the
goal is checked: a record that reached it leaves the workflow.

A worker hands the engine a batch of step jobs at once: the steps at the same place of the
same workflow version run together through their action's ``run_many`` (one UPDATE for
many records, concurrent webhook calls), and the batch's rows are inserted together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import CONTINUE, STOP
from dealflow.automate.actions import ACTIONS, StepContext
from dealflow.automate.definitions import Definition, Step
from dealflow.automate.enrolments import (
    ACTIVE,
    COMPLETED,
    GOAL_MET,
    RECORD_GONE,
    REF_COLUMNS,
    STOPPED,
    EnrolmentRef,
    StepWrites,
    step_job_key,
)
from dealflow.automate.filters import matches
from dealflow.automate.records import RecordSubject
from dealflow.automate.repository import definition_of
from dealflow.core import clock, jobs
from dealflow.core.dialect import dialect_of
from dealflow.models import Enrolment, EnrolmentStep, Workflow


class SameEnrolmentTwiceError(Exception):
    """A batch held two jobs of one enrolment: they must run one after the other."""


@dataclass
class _Run:
    """One job's way through its enrolment's steps within a batch."""

    job: jobs.ClaimedJob
    enrolment: EnrolmentRef
    workflow: Workflow
    definition: Definition
    subject: RecordSubject
    path: str
    first: bool = True


def run_step(session: Session, job: jobs.ClaimedJob) -> None:
    """Job handler of ``workflows.step``: run the step at ``payload.path`` of an enrolment,
    then the steps after it that only write to the database and need no wait (in the same
    transaction: one job per run of local steps, not one per step)."""
    failed = run_steps(session, [job])
    if failed:
        raise failed[job.id]


def run_steps(session: Session, step_jobs: Sequence[jobs.ClaimedJob]) -> dict[int, Exception]:
    """Batch job handler of ``workflows.step``: ``run_step`` for many jobs, the steps at
    the same place of a workflow version together. Returns the calls out that failed, by
    job (nothing of those jobs was written; they retry). Any other failure raises: the
    worker then runs the jobs one by one."""
    now = clock.now()
    writes = StepWrites()
    runs = _runs(session, step_jobs, writes, now)
    failed: dict[int, Exception] = {}
    while runs:
        groups: dict[tuple[int, int, str], list[_Run]] = defaultdict(list)
        for run in runs:
            groups[(run.workflow.id, run.enrolment.version, run.path)].append(run)
        runs = [
            following
            for group in groups.values()
            for following in _advance(session, group, writes, failed, now)
        ]
    writes.flush(session)
    return failed


def _runs(
    session: Session, step_jobs: Sequence[jobs.ClaimedJob], writes: StepWrites, now: datetime
) -> list[_Run]:
    """The jobs whose step is still to run, with their enrolments, workflows and records
    (read with one query each); enrolments whose record is gone end here."""
    wanted = {
        job.id: (int(job.payload["enrolment_id"]), str(job.payload["path"])) for job in step_jobs
    }
    enrolment_ids = {enrolment_id for enrolment_id, _ in wanted.values()}
    dialect = dialect_of(session)
    if len(enrolment_ids) < len(wanted):
        raise SameEnrolmentTwiceError(f"jobs {sorted(wanted)} share an enrolment")
    enrolments = {
        row.id: EnrolmentRef(*row)
        for row in session.execute(
            select(*REF_COLUMNS).where(
                dialect.in_batch(Enrolment.id, list(enrolment_ids)), Enrolment.status == ACTIVE
            )
        )
    }
    done = set(
        session.execute(
            select(EnrolmentStep.enrolment_id, EnrolmentStep.path).where(
                dialect.in_batch(EnrolmentStep.enrolment_id, list(enrolments))
            )
        )
    )
    workflow_ids = {e.workflow_id for e in enrolments.values()}
    workflows = {
        w.id: w for w in session.scalars(select(Workflow).where(Workflow.id.in_(workflow_ids)))
    }
    subjects = _subjects(session, list(enrolments.values()))
    runs = []
    for job in step_jobs:
        enrolment_id, path = wanted[job.id]
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None or (enrolment_id, path) in done:
            continue
        subject = subjects.get(enrolment_id)
        if subject is None:
            writes.finish(enrolment, RECORD_GONE, "left the workflow: the record was deleted", now)
            continue
        workflow = workflows[enrolment.workflow_id]
        definition = definition_of(session, workflow, enrolment.version)
        runs.append(_Run(job, enrolment, workflow, definition, subject, path))
    return runs


def _advance(
    session: Session,
    group: list[_Run],
    writes: StepWrites,
    failed: dict[int, Exception],
    now: datetime,
) -> list[_Run]:
    """Run one step (the same for the whole group); returns the runs that go on to their
    next step in this batch."""
    step = group[0].definition.step_at(group[0].path)
    action = ACTIONS[step.action]
    if group[0].definition.goal is not None or action.reads_record(step.params):
        RecordSubject.read_all([run.subject for run in group])
    ready = []
    for run in group:
        if not run.first and action.calls_out:
            writes.queue(run.enrolment, run.path, now)
        elif run.definition.goal is not None and matches(run.definition.goal, run.subject, now):
            writes.finish(run.enrolment, GOAL_MET, "left the workflow: it reached the goal", now)
        else:
            ready.append(run)
    if not ready:
        return []
    if action.calls_out:
        jobs.mark_external_effect(session)  # commit right after it, even when it fails
    contexts = [_context(session, run, step, now) for run in ready]
    going_on = []
    for run, outcome in zip(ready, action.run_many(step.params, contexts), strict=True):
        if isinstance(outcome, Exception):
            if not (run.first and action.calls_out):
                raise outcome  # this job wrote already: only a rollback undoes it
            failed[run.job.id] = outcome
            continue
        enrolment = run.enrolment
        writes.step_done(enrolment, step.path, step.action, outcome.result, now)
        message = f"{step.label} ({step.action}): {outcome.message}"
        writes.note(enrolment, message, now, outcome.result or None)
        following = _following(run.definition, run.path, outcome.go)
        if outcome.go == STOP:
            writes.finish(enrolment, STOPPED, "left the workflow: a stop step ended it", now)
        elif following is None:
            writes.finish(enrolment, COMPLETED, f"completed {run.workflow.name!r}", now)
        elif outcome.wait_until is not None or action.calls_out:
            writes.queue(enrolment, following, outcome.wait_until or now)
        else:
            run.path, run.first = following, False
            going_on.append(run)
    subjects = [run.subject for run in going_on]  # the next step reads them
    if action.keeps_subjects_current:
        RecordSubject.forget_linked(subjects)
    else:
        RecordSubject.refresh_all(subjects)
    return going_on


def _context(session: Session, run: _Run, step: Step, now: datetime) -> StepContext:
    return StepContext(
        session=session,
        workspace_id=run.enrolment.workspace_id,
        workflow_id=run.workflow.id,
        workflow_name=run.workflow.name,
        enrolment_id=run.enrolment.id,
        subject=run.subject,
        now=now,
        idempotency_key=step_job_key(run.enrolment.id, step.path),
    )


def _subjects(session: Session, enrolments: list[EnrolmentRef]) -> dict[int, RecordSubject]:
    """The enrolments' records by enrolment id, one query per workspace and object type
    (their ids only: a step that reads records reads them, ``RecordSubject.read_all``)."""
    grouped: dict[tuple[int, str], list[EnrolmentRef]] = defaultdict(list)
    for enrolment in enrolments:
        grouped[(enrolment.workspace_id, enrolment.object_type)].append(enrolment)
    found: dict[int, RecordSubject] = {}
    for (workspace_id, object_type), group in grouped.items():
        record_ids = sorted({e.record_id for e in group})
        subjects = RecordSubject.many(session, workspace_id, object_type, record_ids, read=False)
        found.update({e.id: subjects[e.record_id] for e in group if e.record_id in subjects})
    return found


def _following(definition: Definition, path: str, go: str) -> str | None:
    if go == STOP:
        return None
    if go == CONTINUE:
        return definition.next_path(path)
    return definition.branch_path(path, go)
