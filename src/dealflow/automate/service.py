"""Workflow operations: save a definition (a new version when it changed), enable, disable,
enrol by hand. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dealflow.automate import actions
from dealflow.automate.definitions import Definition, parse_definition
from dealflow.automate.enrolments import enrol
from dealflow.automate.repository import find_workflow_named, get_workflow, version_of
from dealflow.core import clock
from dealflow.core.errors import InvalidInputError
from dealflow.models import Enrolment, Workflow, WorkflowVersion

assert actions.ACTIONS  # the core actions are registered before any definition is read


@dataclass(frozen=True)
class SavedWorkflow:
    workflow: Workflow
    definition: Definition
    changed: bool
    """False when the document equals the current version (nothing was saved)."""


def save_workflow(session: Session, workspace_id: int, document: dict[str, Any]) -> SavedWorkflow:
    """Create a workflow from a document, or add a version to the one with its name.

    Enrolments already running stay on their version; new ones take the new version. A
    workflow keeps its object type (a new one is a new workflow).
    """
    definition = parse_definition(document, session, workspace_id)
    now = clock.now()
    workflow = find_workflow_named(session, workspace_id, definition.name)
    if workflow is None:
        workflow = Workflow(
            workspace_id=workspace_id,
            name=definition.name,
            object_type=definition.object_type,
            current_version=1,
            is_enabled=False,
            created_at=now,
            updated_at=now,
        )
        session.add(workflow)
        session.flush()
    else:
        if workflow.object_type != definition.object_type:
            raise InvalidInputError(
                f"object: workflow {workflow.name!r} enrols {workflow.object_type}; "
                "give the new one another name"
            )
        if version_of(session, workflow).definition == document:
            return SavedWorkflow(workflow, definition, changed=False)
        workflow.current_version += 1
        workflow.updated_at = now
    session.add(
        WorkflowVersion(
            workflow_id=workflow.id,
            version=workflow.current_version,
            definition=document,
            created_at=now,
        )
    )
    session.flush()
    return SavedWorkflow(workflow, definition, changed=True)


def set_enabled(session: Session, workspace_id: int, ref: int | str, enabled: bool) -> Workflow:
    """Enable (events from now on enrol records) or disable (nothing new enrols; running
    enrolments carry on) a workflow."""
    workflow = get_workflow(session, workspace_id, ref)
    if enabled and not workflow.is_enabled:
        workflow.enabled_at = clock.now()
    workflow.is_enabled = enabled
    workflow.updated_at = clock.now()
    return workflow


def enrol_manually(
    session: Session, workspace_id: int, ref: int | str, record_id: int, actor: str = "a person"
) -> Enrolment | None:
    """Enrol one record by hand (any workflow, enabled or not); None when its rules keep
    the record out."""
    workflow = get_workflow(session, workspace_id, ref)
    return enrol(
        session,
        workflow,
        record_id,
        trigger="manual",
        reason=f"{actor} enrolled it",
        cause=f"manual:{uuid.uuid4().hex}",
    )
