"""The header-driven limiter, on a fake clock."""

from __future__ import annotations

import threading

import yaml

from compiler.providers.ratelimit import RateLimiter, parse_rate_limit_headers, parse_retry_after
from tests.providers.fakes import FakeClock
from tests.providers.test_recordings import RECORDINGS

DD = "datadog:monitors"


def dd_headers(remaining: int, reset: int, limit: int = 10, name: str = "monitor_api") -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Period": "10",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(reset),
        "X-RateLimit-Name": name,
    }


def test_parses_real_recorded_datadog_429_headers() -> None:
    data = yaml.safe_load((RECORDINGS / "datadog" / "retry" / "test_retry_rate_limit.yaml").read_text())
    first = data["interactions"][0]["response"]
    info = parse_rate_limit_headers(first["headers"])
    assert (info.limit, info.remaining, info.reset, info.period, info.name) == (
        10,
        9,
        3.0,
        10.0,
        "logs_public_search_api",
    )
    assert first["status"]["code"] == 429


def test_parses_pagerduty_headers_case_insensitively() -> None:
    info = parse_rate_limit_headers({"Ratelimit-Limit": "960", "Ratelimit-Remaining": "959", "Ratelimit-Reset": "36"})
    assert (info.limit, info.remaining, info.reset, info.name) == (960, 959, 36.0, None)
    assert parse_rate_limit_headers([("ratelimit-remaining", "3")]).remaining == 3
    assert parse_rate_limit_headers({"x-ratelimit-remaining": "junk"}).remaining is None


def test_retry_after_seconds_and_http_date() -> None:
    clock = FakeClock()
    assert parse_retry_after("7") == 7.0
    date = "Wed, 01 Jan 2025 00:17:00 GMT"  # epoch + 1020 s
    assert parse_retry_after(date, clock.wall()) == 20.0
    assert parse_retry_after("nonsense") is None


def test_no_wait_while_budget_remains() -> None:
    clock = FakeClock()
    lim = RateLimiter("datadog", clock=clock, low_water=1)
    lim.observe(DD, dd_headers(remaining=5, reset=8))
    for _ in range(4):
        assert lim.acquire(DD) == 0.0
    assert clock.sleeps == []


def test_waits_for_reset_before_a_429_at_low_water() -> None:
    clock = FakeClock()
    lim = RateLimiter("datadog", clock=clock, low_water=1)
    lim.observe(DD, dd_headers(remaining=3, reset=8))
    assert lim.acquire(DD) == 0.0  # 3 -> 2
    assert lim.acquire(DD) == 0.0  # 2 -> 1: now at the low-water mark
    waited = lim.acquire(DD)
    assert waited == 8.0 and clock.sleeps == [8.0]
    assert lim.snapshot(DD).remaining == 9, "the window rolled over to the full limit (minus this request)"


def test_header_count_is_authoritative_in_a_new_window_and_lowest_wins_within_one() -> None:
    clock = FakeClock()
    lim = RateLimiter("datadog", clock=clock)
    lim.observe(DD, dd_headers(remaining=5, reset=8))
    lim.observe(DD, dd_headers(remaining=7, reset=8))  # late response from earlier in the window
    assert lim.snapshot(DD).remaining == 5
    clock.now += 9
    lim.observe(DD, dd_headers(remaining=9, reset=10))  # next window
    assert lim.snapshot(DD).remaining == 9


def test_429_blocks_the_bucket_for_the_reset() -> None:
    clock = FakeClock()
    lim = RateLimiter("pagerduty", clock=clock)
    lim.observe("pagerduty:rest", {"ratelimit-remaining": "0", "ratelimit-reset": "12"}, 429)
    assert lim.acquire("pagerduty:rest") == 12.0


def test_429_prefers_retry_after_and_falls_back_without_headers() -> None:
    clock = FakeClock()
    lim = RateLimiter("pagerduty", clock=clock, fallback_429_wait=5.0)
    lim.observe("a", {"Retry-After": "2", "ratelimit-reset": "30"}, 429)
    assert lim.acquire("a") == 2.0
    lim.observe("b", {}, 429)
    assert lim.acquire("b") == 5.0


def test_waits_are_capped_per_sleep_but_still_reach_the_reset() -> None:
    clock = FakeClock()
    lim = RateLimiter("datadog", clock=clock, max_single_wait=60.0)
    lim.observe(DD, dd_headers(remaining=0, reset=150))
    assert lim.acquire(DD) == 150.0
    assert clock.sleeps == [60.0, 60.0, 30.0]


def test_families_sharing_a_named_limit_share_a_bucket() -> None:
    clock = FakeClock()
    lim = RateLimiter("datadog", clock=clock)
    lim.observe("datadog:monitors", dd_headers(remaining=1, reset=5, name="shared"))
    lim.observe("datadog:slo_alerts", dd_headers(remaining=1, reset=5, name="shared"))
    assert lim.snapshot("datadog:slo_alerts").name == "shared"
    assert lim.acquire("datadog:monitors") == 5.0
    assert lim.snapshot("datadog:other").name == "datadog:other"
    assert lim.acquire("datadog:other") == 0.0, "other families are not throttled"


def test_unknown_state_does_not_block() -> None:
    lim = RateLimiter("pagerduty", clock=FakeClock())
    assert lim.acquire("pagerduty:rest") == 0.0


def test_concurrent_acquires_never_overspend_the_window() -> None:
    clock = FakeClock()
    lock = threading.Lock()

    class LockedClock(FakeClock):
        def sleep(self, seconds: float) -> None:
            with lock:
                super().sleep(seconds)

    clock = LockedClock()
    lim = RateLimiter("datadog", clock=clock, low_water=0)
    lim.observe(DD, dd_headers(remaining=20, reset=10, limit=20))
    granted_at: list[float] = []

    def worker() -> None:
        for _ in range(5):
            lim.acquire(DD)
            with lock:
                granted_at.append(clock.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted_at) == 40
    first_window = [t for t in granted_at if t < 1010.0]
    assert len(first_window) == 20, "exactly the advertised budget is spent before the reset"
