"""Plan-time monitor validation: concurrent within the validate endpoint's rate-limit headers."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from compiler.engine import validate_monitors
from compiler.errors import PlanError
from compiler.events import ignore
from compiler.kinds.datadog.monitor import Monitor
from compiler.plan import Change, Plan
from compiler.providers.ratelimit import RateLimiter


def _plan(count: int) -> Plan:
    plan = Plan(created_at="2026-11-30T00:00:00+00:00", definitions_digest="d", target={})
    for i in range(count):
        body = {"name": f"m{i}", "type": "metric alert", "query": f"avg(last_5m):avg:a{{x:{i}}} > 1"}
        plan.changes.append(Change("create", f"datadog:monitor/m{i}", "datadog", "monitor", f"m{i}", desired=body))
    return plan


class Validator:
    """Holds each call until ``expected`` calls are in flight (or a second passes), so the peak is exact."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.changed = threading.Condition()
        self.now = self.peak = self.calls = 0

    def validate(self, body: dict[str, Any]) -> str | None:
        with self.changed:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.now >= self.expected, timeout=1.0)
        with self.changed:
            self.now -= 1
        return "bad query" if body["name"] == "m7" else None


def _session(limit: int) -> Any:
    limiter = RateLimiter("datadog", low_water=2, max_in_flight=16, unknown_in_flight=2)
    limiter.observe(
        "datadog:monitors",
        {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(limit), "x-ratelimit-reset": "30"},
    )
    return SimpleNamespace(datadog=SimpleNamespace(limiter=limiter), observer=ignore)


def test_validations_run_concurrently_within_the_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    validator = Validator(expected=16)
    monkeypatch.setattr(Monitor, "validate", lambda _kind, _clients, body, _live_id: validator.validate(body))
    with pytest.raises(PlanError) as raised:
        validate_monitors(_plan(60), _session(limit=6000))
    assert validator.calls == 60
    assert validator.peak == 16  # a tenth of 6000, capped at 16: not one at a time
    assert str(raised.value).startswith("datadog:monitor/m7: Datadog rejects this monitor: bad query")


def test_a_small_validate_limit_keeps_them_few(monkeypatch: pytest.MonkeyPatch) -> None:
    validator = Validator(expected=3)
    monkeypatch.setattr(Monitor, "validate", lambda _kind, _clients, body, _live_id: validator.validate(body))
    with pytest.raises(PlanError):
        validate_monitors(_plan(20), _session(limit=30))
    assert validator.peak == 3
