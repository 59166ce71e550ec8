"""Workflows: their state, definitions to add, dry runs and a record's run trail."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from dealflow.api.schemas.common import MAX_ID, Input, Output

RecordType = Literal["contacts", "companies", "deals", "tickets"]


class WorkflowOut(Output):
    id: int
    name: str
    object_type: str
    current_version: int
    is_enabled: bool
    enabled_at: datetime | None
    created_at: datetime
    updated_at: datetime


class WorkflowSummaryOut(BaseModel):
    workflow: WorkflowOut
    trigger: str = Field(description="The trigger in words")
    enrolments: dict[str, int] = Field(description="Enrolments per status")
    dead_steps: int


class WorkflowSaved(BaseModel):
    workflow: WorkflowOut
    changed: bool = Field(description="False when the definition equals the current version")


class DryRunIn(Input):
    record_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=50)


class DryRunOut(BaseModel):
    record_id: int
    enrols: bool
    lines: list[str] = Field(description="What each step would do, in words")


class TrailLineOut(BaseModel):
    at: datetime
    workflow: str
    enrolment_id: int
    message: str


Definition = dict[str, Any]
"""A workflow definition document (the YAML/JSON of `dealflow workflows add`)."""
