"""Bounded retries for provider calls: one policy for both APIs, owned by alertc, not the clients.

Both clients retry on their own by default in ways that do not fit a
plan/apply tool: python-pagerduty retries 429 forever (and ignores
``ratelimit-reset``), and datadog-api-client, once ``enable_retry`` is on,
also retries POST, which can duplicate a monitor. So the clients are
configured to never retry (see ``client_settings``), and every call goes
through ``RetryPolicy.call``:

* 429: wait what the server says (``Retry-After``, ``x-ratelimit-reset`` /
  ``ratelimit-reset``), capped, plus a little jitter so workers do not wake in lockstep;
* 5xx, 408, timeouts and connection errors: capped, jittered exponential backoff;
* everything else (4xx): no retry, it will fail the same way again; so too a connection that
  cannot succeed (a TLS certificate that does not verify, a host name that does not resolve:
  ``unreachable``), which stops at once naming the host and the cause;
* a non-idempotent call (create) is retried only when the request certainly had no
  effect: a 429, or a connection that was never established;
* at most ``max_attempts`` attempts and ``total_budget`` seconds in all.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol, TypeVar

import httpx2
import urllib3.exceptions

from compiler.errors import TargetError
from compiler.events import Observer, RetryScheduled, ignore
from compiler.providers.ratelimit import (
    Clock,
    HeaderSource,
    RateLimiter,
    SystemClock,
    lower_headers,
    parse_rate_limit_headers,
)
from compiler.providers.unreachable import unreachable

T = TypeVar("T")

FailureKind = Literal["rate_limited", "server", "timeout", "connection", "unreachable", "fatal"]

# Datadog's client treats these as transient (rest.py RETRY_AFTER_STATUS_CODES); PagerDuty
# documents 408 and 500 as retryable (pagerduty-api.md §3).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 507, 509, 512})


class CallScope(Protocol):
    """Who a call is made for: its rate-limit bucket, and a name for messages (a resource kind)."""

    @property
    def api_family(self) -> str: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Scope:
    """A CallScope for calls made outside any resource kind (reading users, banner status)."""

    api_family: str
    kind: str


class RateLimited(Exception):
    """Raised by the PagerDuty client hook on a 429, to break the client's endless retry loop."""

    def __init__(self, status: int, headers: Mapping[str, str]) -> None:
        super().__init__(f"HTTP {status}: rate limited")
        self.status = status
        self.headers = dict(headers)


class RetriesExhausted(TargetError):
    """A call kept failing transiently until the attempt count or the time budget ran out."""


@dataclass(frozen=True)
class Failure:
    """What went wrong with one attempt, in the terms the policy needs.

    ``sent`` is False only when the request certainly never reached the server
    (connection refused, DNS failure, connect timeout).
    """

    category: FailureKind
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    sent: bool = True
    detail: str = ""  # a failed connection: its cause and host ("the connection was refused (api.example.com)")
    hint: str = ""  # what to check for such a cause

    def describe(self) -> str:
        if self.detail:
            return self.detail
        return f"HTTP {self.status}" if self.status else self.category.replace("_", " ")


def _from_status(status: int, headers: HeaderSource | None) -> Failure:
    h = lower_headers(headers)
    if status == 429:
        return Failure("rate_limited", status, h, sent=False)
    if status == 408:
        return Failure("timeout", status, h)
    if status in RETRYABLE_STATUSES:
        return Failure("server", status, h)
    return Failure("fatal", status, h)


def classify(exc: BaseException) -> Failure:
    """Map an exception from either client (or the network stack under it) to a Failure.

    Duck-typed on purpose: datadog-api-client's ``ApiException`` has ``status``
    and ``headers``; python-pagerduty's ``HttpError`` has ``response``; both
    wrap transport errors (urllib3 and httpx2), sometimes as ``__cause__``.
    """
    if isinstance(exc, RateLimited):
        return Failure("rate_limited", exc.status, lower_headers(exc.headers), sent=False)
    response = getattr(exc, "response", None)
    status_code = getattr(response, "status_code", None)
    if isinstance(status_code, int):
        return _from_status(status_code, getattr(response, "headers", None))
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status > 0:
        return _from_status(status, getattr(exc, "headers", None))
    reach = unreachable(exc)
    if reach is not None and not reach.retryable:
        return Failure("unreachable", sent=False, detail=reach.describe(), hint=reach.hint)
    transport = _classify_transport(exc)
    if transport is not None:
        return transport if reach is None else replace(transport, detail=reach.describe(), hint=reach.hint)
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc:
        return classify(cause)
    return Failure("fatal")


