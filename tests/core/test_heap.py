"""A worker's startup objects leave the full collections; what it makes later does not."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from dealflow.core.heap import keep_startup_objects


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    keep_startup_objects()
    yield
    gc.unfreeze()  # the test process goes on as before


def _cycle() -> weakref.ref[Node]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_startup_objects_are_frozen_and_later_cycles_still_collected(frozen_heap: None) -> None:
    assert gc.get_freeze_count() > 0
    later = _cycle()

    gc.collect()

    assert later() is None


def test_objects_dropped_after_startup_are_freed_by_reference_counting() -> None:
    kept = Node()
    held = weakref.ref(kept)
    keep_startup_objects()
    try:
        del kept
        assert held() is None  # frozen, but freed as soon as nothing refers to it
    finally:
        gc.unfreeze()
