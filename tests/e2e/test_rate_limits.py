"""The limiter reads the rate-limit headers and paces requests before the API says 429."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from compiler.sandbox import FaultConfig, Limit, RateLimitConfig, start_embedded
from tests.e2e.conftest import PINNED_NOW, World, _add_people, _add_referenced


def test_tight_monitor_rate_limit_is_respected_without_429s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    limits.datadog["monitor_api"] = Limit(12, 1)  # 12 requests per 1-second window
    with start_embedded(tmp_path / "sandbox", rate_limits=limits) as handle:
        handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW))
        for name, value in {
            "DD_API_KEY": handle.credentials["datadog_api_key"],
            "DD_APP_KEY": handle.credentials["datadog_app_key"],
            "PAGERDUTY_TOKEN": handle.credentials["pagerduty_token"],
            "PAGERDUTY_FROM": handle.credentials["pagerduty_from"],
            "ALERTC_DATADOG_URL": handle.datadog_url,
            "ALERTC_PAGERDUTY_URL": handle.pagerduty_url,
            "ALERTC_CA_FILE": str(handle.ca_file),
            "ALERTC_NOW": PINNED_NOW,
        }.items():
            monkeypatch.setenv(name, value)
        world = World(handle, capsys, tmp_path)
        _add_people(world)
        _add_referenced()
        statuses: Counter[int] = Counter()
        monitor_calls: list[str] = []

        def observe(req: object, resp: object) -> None:
            statuses[getattr(resp, "status", 0)] += 1
            if getattr(req, "path", "").startswith("/api/v1/monitor"):
                headers = getattr(resp, "headers", {}) or {}
                monitor_calls.append(
                    f"{getattr(req, 'method', '')} -> remaining {headers.get('x-ratelimit-remaining')}"
                )

        handle.observe(observe)
        assert world.plan().code == 0
        applied = world.apply()
        handle.observe(None)
    assert applied.code == 0, applied.err
    assert len(monitor_calls) > 3 * 12  # enough monitor requests to cross several windows
    assert statuses[429] == 0, "\n".join(monitor_calls)


def _seed_bursting_once(rate: float, *, later: int) -> int:
    """A seed whose first draw starts a 429 burst and whose next ``later`` draws do not (one draw per request)."""
    for seed in range(10_000):
        draws = random.Random(seed)
        if draws.random() < rate and all(draws.random() >= rate for _ in range(later)):
            return seed
    raise AssertionError("no seed found")


def test_a_429_on_a_referenced_status_service_lookup_is_waited_out(world: World) -> None:
    """Plan's check of ``pagerduty_service`` ids is one GET per id; a 429 there is retried like any read.

    Before the fix, this GET went around the retry policy and a 429 surfaced as
    ``internal error: RateLimited`` (seen in ``make chaos``).
    """
    world.handle.set_faults(
        FaultConfig(burst_429_rate=0.3, burst_429_length=2, paths=["/services/P"], methods=["GET"]),
        seed=_seed_bursting_once(0.3, later=5),
    )
    plan = world.plan("-v")
    world.handle.set_faults(FaultConfig())
    assert plan.code == 0, plan.err
    assert "internal error" not in plan.err
    assert re.search(r"^retry: get service P\w+: HTTP 429; attempt 2 in ", plan.err, re.MULTILINE), plan.err
