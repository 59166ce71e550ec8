"""Workspaces and their pipelines."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm.objects import STAGE_KINDS
from dealflow.models import Pipeline, Stage, Workspace

DEFAULT_STAGES: tuple[tuple[str, float, str], ...] = (
    ("Prospecting", 0.10, "open"),
    ("Qualified", 0.20, "open"),
    ("Demo", 0.40, "open"),
    ("Proposal", 0.60, "open"),
    ("Negotiation", 0.80, "open"),
    ("Closed won", 1.0, "won"),
    ("Closed lost", 0.0, "lost"),
)


def get_workspace(session: Session, slug: str) -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is None:
        raise NotFoundError(f"workspace {slug!r} does not exist (create it with `dealflow init`)")
    return workspace


def ensure_workspace(session: Session, slug: str, name: str | None = None) -> Workspace:
    """The workspace called ``slug``, created with the default pipeline if it is new."""
    workspace = session.scalar(select(Workspace).where(Workspace.slug == slug))
    if workspace is not None:
        return workspace
    workspace = Workspace(slug=slug, name=name or slug, created_at=clock.now())
    session.add(workspace)
    session.flush()
    create_pipeline(session, workspace.id, "Sales", DEFAULT_STAGES, is_default=True)
    return workspace


def create_pipeline(
    session: Session,
    workspace_id: int,
    name: str,
    stages: Sequence[tuple[str, float, str]],
    *,
    is_default: bool = False,
) -> Pipeline:
    """A pipeline with ordered ``(name, probability, kind)`` stages."""
    if not stages:
        raise InvalidInputError(f"pipeline {name!r} needs at least one stage")
    for stage_name, probability, kind in stages:
        if kind not in STAGE_KINDS:
            raise InvalidInputError(f"stage {stage_name!r}: kind must be one of {STAGE_KINDS}")
        if not 0.0 <= probability <= 1.0:
            raise InvalidInputError(f"stage {stage_name!r}: probability must be within 0..1")
    pipeline = Pipeline(
        workspace_id=workspace_id, name=name, is_default=is_default, created_at=clock.now()
    )
    session.add(pipeline)
    session.flush()
    session.add_all(
        Stage(
            workspace_id=workspace_id,
            pipeline_id=pipeline.id,
            name=stage_name,
            position=position,
            probability=probability,
            kind=kind,
        )
        for position, (stage_name, probability, kind) in enumerate(stages)
    )
    session.flush()
    return pipeline


def default_pipeline(session: Session, workspace_id: int) -> Pipeline:
    pipeline = session.scalar(
        select(Pipeline)
        .where(Pipeline.workspace_id == workspace_id)
        .order_by(Pipeline.is_default.desc(), Pipeline.id)
        .limit(1)
    )
    if pipeline is None:
        raise NotFoundError("this workspace has no pipeline yet")
    return pipeline


def list_pipelines(session: Session, workspace_id: int) -> Sequence[Pipeline]:
    """The workspace's pipelines, the default first."""
    return session.scalars(
        select(Pipeline)
        .where(Pipeline.workspace_id == workspace_id)
        .order_by(Pipeline.is_default.desc(), Pipeline.name)
    ).all()


def stages_of(session: Session, pipeline_id: int) -> Sequence[Stage]:
    return session.scalars(
        select(Stage).where(Stage.pipeline_id == pipeline_id).order_by(Stage.position)
    ).all()
