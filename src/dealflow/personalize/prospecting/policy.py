"""The limits of one research run: how much, how fast, and where the fetcher may go."""

from __future__ import annotations

from dataclasses import dataclass, field

from dealflow.personalize.prospecting.addresses import AllowedTarget
from dealflow.settings import Settings

USER_AGENT = "DealflowResearch/0.1 (+https://github.com/dealflow/dealflow; respects robots.txt)"
ROBOTS_AGENT = "DealflowResearch"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FetchPolicy:
    """Every limit the fetcher enforces; one page that breaks one is refused, not fatal."""

    timeout_s: float = 10.0
    """Connect and per-read timeout."""
    deadline_s: float = 20.0
    """Longest time one page may take in all (a server that dribbles bytes is cut off)."""
    max_bytes: int = 2_000_000
    """A page is read up to this many bytes (after decompression) and marked as cut."""
    max_pages: int = 8
    """Pages read per company, the start page included (robots.txt not counted)."""
    max_redirects: int = 5
    delay_s: float = 1.0
    """Pause between two requests to one host (robots.txt's Crawl-delay, up to 30 s, wins)."""
    content_types: tuple[str, ...] = (*HTML_TYPES, "text/plain")
    user_agent: str = USER_AGENT
    allowed: tuple[AllowedTarget, ...] = field(default_factory=tuple)
    """Non-public targets reachable all the same (tests, on-premises sites)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy the settings ask for (``DEALFLOW_RESEARCH_*``)."""
        return cls(
            max_pages=settings.research_max_pages,
            delay_s=settings.research_delay_seconds,
            allowed=tuple(AllowedTarget.parse(text) for text in settings.research_allowed_targets),
        )
