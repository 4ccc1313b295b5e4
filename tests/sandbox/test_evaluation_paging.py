"""The sandbox's paging, in process: a handle reaches the PagerDuty service through the Datadog service object's
key, and an acknowledgement made through PagerDuty's API halts the escalation from the moment it was made."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.cli import run
from compiler.sandbox import SandboxHandle, start_embedded

T0 = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
STATE = "state"


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_embedded(tmp_path / STATE) as handle:
        handle.set_clock(T0)
        yield handle


def _call(handle: SandboxHandle, method: str, path: str, body: Any = None, *, by: str | None = None) -> Any:
    creds = handle.credentials
    if path.startswith(("/api/", "/_sandbox/")):
        headers = {"DD-API-KEY": creds["datadog_api_key"], "DD-APPLICATION-KEY": creds["datadog_app_key"]}
    else:
        headers = {
            "Authorization": f"Token token={creds['pagerduty_token']}",
            "From": by or creds["pagerduty_from"],
            "Accept": "application/vnd.pagerduty+json;version=2",
        }
    headers["Content-Type"] = "application/json"
    status, raw = handle.call(method, path, headers, json.dumps(body).encode() if body is not None else None)
    assert status < 300, (method, path, status, raw)
    return json.loads(raw) if raw else None


def _user(handle: SandboxHandle, email: str) -> str:
    user = _call(handle, "POST", "/users", {"user": {"type": "user", "name": email, "email": email}})
    return str(user["user"]["id"])


def _account(handle: SandboxHandle, key_of_handle: str | None = None) -> str:
    """Two people, a two-level policy (10 minutes each), a service with a Datadog integration, its handle, a monitor."""
    first, second = _user(handle, "first-responder@example.com"), _user(handle, "second-responder@example.com")
    rules = [
        {"escalation_delay_in_minutes": 10, "targets": [{"id": who, "type": "user_reference"}]}
        for who in (first, second)
    ]
    policy = _call(
        handle,
        "POST",
        "/escalation_policies",
        {"escalation_policy": {"type": "escalation_policy", "name": "api", "escalation_rules": rules}},
    )["escalation_policy"]
    service = _call(
        handle,
        "POST",
        "/services",
        {
            "service": {
                "type": "service",
                "name": "api",
                "escalation_policy": {"id": policy["id"], "type": "escalation_policy_reference"},
            }
        },
    )["service"]
    integration = _call(
        handle,
        "POST",
        f"/services/{service['id']}/integrations",
        {
            "integration": {
                "type": "generic_events_api_inbound_integration",
                "name": "Datadog",
                "vendor": {"id": "PAM4FGS", "type": "vendor_reference"},
            }
        },
    )["integration"]
    key = key_of_handle or integration["integration_key"]
    _call(
        handle,
        "POST",
        "/api/v1/integration/pagerduty/configuration/services",
        {"service_name": "api", "service_key": key},
    )
    _call(
        handle,
        "POST",
        "/api/v1/monitor",
        {
            "name": "API errors",
            "type": "query alert",
            "query": "avg(last_5m):avg:api.errors{*} > 10",
            "message": "API errors are high @pagerduty-api",
            "options": {"thresholds": {"critical": 10}},
            "tags": ["team:api"],
        },
    )
    return str(service["id"])


def _play(handle: SandboxHandle, first: int, last: int) -> None:
    """Minutes ``first``..``last``: 50 errors a minute, the clock following."""
    for minute in range(first, last + 1):
        at = int((T0 + dt.timedelta(minutes=minute)).timestamp())
        body = {"series": [{"metric": "api.errors", "points": [{"timestamp": at, "value": 50}]}]}
        _call(handle, "POST", "/api/v2/series", body)
        _call(handle, "PUT", "/_sandbox/clock", {"set": (T0 + dt.timedelta(minutes=minute)).isoformat()})


def _pages(handle: SandboxHandle) -> list[tuple[str, str]]:
    log = _call(handle, "GET", "/_sandbox/notifications")["notifications"]
    return [(n["at"], n["user"]["email"]) for n in log if n["type"] == "pagerduty_notification"]


def test_an_acknowledgement_through_the_api_halts_the_escalation(sandbox: SandboxHandle) -> None:
    _account(sandbox)
    _play(sandbox, 0, 4)
    [incident] = _call(sandbox, "GET", "/incidents")["incidents"]
    assert incident["status"] == "triggered"
    assert [a["assignee"]["summary"] for a in incident["assignments"]] == ["first-responder@example.com"]
    opened = incident["created_at"]
    _call(
        sandbox,
        "PUT",
        f"/incidents/{incident['id']}",
        {"incident": {"type": "incident", "status": "acknowledged"}},
        by="first-responder@example.com",
    )
    _play(sandbox, 5, 25)  # past the 10-minute escalation delay
    [incident] = _call(sandbox, "GET", "/incidents")["incidents"]
    assert incident["status"] == "acknowledged"
    assert _pages(sandbox) == [(opened, "first-responder@example.com")]  # the second level is never paged


def test_a_handle_whose_key_reaches_no_service_pages_nobody(sandbox: SandboxHandle) -> None:
    _account(sandbox, key_of_handle="0" * 32)
    _play(sandbox, 0, 15)
    monitors = _call(sandbox, "GET", "/api/v1/monitor")
    assert [m["overall_state"] for m in monitors] == ["Alert"]
    groups = _call(sandbox, "GET", "/api/v1/monitor/groups/search?query=status%3Aalert")
    assert [(g["group"], g["status"]) for g in groups["groups"]] == [("*", "Alert")]
    assert _call(sandbox, "GET", "/api/v1/monitor/search?query=status%3Aok")["monitors"] == []
    [found] = _call(sandbox, "GET", "/api/v1/monitor/search?query=status%3Atriggered")["monitors"]
    assert found["status"] == "Alert"
    assert _call(sandbox, "GET", "/incidents")["incidents"] == []
    assert _pages(sandbox) == []


def test_alertc_sandbox_clock_advance_drives_a_serving_sandbox(sandbox: SandboxHandle, tmp_path: Path) -> None:
    """The clock moved by ``alertc sandbox clock`` on the state directory: the serving sandbox catches up."""
    _account(sandbox)
    for minute in range(10):  # up to ten minutes ahead of the clock: accepted
        at = int((T0 + dt.timedelta(minutes=minute)).timestamp())
        body = {"series": [{"metric": "api.errors", "points": [{"timestamp": at, "value": 50}]}]}
        _call(sandbox, "POST", "/api/v2/series", body)
    assert run(["sandbox", "clock", "--state", str(tmp_path / STATE), "--advance", "9m"]) == 0
    [monitor] = _call(sandbox, "GET", "/api/v1/monitor")
    assert monitor["overall_state"] == "Alert"
    assert [who for _, who in _pages(sandbox)] == ["first-responder@example.com"]


def test_a_maintenance_window_keeps_the_service_from_opening_an_incident(sandbox: SandboxHandle) -> None:
    service_id = _account(sandbox)
    window = {
        "type": "maintenance_window",
        "start_time": T0.isoformat(),
        "end_time": (T0 + dt.timedelta(hours=1)).isoformat(),
        "services": [{"id": service_id, "type": "service_reference"}],
    }
    _call(sandbox, "POST", "/maintenance_windows", {"maintenance_window": window})
    _play(sandbox, 0, 10)
    assert [m["overall_state"] for m in _call(sandbox, "GET", "/api/v1/monitor")] == ["Alert"]
    assert _call(sandbox, "GET", "/incidents")["incidents"] == []
    assert _pages(sandbox) == []


def test_a_datadog_downtime_silences_the_monitor(sandbox: SandboxHandle) -> None:
    _account(sandbox)
    schedule = {"start": T0.isoformat(), "end": (T0 + dt.timedelta(hours=1)).isoformat()}
    attributes = {"scope": "*", "monitor_identifier": {"monitor_tags": ["team:api"]}, "schedule": schedule}
    _call(sandbox, "POST", "/api/v2/downtime", {"data": {"type": "downtime", "attributes": attributes}})
    _play(sandbox, 0, 10)
    assert [m["overall_state"] for m in _call(sandbox, "GET", "/api/v1/monitor")] == ["Alert"]
    log = _call(sandbox, "GET", "/_sandbox/notifications")["notifications"]
    assert log == []  # silenced: no notification, so nothing reaches PagerDuty
    assert _call(sandbox, "GET", "/incidents")["incidents"] == []
