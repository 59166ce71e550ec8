"""The read-ahead thread hands over every item in order, raises the reader's error where it
happened, and stops when the consumer leaves early."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dealflow.crm.importing.read_ahead import ReadAhead
from dealflow.crm.importing.readers import UnreadableFileError


def numbers(count: int, fail_at: int | None = None) -> Iterator[int]:
    for n in range(count):
        if n == fail_at:
            raise UnreadableFileError(f"line {n}: not valid CSV")
        yield n


def test_every_item_arrives_in_order() -> None:
    with ReadAhead(numbers(100), depth=2) as items:
        assert list(items) == list(range(100))


def test_the_readers_error_is_raised_after_the_items_before_it() -> None:
    seen = []
    with pytest.raises(UnreadableFileError, match="line 7"), ReadAhead(numbers(10, 7)) as items:
        seen.extend(items)
    assert seen == list(range(7))


def test_leaving_early_stops_the_thread() -> None:
    ahead = ReadAhead(numbers(10_000), depth=2)
    with pytest.raises(RuntimeError), ahead as items:
        for n in items:
            if n == 3:
                raise RuntimeError("the database refused the batch")
    assert not ahead.running
