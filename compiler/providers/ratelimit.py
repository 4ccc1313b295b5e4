"""A client-side rate limiter that reads the APIs' rate-limit headers so callers wait *before* a 429.

Both APIs say how much budget is left on every response: Datadog per endpoint
family (``x-ratelimit-limit/-period/-remaining/-reset/-name``, datadog-api.md §2),
PagerDuty per API key (``ratelimit-limit/-remaining/-reset``, pagerduty-api.md §3).
Terraform only reacts to 429s and users hit them in CI (peers.md §5); reading the
headers lets a bounded pool of apply workers slow down instead.

Callers name an *API family* (``datadog:monitors``); once a Datadog response names
its limit (``x-ratelimit-name``), families that share that limit share one bucket.
The clock and sleep are injected so tests run on a fake clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from compiler.events import Observer, RateLimitWait, ignore

HeaderSource = Mapping[str, str] | Iterable[tuple[str, str]]


class Clock(Protocol):
    """Time as the limiter and retry policy see it."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def wall(self) -> datetime: ...


class SystemClock:
    """The real clock; tests use a fake one instead."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def wall(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class RateLimitInfo:
    """The rate-limit headers of one response; any field may be missing."""

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    period: float | None = None
    name: str | None = None
    retry_after: float | None = None


def lower_headers(headers: HeaderSource | None) -> dict[str, str]:
    """Header names folded to lower case: the Datadog client hands back a case-sensitive dict."""
    if headers is None:
        return {}
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for key, raw in items:
        value = (raw[0] if raw else "") if isinstance(raw, list | tuple) else raw
        out[str(key).lower()] = str(value).strip()
    return out


def _number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    seconds = _number(value)
    if seconds is not None or not value:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_rate_limit_headers(headers: HeaderSource | None, now: datetime | None = None) -> RateLimitInfo:
    """Read Datadog (``x-ratelimit-*``) or PagerDuty (``ratelimit-*``) headers, case-insensitively."""
    h = lower_headers(headers)

    def pick(suffix: str) -> str | None:
        return h.get(f"x-ratelimit-{suffix}", h.get(f"ratelimit-{suffix}"))

    limit = _number(pick("limit"))
    remaining = _number(pick("remaining"))
    return RateLimitInfo(
        limit=int(limit) if limit is not None else None,
        remaining=int(remaining) if remaining is not None else None,
        reset=_number(pick("reset")),
        period=_number(pick("period")),
        name=pick("name") or None,
        retry_after=parse_retry_after(h.get("retry-after"), now),
    )


@dataclass
class BucketState:
    """What is known about one rate limit; ``*_at`` are on the monotonic clock."""

    name: str
    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None
    blocked_until: float | None = None
    throttled_waits: int = 0


class RateLimiter:
    """One limiter per API (Datadog, PagerDuty), with one bucket per endpoint family.

    ``acquire`` blocks while a bucket is at or below its reserve (``low_water`` plus the
    other requests allowed in flight, see ``concurrency``) remaining requests
    (until its reset) or is blocked by a 429; it also counts the
    request against the local estimate, so concurrent workers do not all spend
    the last few requests at once. ``observe`` is fed with the headers of every
    response, successful or not. Thread-safe: state changes under one lock, and
    sleeping happens outside it.
    """

    def __init__(
        self,
        api: str,
        *,
        clock: Clock | None = None,
        low_water: int = 1,
        fallback_429_wait: float = 5.0,
        max_single_wait: float = 60.0,
        observer: Observer = ignore,
        max_in_flight: int = 1,
        unknown_in_flight: int = 1,
    ) -> None:
        self.api = api
        self.observer = observer  # told of every wait, for -v
        self.clock: Clock = clock or SystemClock()
        self.low_water = low_water
        self.max_in_flight = max_in_flight
        self.unknown_in_flight = unknown_in_flight
        self.responses_seen = 0  # responses the clients' hooks received, for the request count a run reports
        self.fallback_429_wait = fallback_429_wait
        self.max_single_wait = max_single_wait
        self._lock = threading.Lock()
        self._buckets: dict[str, BucketState] = {}
        self._alias: dict[str, str] = {}

    # -- state ---------------------------------------------------------------------------------

    def _bucket(self, family: str) -> BucketState:
        name = self._alias.get(family, family)
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = BucketState(name=name)
        return bucket

    def snapshot(self, family: str) -> BucketState:
        """A copy of the bucket ``family`` currently maps to (for logs and tests)."""
        with self._lock:
            b = self._bucket(family)
            return BucketState(b.name, b.limit, b.remaining, b.reset_at, b.blocked_until, b.throttled_waits)

    def _roll_window(self, b: BucketState, now: float) -> None:
        if b.reset_at is not None and now >= b.reset_at:
            b.remaining = b.limit
            b.reset_at = None
        if b.blocked_until is not None and now >= b.blocked_until:
            b.blocked_until = None

    def _wait_needed(self, b: BucketState, now: float) -> float:
        if b.blocked_until is not None:
            return b.blocked_until - now
        if b.remaining is not None and b.remaining <= self._reserve(b):
            if b.reset_at is not None:
                return b.reset_at - now
            # Budget spent but no reset known: the window length is the best guess.
            b.remaining = None
        return 0.0

    # -- API -----------------------------------------------------------------------------------

    def acquire(self, family: str) -> float:
        """Wait until a request in ``family`` may be sent; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                b = self._bucket(family)
                now = self.clock.monotonic()
                self._roll_window(b, now)
                wait = self._wait_needed(b, now)
                if wait <= 0:
                    if b.remaining is not None:
                        b.remaining -= 1
                    return waited
                b.throttled_waits += 1
            wait = min(wait, self.max_single_wait)
            self.observer(RateLimitWait(self.api, b.name, wait))
            self.clock.sleep(wait)
            waited += wait

    def _in_flight_cap(self, b: BucketState) -> int:
        """Requests of this bucket allowed in flight at once: a tenth of its window's budget, at most
        ``max_in_flight``; before any response named the limit, ``unknown_in_flight``.

        As many are kept back above the low-water mark (``_reserve``): a response's remaining count
        cannot include requests still in flight, and those may land in the next window.
        """
        if b.limit is None:
            return min(self.max_in_flight, self.unknown_in_flight)
        return max(1, min(self.max_in_flight, b.limit // 10))

    def _reserve(self, b: BucketState) -> int:
        """Remaining requests kept back: ``low_water``, plus the other requests that may be in flight."""
        return self.low_water + self._in_flight_cap(b) - 1

    def concurrency(self, family: str) -> int:
        """How many requests of ``family`` to keep in flight now, from its rate-limit headers.

        Callers running many requests (apply's writes, plan's validations) size their
        workers with it, re-reading it as responses arrive; 1 while a 429 blocks the bucket.
        """
        with self._lock:
            b = self._bucket(family)
            self._roll_window(b, self.clock.monotonic())
            if b.blocked_until is not None:
                return 1
            return self._in_flight_cap(b)

    def count_response(self) -> None:
        """One HTTP response received (called by the client hooks, once per response).

        Not counted in ``observe``: the retry policy observes a failed response's
        headers again (for clients without hooks), which counted every 404 twice.
        """
        with self._lock:
            self.responses_seen += 1

    def allowance(self, family: str, *, default: int) -> int:
        """Requests ``family`` may send now without waiting: what is left above the low-water mark.

        ``default`` when no response has told the budget yet; 0 while a 429 blocks the bucket.
        Callers size their concurrency with it (pages in flight, apply and validate workers).
        """
        with self._lock:
            b = self._bucket(family)
            now = self.clock.monotonic()
            self._roll_window(b, now)
            if b.blocked_until is not None:
                return 0
            if b.remaining is None:
                return default
            return max(0, b.remaining - self._reserve(b))

    def observe(self, family: str, headers: HeaderSource | None, status: int | None = None) -> None:
        """Record the rate-limit headers of one response in ``family``."""
        info = parse_rate_limit_headers(headers, self.clock.wall())
        with self._lock:
            now = self.clock.monotonic()
            if info.name:
                self._alias[family] = info.name
            b = self._bucket(family)
            if info.limit is not None:
                b.limit = info.limit
            reset = info.reset if info.reset is not None else info.period
            if info.remaining is not None:
                new_reset_at = now + reset if reset is not None else None
                same_window = b.reset_at is not None and new_reset_at is not None and new_reset_at <= b.reset_at + 1.0
                if same_window and b.remaining is not None:
                    # Responses can arrive out of order: within one window trust the lower count.
                    b.remaining = min(b.remaining, info.remaining)
                else:
                    b.remaining = info.remaining
                if new_reset_at is not None:
                    b.reset_at = new_reset_at
            if status == 429:
                wait = self.wait_for_429(info)
                b.blocked_until = max(b.blocked_until or 0.0, now + wait)
                b.remaining = 0

    def wait_for_429(self, info: RateLimitInfo) -> float:
        """How long a 429 blocks its bucket: ``Retry-After``, else the reset, else a fixed guess.

        PagerDuty may send a 429 without headers (pagerduty-api.md §3), hence the fallback.
        """
        for candidate in (info.retry_after, info.reset, info.period):
            if candidate is not None:
                return min(candidate, self.max_single_wait)
        return self.fallback_429_wait
