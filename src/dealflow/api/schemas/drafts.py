"""Drafts in the review queue: what was drafted from which facts, the checks, the review."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from dealflow.api.schemas.common import MAX_ID, Input, Output

DraftStatus = Literal["pending", "approved", "rejected"]


class FactOut(BaseModel):
    key: str = Field(description="What the fact is about, like company.name")
    value: str
    object: str = Field(description="The source record's type")
    record_id: int | None
    field: str = Field(description="The source record's field")
    detail: str | None = None


class ClaimOut(BaseModel):
    sentence: str
    text: str
    kind: str = Field(description="number, date, name, quote or about_recipient")
    supported: bool


class ToneViolationOut(BaseModel):
    rule: str
    message: str


class DraftOut(Output):
    id: int
    contact_id: int
    deal_id: int | None
    segment_id: int | None
    owner_id: int | None
    generator: str
    model: str | None
    language: str
    subject: str
    body: str
    status: DraftStatus
    source: str
    edited: bool
    edit_diff: str | None
    reject_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    cost: float
    created_at: datetime
    reviewed_by: int | None
    reviewed_at: datetime | None
    facts: list[FactOut]
    tone_report: list[ToneViolationOut]
    grounding_report: list[ClaimOut]


class DraftIn(Input):
    contact_id: int = Field(ge=1, le=MAX_ID)
    deal_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    segment: str | None = Field(default=None, max_length=200, description="Segment name or id")
    generator: Literal["offline", "llm"] = "offline"


class EditIn(Input):
    subject: str | None = Field(default=None, max_length=500, description="Default: kept")
    body: str = Field(min_length=1, max_length=20_000)


class RejectIn(Input):
    reason: str = Field(min_length=1, max_length=2_000)


class RatesOut(BaseModel):
    drafts: int
    pending: int
    reviewed: int
    accepted_as_is: float | None
    edited_then_approved: float | None
    rejected: float | None
    reject_reasons: dict[str, int]


class ReportOut(BaseModel):
    generator: dict[str, RatesOut]
    template: dict[str, RatesOut]
    rep: dict[str, RatesOut]


def report_out(groups: dict[str, dict[str, Any]]) -> ReportOut:
    """The review report's groups as the API shows them."""
    return ReportOut.model_validate(
        {
            group: {key: rates.as_dict() for key, rates in rows.items()}
            for group, rows in groups.items()
        }
    )
