"""Reading the next batches of a file while the database writes the current one.

The database works in its own process; while the importer waits for it, a thread reads and
converts what comes next. At most ``depth`` items wait, so memory stays bounded.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_ITEM, _DONE, _FAILED = range(3)


class ReadAhead(Generic[T]):
    """The items of ``items``, produced by a background thread; use as a context manager
    (leaving it stops the thread, also when the consumer failed half-way)."""

    def __init__(self, items: Iterator[T], depth: int = 2) -> None:
        self._queue: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=depth)
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(items,), name="import-read-ahead", daemon=True
        )

    @property
    def running(self) -> bool:
        """Whether the reading thread is still at work."""
        return self._thread.is_alive()

    def __enter__(self) -> Iterator[T]:
        self._thread.start()
        return self._consume()

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        self._thread.join()

    def _produce(self, items: Iterator[T]) -> None:
        try:
            for item in items:
                if not self._put((_ITEM, item)):
                    return
        except BaseException as error:  # handed to the consumer, raised where it reads
            self._put((_FAILED, error))
            return
        self._put((_DONE, None))

    def _put(self, entry: tuple[int, Any]) -> bool:
        while not self._stopped.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _consume(self) -> Iterator[T]:
        while True:
            kind, value = self._queue.get()
            if kind == _DONE:
                return
            if kind == _FAILED:
                raise value
            yield value
