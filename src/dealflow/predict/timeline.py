"""Vectorised "as of t" lookups: event counts in windows, last event times, property values.

Times are int64 seconds since the epoch (UTC). Records and times are combined into one sorted
key per row, so every lookup for many (record, time) pairs is a single ``searchsorted``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

DAY = 86_400
_TIME_SPAN = 10**10
"""Seconds up to the year 2286: record ids are shifted past every possible time."""

Ints = npt.NDArray[Any]
"""int64 arrays (record ids, epoch seconds)."""
Floats = npt.NDArray[Any]
"""float64 arrays, NaN for unknown."""
Objects = npt.NDArray[Any]
"""object arrays of Python values, None for unknown."""


def epoch_seconds(moments: Iterable[datetime | None]) -> Floats:
    """Seconds since the epoch for each aware datetime; NaN for None."""
    return np.array(
        [np.nan if moment is None else moment.timestamp() for moment in moments], dtype=np.float64
    )


def epoch_of(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())


def _keys(records: npt.ArrayLike, times: npt.ArrayLike) -> Ints:
    return np.asarray(records, dtype=np.int64) * _TIME_SPAN + np.asarray(times, dtype=np.int64)


class EventTimes:
    """The times of one kind of event per record, for counting and recency as of any time."""

    def __init__(self, records: npt.ArrayLike, times: npt.ArrayLike) -> None:
        keys = _keys(records, times)
        keys.sort()
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def count_between(self, records: Ints, after: Ints, until: Ints) -> Ints:
        """How many events each record had in the window ``after < t <= until``."""
        upper = np.searchsorted(self._keys, _keys(records, until), side="right")
        lower = np.searchsorted(self._keys, _keys(records, after), side="right")
        return (upper - lower).astype(np.int64)

    def count_until(self, records: Ints, until: Ints) -> Ints:
        """How many events each record had up to and including ``until``."""
        return self.count_between(records, np.full_like(until, -1), until)

    def last_until(self, records: Ints, until: Ints) -> Floats:
        """The time of each record's last event up to ``until``; NaN when it had none."""
        return _last_time_until(self._keys, records, until)


class ValueHistory:
    """Changes of one property, answering "what was the value at t" for many records at once.

    The value at ``t`` is the old value of the first change after ``t``, or the current value
    when no change follows (creation is not a change), as in ``crm.history.value_as_of``.
    """

    def __init__(
        self, records: npt.ArrayLike, times: npt.ArrayLike, old_values: Sequence[Any]
    ) -> None:
        keys = _keys(records, times)
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._old_values = np.asarray(list(old_values), dtype=object)[order]

    def values_at(self, records: Ints, times: Ints, current: Objects) -> Objects:
        """Each record's value at its time, given the records' current values."""
        if not len(self._keys):
            return current
        position = np.searchsorted(self._keys, _keys(records, times), side="right")
        inside = position < len(self._keys)
        next_keys = self._keys[np.where(inside, position, 0)]
        changed_later = inside & (next_keys // _TIME_SPAN == records)
        earlier = self._old_values[np.where(changed_later, position, 0)]
        return np.where(changed_later, earlier, current)

    def last_change_until(self, records: Ints, times: Ints) -> Floats:
        """When each record's value last changed up to its time; NaN if it never had."""
        return _last_time_until(self._keys, records, times)


def _last_time_until(sorted_keys: Ints, records: Ints, times: Ints) -> Floats:
    if not len(sorted_keys):
        return np.full(len(records), np.nan)
    position = np.searchsorted(sorted_keys, _keys(records, times), side="right") - 1
    keys = sorted_keys[np.maximum(position, 0)]
    same_record = (position >= 0) & (keys // _TIME_SPAN == records)
    return np.where(same_record, (keys % _TIME_SPAN).astype(np.float64), np.nan)
