"""Every query of workflows, versions and enrolments, always filtered by workspace."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.automate.definitions import Definition, parse_definition
from dealflow.core.errors import NotFoundError
from dealflow.models import Enrolment, Workflow, WorkflowVersion

DEFINITIONS = "dealflow_workflow_definitions"
"""Session info key: the definitions this session read, by (workflow id, version)."""


def get_workflow(session: Session, workspace_id: int, ref: int | str) -> Workflow:
    """A workflow by id or name; NotFoundError when the workspace has none."""
    statement = select(Workflow).where(Workflow.workspace_id == workspace_id)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        statement = statement.where(Workflow.id == int(ref))
    else:
        statement = statement.where(Workflow.name == ref)
    workflow = session.scalars(statement).one_or_none()
    if workflow is None:
        raise NotFoundError(f"workflow {ref!r} not found in this workspace")
    return workflow


def find_workflow_named(session: Session, workspace_id: int, name: str) -> Workflow | None:
    return session.scalars(
        select(Workflow).where(Workflow.workspace_id == workspace_id, Workflow.name == name)
    ).one_or_none()


def list_workflows(session: Session, workspace_id: int) -> Sequence[Workflow]:
    return session.scalars(
        select(Workflow).where(Workflow.workspace_id == workspace_id).order_by(Workflow.id)
    ).all()


def enabled_workflows(session: Session, workspace_ids: set[int]) -> Sequence[Workflow]:
    """The enabled workflows of some workspaces (what the trigger matcher considers)."""
    return session.scalars(
        select(Workflow)
        .where(Workflow.workspace_id.in_(workspace_ids), Workflow.is_enabled.is_(True))
        .order_by(Workflow.id)
    ).all()


def version_of(session: Session, workflow: Workflow, version: int | None = None) -> WorkflowVersion:
    """A saved version of ``workflow`` (its current one by default)."""
    number = version or workflow.current_version
    row = session.scalars(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id, WorkflowVersion.version == number
        )
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"workflow {workflow.name!r} has no version {number}")
    return row


def definition_of(session: Session, workflow: Workflow, version: int | None = None) -> Definition:
    """The parsed definition of a version. Versions never change, so parsing is cached, and
    a session reads each version once (a worker's batch of steps shares its session)."""
    key = (workflow.id, version or workflow.current_version)
    known: dict[tuple[int, int], Definition] = session.info.setdefault(DEFINITIONS, {})
    if key not in known:
        document = version_of(session, workflow, version).definition
        known[key] = _parsed(json.dumps(document, sort_keys=True))
    return known[key]


@lru_cache(maxsize=512)
def _parsed(document: str) -> Definition:
    return parse_definition(json.loads(document))


def active_enrolment(session: Session, workflow_id: int, record_id: int) -> Enrolment | None:
    return session.scalars(
        select(Enrolment)
        .where(
            Enrolment.workflow_id == workflow_id,
            Enrolment.record_id == record_id,
            Enrolment.status == "active",
        )
        .limit(1)
    ).one_or_none()


def enrolments_of_record(
    session: Session, workspace_id: int, object_type: str, record_id: int
) -> Sequence[Enrolment]:
    return session.scalars(
        select(Enrolment)
        .where(
            Enrolment.workspace_id == workspace_id,
            Enrolment.object_type == object_type,
            Enrolment.record_id == record_id,
        )
        .order_by(Enrolment.id)
    ).all()


def enrolment_counts(session: Session, workflow_id: int) -> dict[str, int]:
    """How many enrolments of a workflow are in each status."""
    rows = session.execute(
        select(Enrolment.status, func.count())
        .where(Enrolment.workflow_id == workflow_id)
        .group_by(Enrolment.status)
    ).all()
    return {str(row[0]): int(row[1]) for row in rows}
