"""The two years of history every generated moment falls in.

Generators work in days since the window's start (plain floats, cheap to add and compare) and
turn them into timezone-aware UTC datetimes only when rows are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dealflow.crm.history import Change

HISTORY_DAYS = 730
MINUTE = 1.0 / 1440.0
HOUR = 1.0 / 24.0

HistoryEntry = tuple[int | None, int, Change, datetime]
"""A replayed change: (changed_by user id, record id, change, changed_at)."""


@dataclass(frozen=True)
class Window:
    """Two years of history ending at the start (00:00 UTC) of ``today``."""

    start: datetime
    end: datetime

    @classmethod
    def ending(cls, today: date) -> Window:
        end = datetime.combine(today, time.min, tzinfo=UTC)
        return cls(start=end - timedelta(days=HISTORY_DAYS), end=end)

    @property
    def last(self) -> float:
        """The latest day offset anything may happen at (a minute before the window ends)."""
        return HISTORY_DAYS - MINUTE

    def moment(self, day: float) -> datetime:
        """The UTC datetime ``day`` days after the start, to the second."""
        return self.start + timedelta(seconds=int(day * 86400.0 + 0.5))

    def date_of(self, day: float) -> date:
        return self.moment(day).date()
