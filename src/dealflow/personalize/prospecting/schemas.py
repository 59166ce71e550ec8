"""What research produces: findings that quote their page, each with its source URL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FINDING_KINDS = ("summary", "product", "news", "hiring", "location", "language", "technology")
"""What a finding is about: what the company does, a product, recent news, a hiring signal,
a place it works from, a language its site speaks, a technology it uses."""


@dataclass(frozen=True)
class Finding:
    """One fact about a company as its own website states it.

    ``statement`` is what a draft may say; ``snippet`` is the page's own words it rests on,
    quoted exactly; ``source_url`` is where they were read and ``fetched_at`` when.
    """

    kind: str
    statement: str
    snippet: str
    source_url: str
    fetched_at: datetime
    method: str = "rules"
    """``rules`` (deterministic extraction) or ``llm:<model>``."""


@dataclass(frozen=True)
class SetAside:
    """Page text kept out of the findings because it reads as instructions to an AI."""

    source_url: str
    snippet: str
    reason: str


@dataclass(frozen=True)
class Refusal:
    """A URL the agent did not read, and why."""

    url: str
    reason: str
