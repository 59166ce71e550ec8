"""Pipelines and their stages (read-only; admins change them in Settings)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.pipelines import PipelineOut, StageOut
from dealflow.crm.pipelines import PipelineWithStages, get_pipeline, list_pipelines

router = APIRouter(prefix="/pipelines", tags=["pipelines"], responses=ERROR_RESPONSES)
PipelineId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _out(found: PipelineWithStages) -> PipelineOut:
    return PipelineOut(
        id=found.pipeline.id,
        name=found.pipeline.name,
        is_default=found.pipeline.is_default,
        stages=[StageOut.model_validate(stage) for stage in found.stages],
    )


@router.get("")
def pipelines(session: SessionDep, principal: PrincipalDep) -> list[PipelineOut]:
    """Every pipeline of the workspace, the default first, each with its stages in order."""
    return [_out(found) for found in list_pipelines(session, principal.workspace_id)]


@router.get("/{pipeline_id}")
def pipeline(session: SessionDep, principal: PrincipalDep, pipeline_id: PipelineId) -> PipelineOut:
    return _out(get_pipeline(session, principal.workspace_id, pipeline_id))
