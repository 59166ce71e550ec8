"""Politeness: one request per host per delay, timed by ``core.clock`` so tests need no sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from dealflow.core import clock

Sleep = Callable[[float], None]


class Pacer:
    """Waits before a request until ``delay`` has passed since the last one to that host."""

    def __init__(self, delay_s: float, sleep: Sleep = time.sleep) -> None:
        self.delay_s = delay_s
        self.sleep = sleep
        self._last: dict[str, datetime] = {}
        self._delays: dict[str, float] = {}

    def slow_down(self, host: str, delay_s: float) -> None:
        """Use a longer delay for ``host`` (its robots.txt asked for one)."""
        self._delays[host] = max(self.delay_s, delay_s)

    def wait_for(self, host: str) -> float:
        """Sleep as long as ``host`` needs; returns the seconds waited."""
        last = self._last.get(host)
        waited = 0.0
        if last is not None:
            due = last + timedelta(seconds=self._delays.get(host, self.delay_s))
            waited = max(0.0, (due - clock.now()).total_seconds())
            if waited:
                self.sleep(waited)
        self._last[host] = clock.now()
        return waited
