"""Workflows: list, add a definition (admins), enable and disable (admins), dry-run on
records, and the run trail of a record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.workflows import (
    DryRunIn,
    DryRunOut,
    RecordType,
    TrailLineOut,
    WorkflowOut,
    WorkflowSaved,
    WorkflowSummaryOut,
)
from dealflow.automate import workspace_workflows as workflows

router = APIRouter(prefix="/workflows", tags=["workflows"], responses=ERROR_RESPONSES)
WorkflowId = Annotated[int, Path(ge=1, le=MAX_ID)]
EXAMPLE = {
    "name": "Follow up new leads",
    "object": "contacts",
    "trigger": {"type": "record_created"},
    "enrol_when": {"property": "lifecycle_stage", "op": "in", "value": ["lead", "mql"]},
    "steps": [{"action": {"type": "create_task", "subject": "Call {{ first_name }}"}}],
}


@router.get("")
def list_workflows(session: SessionDep, principal: PrincipalDep) -> list[WorkflowSummaryOut]:
    """The workspace's workflows with their trigger, enrolments per status and dead steps."""
    return [
        WorkflowSummaryOut(
            workflow=WorkflowOut.model_validate(summary.workflow),
            trigger=summary.trigger,
            enrolments=summary.enrolments,
            dead_steps=summary.dead_steps,
        )
        for summary in workflows.workflow_summaries(session, principal)
    ]


@router.post("", status_code=201)
def add_workflow(
    session: SessionDep,
    principal: PrincipalDep,
    definition: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
) -> WorkflowSaved:
    """Save a definition (the document `dealflow workflows add` reads; admins): a new
    workflow, disabled until enabled, or a new version of the workflow of that name."""
    saved = workflows.add_workflow(session, principal, definition)
    return WorkflowSaved(workflow=WorkflowOut.model_validate(saved.workflow), changed=saved.changed)


@router.post("/{workflow_id}/enable")
def enable_workflow(
    session: SessionDep, principal: PrincipalDep, workflow_id: WorkflowId
) -> WorkflowOut:
    """From now on, its trigger enrols records (admins)."""
    workflow = workflows.switch_workflow(session, principal, workflow_id, enabled=True)
    return WorkflowOut.model_validate(workflow)


@router.post("/{workflow_id}/disable")
def disable_workflow(
    session: SessionDep, principal: PrincipalDep, workflow_id: WorkflowId
) -> WorkflowOut:
    """Nothing new enrols; running enrolments carry on (admins)."""
    workflow = workflows.switch_workflow(session, principal, workflow_id, enabled=False)
    return WorkflowOut.model_validate(workflow)


@router.post("/{workflow_id}/dry-run")
def dry_run_workflow(
    session: SessionDep, principal: PrincipalDep, workflow_id: WorkflowId, body: DryRunIn
) -> list[DryRunOut]:
    """What the workflow would do to records you can see, step by step; nothing is written."""
    results = workflows.preview(session, principal, workflow_id, body.record_ids)
    session.rollback()  # a preview writes nothing; make sure of it
    return [DryRunOut(record_id=r.record_id, enrols=r.enrols, lines=r.lines) for r in results]


@router.get("/trail")
def record_trail(
    session: SessionDep,
    principal: PrincipalDep,
    object_type: Annotated[RecordType, Query(alias="object")],
    record_id: Annotated[int, Query(ge=1, le=MAX_ID)],
) -> list[TrailLineOut]:
    """What workflows did with a record and why, oldest first, then what is pending or dead."""
    return [
        TrailLineOut(
            at=line.at, workflow=line.workflow, enrolment_id=line.enrolment_id, message=line.message
        )
        for line in workflows.trail_of(session, principal, object_type, record_id)
    ]
