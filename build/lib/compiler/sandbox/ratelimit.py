"""Fixed-window rate limits with the headers each vendor sends.

Datadog limits per endpoint family with calendar-aligned windows and
`x-ratelimit-*` headers; PagerDuty limits per token (960/min) with `ratelimit-*`.
The product's limiter reads these headers before it gets a 429, so the sandbox
must send them on every response, not only on refusals.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Limit:
    limit: int
    period_s: int


def _dd_defaults() -> dict[str, Limit]:
    # Generous defaults (the real per-org limits are negotiated with support);
    # tests lower them to exercise 429s.
    return {
        "monitor_api": Limit(6000, 60),
        "slo_api": Limit(6000, 60),
        "downtime_api": Limit(6000, 60),
        "service_definition_api": Limit(6000, 60),
        "integration_pagerduty_api": Limit(6000, 60),
    }


@dataclass
class RateLimitConfig:
    datadog: dict[str, Limit] = field(default_factory=_dd_defaults)
    pagerduty_per_minute: int = 960
    events_per_minute: int = 120

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Outcome:
    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    def __init__(self, config: RateLimitConfig | None = None, clock: Any = time.time) -> None:
        self.config = config or RateLimitConfig()
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], tuple[int, int]] = {}

    def _hit(self, key: tuple[str, str], limit: Limit) -> tuple[bool, int, int]:
        now = self._clock()
        window = int(now // limit.period_s)
        reset = max(1, math.ceil((window + 1) * limit.period_s - now))
        with self._lock:
            start, used = self._windows.get(key, (window, 0))
            if start != window:
                used = 0
            allowed = used < limit.limit
            if allowed:
                used += 1
            self._windows[key] = (window, used)
        return allowed, limit.limit - used, reset

    def datadog(self, family: str, api_key: str) -> Outcome:
        limit = self.config.datadog.get(family, Limit(6000, 60))
        allowed, remaining, reset = self._hit((family, api_key), limit)
        return Outcome(
            allowed,
            {
                "x-ratelimit-limit": str(limit.limit),
                "x-ratelimit-period": str(limit.period_s),
                "x-ratelimit-remaining": str(max(remaining, 0)),
                "x-ratelimit-reset": str(reset),
                "x-ratelimit-name": family,
            },
        )

    def pagerduty(self, token: str) -> Outcome:
        limit = Limit(self.config.pagerduty_per_minute, 60)
        allowed, remaining, reset = self._hit(("pagerduty", token), limit)
        return Outcome(
            allowed,
            {
                "ratelimit-limit": str(limit.limit),
                "ratelimit-remaining": str(max(remaining, 0)),
                "ratelimit-reset": str(reset),
            },
        )

    def events(self, routing_key: str) -> Outcome:
        allowed, _, _ = self._hit(("events", routing_key), Limit(self.config.events_per_minute, 60))
        return Outcome(allowed, {})
