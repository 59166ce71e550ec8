"""Cron schedules (``minute hour day-of-month month day-of-week``, in UTC) for schedule
triggers: ``*``, lists, ranges and steps (``*/15``, ``1-5``, ``0,30``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from dealflow.core.errors import InvalidInputError

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 6))
SEARCH_DAYS = 366 * 5


@dataclass(frozen=True)
class CronSchedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday, as in cron
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> CronSchedule:
        """The schedule of a five-field cron expression; ValueError says which field is bad."""
        parts = text.split()
        if len(parts) != len(FIELDS):
            raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(parts)}")
        minutes, hours, days, months, weekdays = (
            _field(part, *spec) for part, spec in zip(parts, FIELDS, strict=True)
        )
        return cls(
            minutes=minutes,
            hours=hours,
            days=days,
            months=months,
            weekdays=frozenset(value % 7 for value in weekdays),  # 7 is Sunday too
            any_day=parts[2] == "*",
            any_weekday=parts[4] == "*",
        )

    def fires_on(self, moment: datetime) -> bool:
        """Whether the schedule fires at ``moment``'s minute."""
        return (
            moment.minute in self.minutes
            and moment.hour in self.hours
            and moment.month in self.months
            and self._day_matches(moment)
        )

    def next_after(self, moment: datetime) -> datetime:
        """The first firing time strictly after ``moment``."""
        start = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.replace(hour=0, minute=0)
        for _ in range(SEARCH_DAYS):
            if day.month in self.months and self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = day.replace(hour=hour, minute=minute)
                        if candidate >= start:
                            return candidate
            day += timedelta(days=1)
        raise InvalidInputError("this cron schedule never fires")

    def _day_matches(self, moment: datetime) -> bool:
        in_month = moment.day in self.days
        in_week = (moment.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return in_month and in_week
        return in_month or in_week  # cron's rule when both are restricted


def _field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    top = 7 if name == "weekday" else high
    values: set[int] = set()
    for item in text.split(","):
        body, _, step_text = item.partition("/")
        try:
            step = int(step_text) if step_text else 1
            if body == "*":
                first, last = low, high
            elif "-" in body:
                first_text, last_text = body.split("-", 1)
                first, last = int(first_text), int(last_text)
            else:
                first = last = int(body)
        except ValueError:
            raise ValueError(f"{name} field {text!r}: expected numbers, ranges or */N") from None
        if step < 1 or not low <= first <= last <= top:
            raise ValueError(f"{name} field {text!r}: values must lie in {low}-{top}")
        values.update(range(first, last + 1, step))
    return frozenset(values)
