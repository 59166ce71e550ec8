"""Workflows as the people of a workspace see and run them (web pages and the REST API).

Everyone in the workspace may read the workflows and their definitions; only the runs and
trails of records they may see (``crm.access``); only an admin adds, enables, disables or
retries. The CLI works on the workspace as a whole through ``service`` and ``trail``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dealflow.automate import service
from dealflow.automate.definitions import Definition
from dealflow.automate.dry_run import DryRun, dry_run
from dealflow.automate.enrolments import STEP_JOB, STEP_KEY_PREFIX
from dealflow.automate.repository import (
    definition_of,
    enrolment_counts,
    get_workflow,
    list_workflows,
)
from dealflow.automate.trail import DeadStep, TrailLine, dead_steps, record_trail, retry_dead_steps
from dealflow.core import jobs
from dealflow.crm import access
from dealflow.crm.access import Principal
from dealflow.crm.objects import object_spec
from dealflow.models import Enrolment, Job, Workflow

RECENT_RUNS = 25


@dataclass(frozen=True)
class WorkflowSummary:
    workflow: Workflow
    trigger: str
    """The trigger in words."""
    enrolments: dict[str, int]
    """How many enrolments are in each status."""
    dead_steps: int


@dataclass(frozen=True)
class Run:
    """One enrolment of a record, as the workflow's page lists it."""

    enrolment_id: int
    object_type: str
    record_id: int
    version: int
    status: str
    reason: str
    enrolled_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class WorkflowDetail:
    workflow: Workflow
    definition: Definition
    enrolments: dict[str, int]
    recent_runs: list[Run]
    """The latest enrolments of records the viewer may see, newest first."""
    dead_steps: Sequence[DeadStep]
    """Steps that gave up, on records the viewer may see."""


def workflow_summaries(session: Session, principal: Principal) -> list[WorkflowSummary]:
    """Every workflow of the workspace with its trigger, enrolments and dead steps."""
    dead = _dead_counts(session, principal.workspace_id)
    return [
        WorkflowSummary(
            workflow,
            definition_of(session, workflow).trigger.describe(),
            enrolment_counts(session, workflow.id),
            dead.get(workflow.id, 0),
        )
        for workflow in list_workflows(session, principal.workspace_id)
    ]


def workflow_detail(session: Session, principal: Principal, ref: int | str) -> WorkflowDetail:
    """A workflow's current definition, its enrolments, recent runs and dead steps."""
    workflow = get_workflow(session, principal.workspace_id, ref)
    visible = _visible_enrolments(principal, workflow)
    enrolments = session.scalars(
        visible.order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(RECENT_RUNS)
    ).all()
    runs = [
        Run(
            e.id,
            e.object_type,
            e.record_id,
            e.version,
            e.status,
            e.reason,
            e.enrolled_at,
            e.finished_at,
        )
        for e in enrolments
    ]
    every_dead = dead_steps(session, principal.workspace_id)
    shown = set(
        session.scalars(
            visible.with_only_columns(Enrolment.id).where(
                Enrolment.id.in_([step.enrolment_id for step in every_dead])
            )
        )
        if every_dead
        else ()
    )
    dead = [step for step in every_dead if step.enrolment_id in shown]
    return WorkflowDetail(
        workflow,
        definition_of(session, workflow),
        enrolment_counts(session, workflow.id),
        runs,
        dead,
    )


def add_workflow(
    session: Session, principal: Principal, document: dict[str, Any]
) -> service.SavedWorkflow:
    """Save a definition (admins): a new workflow, or a new version of the one named so."""
    access.ensure_admin(principal, "add or change workflows")
    return service.save_workflow(session, principal.workspace_id, document)


def switch_workflow(
    session: Session, principal: Principal, ref: int | str, *, enabled: bool
) -> Workflow:
    """Enable or disable a workflow (admins)."""
    access.ensure_admin(principal, "enable or disable workflows")
    return service.set_enabled(session, principal.workspace_id, ref, enabled)


def retry_enrolment(session: Session, principal: Principal, enrolment_id: int) -> int:
    """Queue an enrolment's dead steps again (admins); returns how many."""
    access.ensure_admin(principal, "retry workflow steps")
    return retry_dead_steps(
        session, principal.workspace_id, enrolment_id, actor=f"user #{principal.user_id}"
    )


def trail_of(
    session: Session, principal: Principal, object_type: str, record_id: int
) -> list[TrailLine]:
    """What workflows did with a record the principal may see (NotFoundError otherwise)."""
    object_type = object_spec(object_type).name
    access.read(session, principal, object_type, record_id)
    return record_trail(session, principal.workspace_id, object_type, record_id)


def preview(
    session: Session, principal: Principal, ref: int | str, record_ids: list[int]
) -> list[DryRun]:
    """What the workflow would do to records the principal may see, touching nothing."""
    workflow = get_workflow(session, principal.workspace_id, ref)
    for record_id in record_ids:
        access.read(session, principal, workflow.object_type, record_id)
    return dry_run(session, principal.workspace_id, workflow.id, record_ids)


def _visible_enrolments(principal: Principal, workflow: Workflow) -> Select[Any]:
    """The workflow's enrolments of records the principal may see (each enrolment's record
    looked up by its id, so a workflow with few runs costs little in a big workspace)."""
    statement = select(Enrolment).where(
        Enrolment.workspace_id == principal.workspace_id, Enrolment.workflow_id == workflow.id
    )
    model: Any = access.SECURED.get(workflow.object_type)
    if model is None:  # an object type without owners: everyone in the workspace sees it
        return statement
    return statement.join(model, model.id == Enrolment.record_id).where(
        access.visible(principal, workflow.object_type)
    )


def _dead_counts(session: Session, workspace_id: int) -> dict[int, int]:
    """Dead step jobs per workflow."""
    enrolment_id = Job.payload["enrolment_id"].as_integer()
    rows = session.execute(
        select(Enrolment.workflow_id, func.count())
        .join(Job, enrolment_id == Enrolment.id)
        .where(
            Job.workspace_id == workspace_id,
            Job.kind == STEP_JOB,
            Job.status == jobs.DEAD,
            Job.idempotency_key.startswith(STEP_KEY_PREFIX, autoescape=True),
        )
        .group_by(Enrolment.workflow_id)
    ).all()
    return {int(workflow_id): int(count) for workflow_id, count in rows}
