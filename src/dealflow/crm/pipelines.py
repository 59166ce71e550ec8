"""Reading a workspace's pipelines with their stages, in order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm.repository import WorkspaceRepository
from dealflow.models import Pipeline, Stage


@dataclass(frozen=True)
class PipelineWithStages:
    pipeline: Pipeline
    stages: list[Stage]


def list_pipelines(session: Session, workspace_id: int) -> list[PipelineWithStages]:
    """Every pipeline of the workspace (the default first) with its ordered stages."""
    pipelines = session.scalars(
        select(Pipeline)
        .where(Pipeline.workspace_id == workspace_id)
        .order_by(Pipeline.is_default.desc(), Pipeline.name, Pipeline.id)
    ).all()
    stages: dict[int, list[Stage]] = defaultdict(list)
    for stage in session.scalars(
        select(Stage)
        .where(Stage.workspace_id == workspace_id)
        .order_by(Stage.pipeline_id, Stage.position)
    ):
        stages[stage.pipeline_id].append(stage)
    return [PipelineWithStages(pipeline, stages[pipeline.id]) for pipeline in pipelines]


def get_pipeline(session: Session, workspace_id: int, pipeline_id: int) -> PipelineWithStages:
    """One pipeline with its stages, or NotFoundError."""
    pipeline = WorkspaceRepository(session, workspace_id).get(Pipeline, pipeline_id)
    stages = session.scalars(
        select(Stage)
        .where(Stage.workspace_id == workspace_id, Stage.pipeline_id == pipeline.id)
        .order_by(Stage.position)
    ).all()
    return PipelineWithStages(pipeline, list(stages))
