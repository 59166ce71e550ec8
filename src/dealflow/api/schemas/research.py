"""Research of a company's website in and out: what to read, and what it said."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from dealflow.api.schemas.common import Id, Input, Output


class ResearchIn(Input):
    """What to research; everything is optional (the company's website, every page)."""

    contact_id: Id | None = None
    """The contact the research is for (they must work at the company)."""
    url: str | None = Field(default=None, max_length=2000)
    """Start here instead of the company's ``website`` property or domain."""
    max_pages: int | None = Field(default=None, ge=1, le=50)


class FindingOut(Output):
    kind: str
    statement: str
    snippet: str
    """The page's own words the statement rests on."""
    source_url: str
    fetched_at: datetime
    method: str


class PageOut(Output):
    url: str
    kind: str
    title: str
    truncated: bool


class RefusalOut(Output):
    url: str
    reason: str


class SetAsideOut(Output):
    source_url: str
    snippet: str
    reason: str


class ResearchOut(Output):
    """A company's current research (``run_id`` is null when it was never researched)."""

    company_id: int
    run_id: int | None = None
    start_url: str | None = None
    method: str | None = None
    researched_at: datetime | None = None
    contact_id: int | None = None
    draft_id: int | None = None
    """In the answer to a research for a contact: the first email, now in the review queue."""
    pages: list[PageOut] = Field(default_factory=list)
    refused: list[RefusalOut] = Field(default_factory=list)
    set_aside: list[SetAsideOut] = Field(default_factory=list)
    findings: list[FindingOut] = Field(default_factory=list)
