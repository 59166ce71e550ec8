"""The clock every layer reads time from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from dealflow.core import clock
from dealflow.core.clock import FrozenClock

TOKYO = timezone(timedelta(hours=9))


class TestSystemClock:
    def test_now_is_timezone_aware_utc(self) -> None:
        moment = clock.Clock().now()

        assert moment.utcoffset() == timedelta(0)


class TestFrozenClock:
    def test_stands_still_until_moved(self) -> None:
        frozen = FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

        first = frozen.now()
        frozen.advance(timedelta(hours=2))

        assert frozen.now() == first + timedelta(hours=2)

    def test_naive_and_foreign_times_are_taken_as_utc(self) -> None:
        naive = FrozenClock(datetime(2026, 3, 2, 9, 0))
        tokyo = FrozenClock(datetime(2026, 3, 2, 18, 0, tzinfo=TOKYO))

        assert naive.now() == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        assert tokyo.now() == naive.now()
        assert tokyo.now().tzinfo == UTC

    def test_set_jumps_to_a_moment(self) -> None:
        frozen = FrozenClock(datetime(2026, 3, 2, tzinfo=UTC))

        frozen.set(datetime(2027, 1, 1, 12, 0, tzinfo=TOKYO))

        assert frozen.now() == datetime(2027, 1, 1, 3, 0, tzinfo=UTC)


class TestInstalledClock:
    def test_frozen_at_sets_the_process_clock_and_restores_it(self) -> None:
        at = datetime(2020, 1, 1, tzinfo=UTC)

        with clock.frozen_at(at) as frozen:
            frozen.advance(timedelta(minutes=5))
            inside = clock.now()

        assert inside == at + timedelta(minutes=5)
        assert clock.now() > datetime(2025, 1, 1, tzinfo=UTC)

    def test_install_returns_the_previous_clock(self) -> None:
        first = FrozenClock(datetime(2020, 1, 1, tzinfo=UTC))
        second = FrozenClock(datetime(2021, 1, 1, tzinfo=UTC))
        original = clock.install(first)
        try:
            assert clock.install(second) is first
            assert clock.now() == datetime(2021, 1, 1, tzinfo=UTC)
        finally:
            clock.install(original)
