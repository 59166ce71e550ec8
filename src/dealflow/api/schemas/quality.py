"""Data quality: the diagnosis, the score's history, the cleansing agent's changesets."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from dealflow.api.schemas.common import MAX_ID, Input, Output


class ProblemOut(BaseModel):
    code: str
    dimension: str
    object_type: str
    property: str | None
    count: int
    total: int
    impact: float = Field(description="Score points (of 100) lost to this problem")
    message: str
    action: str = Field(description="What to do about it")
    agent_fixes: bool = Field(description="Whether the cleansing agent proposes fixes")
    params: dict[str, Any]
    examples: list[dict[str, Any]]


class DiagnosisOut(BaseModel):
    measured_at: datetime
    score: float
    dimensions: dict[str, float]
    records: dict[str, int]
    problems: list[ProblemOut] = Field(description="Worst first")


class SnapshotOut(Output):
    measured_at: datetime
    score: float
    dimensions: dict[str, float]


class ChangesetOut(Output):
    id: int
    status: str
    origin: str
    created_at: datetime
    applied_at: datetime | None
    undone_at: datetime | None
    score_before: float | None
    summary: dict[str, int]


class ChangeOut(Output):
    id: int
    kind: str
    object_type: str
    record_id: int
    property: str | None
    old_value: Any
    new_value: Any
    confidence: float
    reason: str
    status: str
    details: dict[str, Any]


class ChangesetDetailOut(BaseModel):
    changeset: ChangesetOut
    items: list[ChangeOut]


class RunIn(Input):
    auto_apply: bool = Field(True, description="Apply changes at least 0.95 sure at once")


class ApplyIn(Input):
    only: list[Literal["merge", "normalise"]] = Field(default_factory=list, max_length=2)
    item_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=10_000
    )