def _classify_transport(exc: BaseException) -> Failure | None:
    if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
        return _classify_transport(exc.reason) or Failure("connection")
    if isinstance(exc, urllib3.exceptions.ConnectTimeoutError | httpx2.ConnectError | httpx2.ConnectTimeout):
        return Failure("connection", sent=False)
    if isinstance(exc, ConnectionRefusedError):
        return Failure("connection", sent=False)
    if isinstance(exc, urllib3.exceptions.TimeoutError | httpx2.TimeoutException | TimeoutError):
        return Failure("timeout")
    if isinstance(
        exc, urllib3.exceptions.ProtocolError | httpx2.TransportError | ConnectionError
    ):  # reset mid-request: may have been processed
        return Failure("connection")
    return None


def is_transport_failure(exc: BaseException) -> bool:
    """A connection or timeout error of the HTTP layer (not an API answer, not a programming error)."""
    return _classify_transport(exc) is not None


@dataclass
class RetryPolicy:
    """Attempts, time budget and backoff for one API; the clock and randomness are injectable."""

    max_attempts: int = 5
    total_budget: float = 120.0
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_rate_limit_wait: float = 60.0
    rate_limit_jitter: float = 0.5
    clock: Clock = field(default_factory=SystemClock)
    random: Callable[[], float] = random.random
    observer: Observer = ignore  # told of every retry, for -v

    def should_retry(self, failure: Failure, *, idempotent: bool) -> bool:
        if failure.category in ("fatal", "unreachable"):
            return False
        if failure.category == "rate_limited":
            return True
        return idempotent or not failure.sent

    def backoff(self, attempt: int) -> float:
        """Equal-jitter exponential backoff: half the capped step, plus up to the other half at random."""
        step = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return step / 2 + self.random() * step / 2

    def delay(self, failure: Failure, attempt: int) -> float:
        if failure.category == "rate_limited":
            info = parse_rate_limit_headers(failure.headers, self.clock.wall())
            told = info.retry_after if info.retry_after is not None else info.reset
            if told is not None:
                return min(told, self.max_rate_limit_wait) + self.random() * self.rate_limit_jitter
        return self.backoff(attempt)

    def call(
        self,
        fn: Callable[[], T],
        *,
        family: str,
        idempotent: bool = True,
        limiter: RateLimiter | None = None,
        what: str = "",
    ) -> T:
        """Run ``fn`` under the limiter with bounded retries; re-raise non-retryable errors unchanged."""
        start = self.clock.monotonic()
        attempt = 0
        while True:
            attempt += 1
            if limiter is not None:
                limiter.acquire(family)
            try:
                return fn()
            except Exception as exc:
                failure = classify(exc)
                if limiter is not None and failure.status is not None:
                    limiter.observe(family, failure.headers, failure.status)
                label = what or family
                if failure.category == "unreachable":
                    raise TargetError(
                        f"{label}: cannot connect: {failure.detail}; retrying cannot fix this\n  hint: {failure.hint}"
                    ) from exc
                if not self.should_retry(failure, idempotent=idempotent):
                    raise
                elapsed = self.clock.monotonic() - start
                if attempt >= self.max_attempts:
                    advice = failure.hint or "try again later or lower the concurrency"
                    raise RetriesExhausted(
                        f"{label}: gave up after {attempt} attempts in {elapsed:.1f}s "
                        f"(last error: {failure.describe()}); {advice}"
                    ) from exc
                wait = self.delay(failure, attempt)
                if elapsed + wait > self.total_budget:
                    raise RetriesExhausted(
                        f"{label}: gave up after {attempt} attempts: the next wait ({wait:.1f}s) would "
                        f"exceed the {self.total_budget:.0f}s retry budget (last error: {failure.describe()})"
                    ) from exc
                self.observer(RetryScheduled(label, attempt, failure.describe(), wait))
                self.clock.sleep(wait)
