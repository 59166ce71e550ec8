"""Forecast periods: months and fiscal quarters.

A workspace's fiscal year starts in ``fiscal_year_start_month`` (1 = January, the default) and is
named after the calendar year it starts in, so with a February start "2026-Q1" is Feb-Apr 2026.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dealflow.core.errors import InvalidInputError

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A half-open span of days ``[start, end)`` with its label ("2026-Q4", "2026-11")."""

    start: date
    end: date
    label: str

    @property
    def kind(self) -> str:
        return "quarter" if "Q" in self.label else "month"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(day: date) -> Period:
    start = date(day.year, day.month, 1)
    return Period(start, add_months(start, 1), f"{start.year}-{start.month:02d}")


def quarter_of(day: date, fiscal_start_month: int = 1) -> Period:
    """The fiscal quarter holding ``day``."""
    _check_start_month(fiscal_start_month)
    months_in = (day.month - fiscal_start_month) % 12
    year = day.year if day.month >= fiscal_start_month else day.year - 1
    start = add_months(date(year, fiscal_start_month, 1), months_in // 3 * 3)
    return Period(start, add_months(start, 3), f"{year}-Q{months_in // 3 + 1}")


def position_in_quarter(day: date, fiscal_start_month: int = 1) -> int:
    """1, 2 or 3: which month of its fiscal quarter ``day`` falls in."""
    return (day.month - fiscal_start_month) % 3 + 1


def parse_period(text: str, fiscal_start_month: int = 1) -> Period:
    """A period from "2026-Q4" (fiscal quarter) or "2026-11" (month)."""
    _check_start_month(fiscal_start_month)
    cleaned = text.strip()
    if quarter := _QUARTER.match(cleaned):
        year, number = int(quarter[1]), int(quarter[2])
        start = add_months(date(year, fiscal_start_month, 1), (number - 1) * 3)
        return Period(start, add_months(start, 3), f"{year}-Q{number}")
    month = _MONTH.match(cleaned)
    if month and 1 <= int(month[2]) <= 12:
        return month_of(date(int(month[1]), int(month[2]), 1))
    raise InvalidInputError(
        f"period {text!r} is neither a quarter like 2026-Q4 nor a month like 2026-11"
    )


def _check_start_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidInputError(f"fiscal year start month {month} is not between 1 and 12")
