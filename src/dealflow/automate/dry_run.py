"""Dry run: what a workflow would do to chosen records, step by step, touching nothing.

Actions preview instead of running (no writes, no calls out); branches are decided on the
records as they are now, and delays are described, not waited for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from dealflow.automate.action_interface import CONTINUE, STOP
from dealflow.automate.actions import ACTIONS, StepContext
from dealflow.automate.definitions import Definition
from dealflow.automate.enrolments import step_job_key
from dealflow.automate.filters import matches
from dealflow.automate.records import RecordSubject
from dealflow.automate.repository import definition_of, get_workflow
from dealflow.core import clock


@dataclass
class DryRun:
    """What would happen to one record: whether it enrols, and each step in words."""

    record_id: int
    enrols: bool
    lines: list[str] = field(default_factory=list)


def dry_run(
    session: Session, workspace_id: int, ref: int | str, record_ids: list[int]
) -> list[DryRun]:
    """Run the workflow's current version on ``record_ids`` in preview: nothing is written."""
    workflow = get_workflow(session, workspace_id, ref)
    definition = definition_of(session, workflow)
    results = []
    with session.no_autoflush:
        for record_id in record_ids:
            subject = RecordSubject(session, workspace_id, workflow.object_type, record_id)
            results.append(_preview(session, workflow.id, workflow.name, definition, subject))
    return results


def _preview(
    session: Session, workflow_id: int, name: str, definition: Definition, subject: RecordSubject
) -> DryRun:
    now = clock.now()
    result = DryRun(subject.record_id, enrols=False)
    if definition.enrol_when is not None and not matches(definition.enrol_when, subject, now):
        result.lines.append("would not enrol: it does not meet enrol_when")
        return result
    if definition.goal is not None and matches(definition.goal, subject, now):
        result.lines.append("would not enrol: it already meets the goal")
        return result
    result.enrols = True
    path: str | None = "0"
    while path is not None:
        step = definition.step_at(path)
        context = StepContext(
            session=session,
            workspace_id=subject.workspace_id,
            workflow_id=workflow_id,
            workflow_name=name,
            enrolment_id=0,
            subject=subject,
            now=now,
            idempotency_key=step_job_key(0, path),
        )
        outcome = ACTIONS[step.action].preview(step.params, context)
        result.lines.append(f"{step.label} ({step.action}): {outcome.message}")
        if outcome.go == STOP:
            return result
        if outcome.go == CONTINUE:
            path = definition.next_path(path)
        else:
            path = definition.branch_path(path, outcome.go)
    result.lines.append(f"would complete {name!r}")
    return result
