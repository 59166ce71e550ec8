"""Pipelines and their stages (read-only)."""

from __future__ import annotations

from typing import Annotated

from dealflow.api.schemas.common import Output, one_of
from dealflow.crm.objects import STAGE_KINDS


class StageOut(Output):
    id: int
    name: str
    position: int
    probability: float
    """The stage's default win probability (0-1), used for weighted totals."""
    kind: Annotated[str, one_of(STAGE_KINDS)]


class PipelineOut(Output):
    id: int
    name: str
    is_default: bool
    stages: list[StageOut]
