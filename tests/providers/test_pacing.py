"""Concurrency from the rate-limit headers: how many calls run at once, and what is kept back."""

from __future__ import annotations

import threading

import pytest

from compiler.providers.pacing import paced_map
from compiler.providers.ratelimit import RateLimiter
from tests.providers.fakes import FakeClock
from tests.providers.test_ratelimit import DD, dd_headers


def _limiter() -> RateLimiter:
    return RateLimiter("datadog", clock=FakeClock(), low_water=2, max_in_flight=16, unknown_in_flight=2)


def test_concurrency_is_a_tenth_of_the_window_budget_capped() -> None:
    lim = _limiter()
    assert lim.concurrency(DD) == 2  # nothing known yet: a cautious start
    lim.observe(DD, dd_headers(remaining=5000, reset=30, limit=6000))
    assert lim.concurrency(DD) == 16  # 600 allowed, capped
    lim.observe("datadog:slos", dd_headers(remaining=40, reset=5, limit=50, name="slo_api"))
    assert lim.concurrency("datadog:slos") == 5
    lim.observe("datadog:downtimes", dd_headers(remaining=10, reset=1, limit=12, name="downtime_api"))
    assert lim.concurrency("datadog:downtimes") == 1


def test_a_429_drops_concurrency_to_one() -> None:
    lim = _limiter()
    lim.observe(DD, dd_headers(remaining=0, reset=5, limit=6000), 429)
    assert lim.concurrency(DD) == 1


def test_the_requests_in_flight_are_kept_back_from_the_budget() -> None:
    lim = _limiter()
    lim.observe(DD, dd_headers(remaining=100, reset=10, limit=100))  # 10 in flight allowed
    assert lim.allowance(DD, default=0) == 100 - (2 + 10 - 1)
    for _ in range(100 - 11):
        assert lim.acquire(DD) == 0.0
    assert lim.acquire(DD) > 0  # waited for the reset rather than spend the reserve


class InFlight:
    """Holds each call until ``expected`` calls are in flight (or a second passes), so the peak is exact."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.changed = threading.Condition()
        self.now = 0
        self.peak = 0

    def __call__(self, item: int) -> int:
        with self.changed:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.now >= self.expected, timeout=1.0)
        with self.changed:
            self.now -= 1
        return item * 2


def test_paced_map_keeps_the_allowed_number_in_flight_and_the_order() -> None:
    lim = _limiter()
    lim.observe(DD, dd_headers(remaining=5000, reset=30, limit=6000))
    work = InFlight(16)
    assert paced_map(work, list(range(64)), limiter=lim, family=DD) == [i * 2 for i in range(64)]
    assert work.peak == 16


def test_paced_map_respects_the_kinds_ceiling_and_a_small_allowance() -> None:
    lim = _limiter()
    lim.observe(DD, dd_headers(remaining=5000, reset=30, limit=6000))
    work = InFlight(3)
    paced_map(work, list(range(21)), limiter=lim, family=DD, cap=3)
    assert work.peak == 3
    small = _limiter()
    small.observe(DD, dd_headers(remaining=30, reset=30, limit=30))
    work = InFlight(3)
    paced_map(work, list(range(21)), limiter=small, family=DD)
    assert work.peak == 3


def test_paced_map_re_raises_the_first_error_after_the_started_calls() -> None:
    lim = _limiter()
    done: list[int] = []

    def fn(item: int) -> int:
        if item == 3:
            raise ValueError("boom")
        done.append(item)
        return item

    with pytest.raises(ValueError, match="boom"):
        paced_map(fn, list(range(10)), limiter=lim, family=DD)
    assert 9 not in done  # nothing new is started after the failure
