"""What a demo build made, in numbers a person can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DemoSummary:
    """Counts per object of one demo build, and where it went."""

    workspace: str
    seed: int
    start: date
    end: date
    teams: int
    users: int
    products: int
    companies: int
    contacts: int
    customers: int
    deals: int
    deals_won: int
    deals_lost: int
    tickets: int
    activities: int
    engagement_events: int
    property_changes: int
    duplicates: tuple[int, int] = (0, 0)
    """Companies and contacts entered twice (counted in ``companies`` and ``contacts``),
    planted for the cleansing agent."""
    sign_ins: tuple[tuple[str, str, str, str], ...] = ()
    """(role, name, email, language) of users to try; all use ``password``."""
    password: str = ""

    @property
    def deals_open(self) -> int:
        return self.deals - self.deals_won - self.deals_lost

    def lines(self) -> list[str]:
        """The summary as aligned lines, for a terminal."""
        return [
            f"Demo workspace {self.workspace!r} (seed {self.seed}), "
            f"history {self.start.isoformat()} to {self.end.isoformat()}:",
            f"  {self.users:>9,} users in {self.teams} teams",
            f"  {self.products:>9,} products",
            f"  {self.companies:>9,} companies ({self.duplicates[0]:,} entered twice)",
            f"  {self.contacts:>9,} contacts ({self.customers:,} customers, "
            f"{self.duplicates[1]:,} entered twice)",
            f"  {self.deals:>9,} deals ({self.deals_won:,} won, {self.deals_lost:,} lost, "
            f"{self.deals_open:,} open)",
            f"  {self.tickets:>9,} tickets",
            f"  {self.activities:>9,} activities",
            f"  {self.engagement_events:>9,} engagement events",
            f"  {self.property_changes:>9,} property changes in the history",
        ]

    def sign_in_lines(self) -> list[str]:
        """Who to sign in as, for a terminal."""
        width = max((len(email) for _, _, email, _ in self.sign_ins), default=0)
        lines = [f"Sign in with password {self.password!r} as any demo user, e.g.:"]
        lines += [
            f"  {email:<{width}}  {role:<8} {name} ({language})"
            for role, name, email, language in self.sign_ins
        ]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())
