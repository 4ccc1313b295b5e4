"""The retry policy, on a fake clock (no real sleeping)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
import urllib3.exceptions
from datadog_api_client.exceptions import ApiException

from compiler.errors import TargetError
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RateLimited, RetriesExhausted, RetryPolicy, classify
from tests.providers.fakes import FakeClock


class FakeHttpResponse:
    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.reason = "x"
        self.data = b"{}"
        self.headers = headers or {}

    def getheaders(self) -> dict[str, str]:
        return self.headers


def dd_error(status: int, headers: dict[str, str] | None = None) -> ApiException:
    return ApiException(http_resp=FakeHttpResponse(status, headers))


class PdError(Exception):
    """Shaped like pagerduty.HttpError: the status is on ``.response``."""

    def __init__(self, status: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"status {status}")
        self.response = httpx2.Response(status, headers=headers or {})


def failing(*errors: BaseException, result: str = "ok") -> tuple[Callable[[], str], list[int]]:
    calls: list[int] = []

    def fn() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return result

    return fn, calls


def policy(clock: FakeClock, **kw: Any) -> RetryPolicy:
    return RetryPolicy(clock=clock, random=lambda: 0.5, **kw)


def test_classify_covers_both_clients_and_transports() -> None:
    assert classify(dd_error(429, {"X-RateLimit-Reset": "3"})).category == "rate_limited"
    assert classify(dd_error(503)).category == "server"
    assert classify(dd_error(400)).category == "fatal"
    assert classify(dd_error(404)).category == "fatal"
    assert classify(PdError(500)).category == "server"
    assert classify(PdError(408)).category == "timeout"
    assert classify(RateLimited(429, {})).category == "rate_limited"
    refused = urllib3.exceptions.MaxRetryError(None, "/", urllib3.exceptions.NewConnectionError(None, "refused"))  # type: ignore[arg-type]
    assert classify(refused) == classify(httpx2.ConnectError("refused"))
    assert classify(refused).sent is False
    assert classify(urllib3.exceptions.ReadTimeoutError(None, "/", "slow")).category == "timeout"  # type: ignore[arg-type]
    assert classify(httpx2.ReadTimeout("slow")).category == "timeout"
    assert classify(httpx2.RemoteProtocolError("reset")).sent is True
    wrapped = Exception("pagerduty.Error: non-transient network error")
    wrapped.__cause__ = httpx2.ConnectError("refused")
    assert classify(wrapped).category == "connection"
    assert classify(ValueError("bug")).category == "fatal"


def test_server_errors_back_off_exponentially_with_jitter_and_cap() -> None:
    clock = FakeClock()
    fn, calls = failing(dd_error(502), dd_error(503), dd_error(500), dd_error(504))
    p = policy(clock, base_delay=1.0, max_delay=3.0, max_attempts=6)
    assert p.call(fn, family="datadog:monitors") == "ok"
    assert len(calls) == 5
    # step = min(3, 1*2^(n-1)); delay = step/2 + 0.5*step/2 with random()=0.5
    assert clock.sleeps == [0.75, 1.5, 2.25, 2.25]


def test_429_waits_the_server_reset_plus_jitter() -> None:
    clock = FakeClock()
    fn, _ = failing(dd_error(429, {"x-ratelimit-reset": "3", "x-ratelimit-remaining": "0"}))
    p = policy(clock, rate_limit_jitter=0.5)
    assert p.call(fn, family="datadog:monitors") == "ok"
    assert clock.sleeps == [3.25]


def test_429_honours_retry_after_over_reset() -> None:
    clock = FakeClock()
    fn, _ = failing(PdError(429, {"Retry-After": "1", "ratelimit-reset": "30"}))
    assert policy(clock, rate_limit_jitter=0.0).call(fn, family="pagerduty:rest") == "ok"
    assert clock.sleeps == [1.0]


def test_429_wait_is_capped() -> None:
    clock = FakeClock()
    fn, _ = failing(RateLimited(429, {"ratelimit-reset": "3600"}))
    assert policy(clock, max_rate_limit_wait=60.0, rate_limit_jitter=0.0, total_budget=120).call(fn, family="f") == "ok"
    assert clock.sleeps == [60.0]


def test_429_without_headers_uses_backoff() -> None:
    clock = FakeClock()
    fn, _ = failing(PdError(429))
    assert policy(clock, base_delay=2.0).call(fn, family="pagerduty:rest") == "ok"
    assert clock.sleeps == [1.5]


def test_fatal_errors_are_raised_unchanged_without_retry() -> None:
    clock = FakeClock()
    err = dd_error(400)
    fn, calls = failing(err)
    with pytest.raises(ApiException) as info:
        policy(clock).call(fn, family="f")
    assert info.value is err and len(calls) == 1 and clock.sleeps == []


def test_attempts_are_bounded() -> None:
    clock = FakeClock()
    fn, calls = failing(*[dd_error(503)] * 10)
    with pytest.raises(RetriesExhausted, match=r"gave up after 3 attempts .*HTTP 503") as info:
        policy(clock, max_attempts=3).call(fn, family="datadog:monitors", what="monitor/login")
    assert len(calls) == 3
    assert isinstance(info.value, TargetError)
    assert isinstance(info.value.__cause__, ApiException)
    assert "monitor/login" in str(info.value)


def test_total_time_budget_is_bounded() -> None:
    clock = FakeClock()
    fn, calls = failing(*[RateLimited(429, {"ratelimit-reset": "50"})] * 10)
    with pytest.raises(RetriesExhausted, match="retry budget"):
        policy(clock, total_budget=120, rate_limit_jitter=0.0, max_attempts=10).call(fn, family="f")
    assert clock.sleeps == [50.0, 50.0]
    assert len(calls) == 3


def test_non_idempotent_calls_retry_only_when_nothing_happened() -> None:
    clock = FakeClock()
    # A 5xx on a create may have created the object: do not repeat it.
    fn, calls = failing(dd_error(503))
    with pytest.raises(ApiException):
        policy(clock).call(fn, family="f", idempotent=False)
    assert len(calls) == 1
    # A timeout likewise.
    fn, calls = failing(httpx2.ReadTimeout("slow"))
    with pytest.raises(httpx2.ReadTimeout):
        policy(clock).call(fn, family="f", idempotent=False)
    # A 429 or a refused connection certainly did nothing: retry.
    fn, calls = failing(dd_error(429, {"x-ratelimit-reset": "1"}), httpx2.ConnectError("refused"))
    assert policy(clock).call(fn, family="f", idempotent=False) == "ok"
    assert len(calls) == 3


def test_idempotent_calls_retry_timeouts_and_connection_errors() -> None:
    clock = FakeClock()
    fn, calls = failing(httpx2.ReadTimeout("slow"), httpx2.RemoteProtocolError("reset"), TimeoutError())
    assert policy(clock).call(fn, family="f") == "ok"
    assert len(calls) == 4


def test_call_goes_through_the_limiter_and_feeds_it_429s() -> None:
    clock = FakeClock()
    limiter = RateLimiter("datadog", clock=clock)
    limiter.observe("datadog:slos", {"x-ratelimit-remaining": "1", "x-ratelimit-reset": "4"})
    fn, _ = failing(dd_error(429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2"}))
    p = policy(clock, rate_limit_jitter=0.0)
    assert p.call(fn, family="datadog:slos", limiter=limiter) == "ok"
    # First acquire waits for the low-water reset (4 s); the 429 then blocks 2 s, slept by the policy.
    assert clock.sleeps == [4.0, 2.0]
    assert limiter.snapshot("datadog:slos").throttled_waits == 1
