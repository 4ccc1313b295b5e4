"""The sandbox clock (issue 14): set, advance, reset; time-derived statuses follow it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from compiler.sandbox import SandboxHandle, start_embedded
from compiler.sandbox.cli import sandbox_group
from tests.sandbox.conftest import pagerduty_client
from tests.sandbox.http import dd_headers, send

T0 = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


@pytest.fixture()
def sb(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_embedded(tmp_path / "state") as handle:
        yield handle


def _clock(sb: SandboxHandle, body: Any) -> Any:
    answer = send(sb, "PUT", "/_sandbox/clock", json.dumps(body).encode(), sb.admin_headers())
    assert answer.status == 200, answer.raw
    return answer.json()


def test_downtime_is_scheduled_before_its_start_and_active_after(sb: SandboxHandle) -> None:
    _clock(sb, {"set": _iso(T0)})
    body = {
        "data": {
            "type": "downtime",
            "attributes": {
                "scope": "env:prod",
                "monitor_identifier": {"monitor_tags": ["team:x"]},
                "schedule": {"start": _iso(T0 + dt.timedelta(hours=1)), "end": _iso(T0 + dt.timedelta(hours=3))},
            },
        }
    }
    created = send(sb, "POST", "/api/v2/downtime", json.dumps(body).encode(), dd_headers(sb)).json()
    path = f"/api/v2/downtime/{created['data']['id']}"

    def status() -> str:
        return str(send(sb, "GET", path, headers=dd_headers(sb)).json()["data"]["attributes"]["status"])

    assert status() == "scheduled"
    _clock(sb, {"set": _iso(T0 + dt.timedelta(hours=2))})
    assert status() == "active"
    _clock(sb, {"advance": "2h"})
    assert status() == "ended"
    assert _clock(sb, {"reset": True})["frozen"] is False
    assert status() == "scheduled"  # real time again, years before the 2030 start


def test_maintenance_window_and_service_status_follow_the_clock(sb: SandboxHandle) -> None:
    _clock(sb, {"set": _iso(T0)})
    pd = pagerduty_client(sb)
    user = pd.rget("users")[0]
    rule = {"escalation_delay_in_minutes": 30, "targets": [{"type": "user_reference", "id": user["id"]}]}
    policy = pd.rpost(
        "escalation_policies",
        json={"escalation_policy": {"type": "escalation_policy", "name": "ep", "escalation_rules": [rule]}},
    )
    service = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "svc",
                "escalation_policy": {"type": "escalation_policy_reference", "id": policy["id"]},
            }
        },
    )
    window = {
        "type": "maintenance_window",
        "start_time": _iso(T0 + dt.timedelta(hours=1)),
        "end_time": _iso(T0 + dt.timedelta(hours=2)),
        "services": [{"type": "service_reference", "id": service["id"]}],
    }
    mw = pd.rpost("maintenance_windows", json={"maintenance_window": window})

    def phase_and_status() -> tuple[list[str], str]:
        ongoing = [m["id"] for m in pd.rget("maintenance_windows", params={"filter": "ongoing"})]
        return ongoing, str(pd.rget(f"services/{service['id']}")["status"])

    assert phase_and_status() == ([], "active")
    _clock(sb, {"advance": 5400})
    assert phase_and_status() == ([mw["id"]], "maintenance")
    _clock(sb, {"advance": "1h"})
    assert phase_and_status() == ([], "active")


def test_clock_admin_requires_credentials_and_rejects_bad_commands(sb: SandboxHandle) -> None:
    assert send(sb, "PUT", "/_sandbox/clock", b'{"reset": true}').status == 401
    for bad in ({"set": "tomorrow"}, {"advance": "soon"}, {"set": _iso(T0), "advance": 1}, {"reset": False}, []):
        answer = send(sb, "PUT", "/_sandbox/clock", json.dumps(bad).encode(), sb.admin_headers())
        assert answer.status == 400, bad


def test_cli_clock_moves_the_clock_of_a_sandbox_on_the_same_state(tmp_path: Path) -> None:
    state = tmp_path / "state"
    runner = CliRunner()
    with start_embedded(state) as sb:
        result = runner.invoke(sandbox_group, ["clock", "--state", str(state), "--set", "2030-01-07T09:00:00Z"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == {"now": "2030-01-07T09:00:00+00:00", "frozen": True}
        result = runner.invoke(sandbox_group, ["clock", "--state", str(state), "--advance", "90m"])
        assert json.loads(result.output)["now"] == "2030-01-07T10:30:00+00:00"
        seen = send(sb, "GET", "/_sandbox/clock", headers=sb.admin_headers()).json()
        assert seen == {"now": "2030-01-07T10:30:00+00:00", "frozen": True}
        result = runner.invoke(sandbox_group, ["clock", "--state", str(state), "--reset"])
        assert json.loads(result.output)["frozen"] is False
    both = runner.invoke(sandbox_group, ["clock", "--state", str(state), "--reset", "--advance", "1h"])
    assert both.exit_code == 2 and "give one of" in both.output
    bad = runner.invoke(sandbox_group, ["clock", "--state", str(state), "--set", "noon"])
    assert bad.exit_code == 2 and "ISO 8601" in bad.output and "Traceback" not in bad.output
