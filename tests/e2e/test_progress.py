"""Progress and verbosity end to end: -q, -v (requests, rate-limit waits, no secrets), the apply report's ids.

The terminal behaviour is checked in ``test_progress_tty.py`` with a real pseudo-terminal.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox import Limit, RateLimitConfig, start_embedded
from compiler.sandbox.faults import FaultConfig
from tests.e2e.conftest import PINNED_NOW, World


def test_quiet_prints_nothing_on_stderr_for_a_no_change_plan(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    quiet = world.plan("-q", "--detailed-exitcode")
    assert quiet.code == 0, quiet.err
    assert quiet.err == ""
    assert "No changes. Live state matches the definitions." in quiet.out


def test_the_text_apply_report_lists_the_created_ids(world: World) -> None:
    assert world.plan().code == 0
    applied = world.apply()
    assert applied.code == 0, applied.err
    created = re.findall(r"^applied: create (datadog:monitor/\S+) \(id (\d+)\)$", applied.out, re.MULTILINE)
    assert created, applied.out
    with world.datadog() as client:
        monitors = MonitorsApi(client)
        for address, monitor_id in created[:3]:
            live = monitors.get_monitor(int(monitor_id))
            assert f"alertc-key:monitor/{address.split('/', 1)[1]}" in live["tags"]


def test_the_json_apply_report_has_a_stable_shape_and_the_created_ids(world: World) -> None:
    assert world.plan().code == 0
    applied = world.apply("--format", "json")
    assert applied.code == 0, applied.err
    report = json.loads(applied.out)  # standard output is the JSON document and nothing else
    assert set(report) == {
        "version",
        "target",
        "ok",
        "applied",
        "created",
        "already_applied",
        "already_gone",
        "interrupted",
        "found_after_lost_response",
        "yielded_to_older",
        "failed",
        "not_applied",
        "summary",
        "banner_config",
    }
    assert report["version"] == 1 and report["ok"] is True
    assert report["target"]["name"] == "production"
    creates = {c["address"]: c["id"] for c in report["applied"] if c["action"] == "create"}
    assert creates and all(creates.values())
    assert report["created"] == creates
    assert report["summary"] == {"applied": len(report["applied"]), "already_applied": 0, "failed": 0, "not_applied": 0}
    assert report["failed"] == [] and report["not_applied"] == []
    assert report["banner_config"] == "plans/banner-config.json" or report["banner_config"] is None
    with world.datadog() as client:
        monitor_ids = [i for a, i in creates.items() if a.startswith("datadog:monitor/")]
        assert MonitorsApi(client).get_monitor(int(monitor_ids[0]))["id"] == int(monitor_ids[0])

    nothing = world.alertc("apply", "--yes", "--format", "json")  # nothing left to apply: still one JSON document
    assert nothing.code == 0, nothing.err
    empty = json.loads(nothing.out)
    assert empty["ok"] is True and empty["applied"] == [] and empty["created"] == {}


def test_verbose_shows_requests_and_rate_limit_waits_and_never_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    limits.datadog["monitor_api"] = Limit(2, 1)  # after the first monitor request, the budget is spent
    with start_embedded(tmp_path / "sandbox", rate_limits=limits) as handle:
        creds = handle.credentials
        for name, value in {
            "DD_API_KEY": creds["datadog_api_key"],
            "DD_APP_KEY": creds["datadog_app_key"],
            "PAGERDUTY_TOKEN": creds["pagerduty_token"],
            "PAGERDUTY_FROM": creds["pagerduty_from"],
            "ALERTC_DATADOG_URL": handle.datadog_url,
            "ALERTC_PAGERDUTY_URL": handle.pagerduty_url,
            "ALERTC_CA_FILE": str(handle.ca_file),
            "ALERTC_NOW": PINNED_NOW,
        }.items():
            monkeypatch.setenv(name, value)
        world = World(handle, capsys, tmp_path)
        assert world.alertc("init", str(tmp_path / "repo")).code == 0
        known = {user["email"] for user in world.pagerduty().list_all("users")}
        for email in {"alice@example.com", "bob@example.com"} - known:  # a real account has its people
            world.pagerduty().rpost("users", json={"user": {"type": "user", "name": email, "email": email}})
        verbose = world.plan("-v", definitions=tmp_path / "repo" / "definitions")
    assert verbose.code == 0, verbose.err
    assert re.search(r"^datadog: GET /api/v1/monitor -> 200 \(\d+ ms\)$", verbose.err, re.MULTILINE), verbose.err
    assert re.search(r"^pagerduty: GET /users -> 200 \(\d+ ms\)$", verbose.err, re.MULTILINE), verbose.err
    assert re.search(r"^rate limit: datadog \S+: waiting \d+\.\ds$", verbose.err, re.MULTILINE), verbose.err
    for secret in (creds["datadog_api_key"], creds["datadog_app_key"], creds["pagerduty_token"]):
        assert secret not in verbose.err and secret not in verbose.out


def test_quiet_and_verbose_together_is_a_usage_error(world: World) -> None:
    both = world.plan("-q", "-v")
    assert both.code != 0
    assert "cannot be combined" in both.err


def test_quiet_plan_still_fails_loudly(world: World, tmp_path: Path) -> None:
    """-q silences progress, never errors."""
    missing = world.plan("-q", definitions=tmp_path / "nowhere")
    assert missing.code == 1
    assert missing.err.strip()


def _seed_failing_once(rate: float) -> int:
    """A seed whose first draw fails a request and second passes (one draw per request: no jitter, no other fault)."""
    for seed in range(1000):
        draws = random.Random(seed)
        if draws.random() < rate <= draws.random():
            return seed
    raise AssertionError("no seed found")


def test_verbose_shows_a_retry(world: World) -> None:
    world.handle.set_faults(
        FaultConfig(error_rate=0.5, error_status=503, paths=["/api/v2/downtime"], methods=["GET"]),
        seed=_seed_failing_once(0.5),
    )
    verbose = world.plan("-v")
    world.handle.set_faults(FaultConfig())
    assert verbose.code == 0, verbose.err
    assert re.search(r"^datadog: GET /api/v2/downtime -> 503 \(\d+ ms\)$", verbose.err, re.MULTILINE), verbose.err
    assert re.search(r"^retry: list downtimes: HTTP 503; attempt 2 in \d+\.\ds$", verbose.err, re.MULTILINE)
    assert re.search(r"^datadog: GET /api/v2/downtime -> 200 \(\d+ ms\)$", verbose.err, re.MULTILINE)
