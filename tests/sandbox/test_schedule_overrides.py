"""PagerDuty schedule overrides as PagerDuty's reference documents them: above every layer with the last created
winning, listed cut at the asked window (unless `overflow`), `editable` meaning future, deleted only if not past
(an override in progress is cut at now, 200), and honoured by the sandbox's paging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.sandbox import SandboxHandle, start_embedded
from tests.sandbox.test_evaluation_paging import _call, _pages, _play, _user

T0 = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_embedded(tmp_path / "state") as handle:
        handle.set_clock(T0)
        yield handle


def _iso(minutes: float) -> str:
    return (T0 + dt.timedelta(minutes=minutes)).isoformat()


def _z(minutes: float) -> str:
    """How the answers write an instant of an `Etc/UTC` schedule."""
    return (T0 + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _schedule(handle: SandboxHandle, user: str) -> str:
    layer = {
        "name": "Weekly",
        "start": _iso(-60 * 24),
        "rotation_virtual_start": _iso(-60 * 24),
        "rotation_turn_length_seconds": 7 * 86400,
        "users": [{"user": {"id": user, "type": "user_reference"}}],
    }
    body = {"schedule": {"type": "schedule", "name": "Primary", "time_zone": "Etc/UTC", "schedule_layers": [layer]}}
    return str(_call(handle, "POST", "/schedules", body)["schedule"]["id"])


def _override(handle: SandboxHandle, schedule: str, user: str, start: float, end: float) -> dict[str, Any]:
    body = {"overrides": [{"start": _iso(start), "end": _iso(end), "user": {"id": user, "type": "user_reference"}}]}
    [made] = _call(handle, "POST", f"/schedules/{schedule}/overrides", body)
    assert made["status"] == 201
    return dict(made["override"])


def _pd(handle: SandboxHandle, method: str, path: str) -> int:
    creds = handle.credentials
    headers = {
        "Authorization": f"Token token={creds['pagerduty_token']}",
        "Accept": "application/vnd.pagerduty+json;version=2",
    }
    return handle.call(method, path, headers, None)[0]


def test_the_last_created_override_wins_and_lists_follow_the_window(sandbox: SandboxHandle) -> None:
    regular, first, second = (_user(sandbox, f"{n}@example.com") for n in ("regular", "first", "second"))
    schedule = _schedule(sandbox, regular)
    _override(sandbox, schedule, first, 60, 180)
    _override(sandbox, schedule, second, 120, 240)
    window = f"since={_iso(0)}&until={_iso(600)}".replace("+", "%2B")
    final = _call(sandbox, "GET", f"/schedules/{schedule}?{window}")["schedule"]["final_schedule"]
    owners = [(e["start"], e["user"]["id"]) for e in final["rendered_schedule_entries"]]
    assert owners == [(_z(0), regular), (_z(60), first), (_z(120), second), (_z(240), regular)]
    cut = f"since={_iso(90)}&until={_iso(200)}".replace("+", "%2B")
    listed = _call(sandbox, "GET", f"/schedules/{schedule}/overrides?{cut}")["overrides"]
    assert [(o["start"], o["end"]) for o in listed] == [(_z(90), _z(180)), (_z(120), _z(200))]
    whole = _call(sandbox, "GET", f"/schedules/{schedule}/overrides?{cut}&overflow=true")["overrides"]
    assert [(o["start"], o["end"]) for o in whole] == [(_z(60), _z(180)), (_z(120), _z(240))]
    assert len(_call(sandbox, "GET", f"/schedules/{schedule}/overrides?{cut}&editable=true")["overrides"]) == 2


def test_deleting_an_override_depends_on_when_it_is(sandbox: SandboxHandle) -> None:
    regular, other = _user(sandbox, "regular@example.com"), _user(sandbox, "other@example.com")
    schedule = _schedule(sandbox, regular)
    past, running, future = (_override(sandbox, schedule, other, s, e) for s, e in ((10, 20), (30, 90), (120, 180)))
    sandbox.set_clock(T0 + dt.timedelta(minutes=60))
    assert _pd(sandbox, "DELETE", f"/schedules/{schedule}/overrides/{past['id']}") == 400
    assert _pd(sandbox, "DELETE", f"/schedules/{schedule}/overrides/{running['id']}") == 200
    assert _pd(sandbox, "DELETE", f"/schedules/{schedule}/overrides/{future['id']}") == 204
    window = f"since={_iso(0)}&until={_iso(600)}".replace("+", "%2B")
    left = _call(sandbox, "GET", f"/schedules/{schedule}/overrides?{window}")["overrides"]
    assert [(o["id"], o["end"]) for o in left] == [(past["id"], _z(20)), (running["id"], _z(60))]


def test_a_page_reaches_whoever_an_override_put_on_call(sandbox: SandboxHandle) -> None:
    regular, stand_in = _user(sandbox, "regular@example.com"), _user(sandbox, "stand-in@example.com")
    schedule = _schedule(sandbox, regular)
    _override(sandbox, schedule, stand_in, 0, 60)
    rules = [{"escalation_delay_in_minutes": 30, "targets": [{"id": schedule, "type": "schedule_reference"}]}]
    policy = _call(
        sandbox,
        "POST",
        "/escalation_policies",
        {"escalation_policy": {"type": "escalation_policy", "name": "api", "escalation_rules": rules}},
    )["escalation_policy"]
    reference = {"id": policy["id"], "type": "escalation_policy_reference"}
    service = _call(
        sandbox, "POST", "/services", {"service": {"type": "service", "name": "api", "escalation_policy": reference}}
    )
    integration = {"type": "generic_events_api_inbound_integration", "name": "Datadog"}
    integration["vendor"] = {"id": "PAM4FGS", "type": "vendor_reference"}
    made = _call(sandbox, "POST", f"/services/{service['service']['id']}/integrations", {"integration": integration})
    key = made["integration"]["integration_key"]
    _call(
        sandbox,
        "POST",
        "/api/v1/integration/pagerduty/configuration/services",
        {"service_name": "api", "service_key": key},
    )
    monitor = {"name": "API errors", "type": "query alert", "query": "avg(last_5m):avg:api.errors{*} > 10"}
    monitor.update(message="API errors are high @pagerduty-api", options={"thresholds": {"critical": 10}})
    _call(sandbox, "POST", "/api/v1/monitor", monitor)
    _play(sandbox, 0, 4)
    assert [who for _, who in _pages(sandbox)] == ["stand-in@example.com"]


def test_oncalls_answer_who_is_on_call_overrides_included(sandbox: SandboxHandle) -> None:
    regular, stand_in, lead = (_user(sandbox, f"{n}@example.com") for n in ("regular", "stand-in", "lead"))
    schedule = _schedule(sandbox, regular)
    _override(sandbox, schedule, stand_in, -30, 30)
    rules = [
        {"escalation_delay_in_minutes": 30, "targets": [{"id": schedule, "type": "schedule_reference"}]},
        {"escalation_delay_in_minutes": 30, "targets": [{"id": lead, "type": "user_reference"}]},
    ]
    body = {"escalation_policy": {"type": "escalation_policy", "name": "api", "escalation_rules": rules}}
    policy = _call(sandbox, "POST", "/escalation_policies", body)["escalation_policy"]["id"]
    now = _call(sandbox, "GET", "/oncalls?time_zone=Etc/UTC")
    assert [(o["escalation_level"], o["user"]["id"], o["start"], o["end"]) for o in now["oncalls"]] == [
        (1, stand_in, _z(-30), _z(30)),
        (2, lead, None, None),
    ]
    assert now["oncalls"][0]["schedule"]["id"] == schedule and now["oncalls"][1]["schedule"] is None
    window = f"since={_iso(0)}&until={_iso(120)}".replace("+", "%2B")
    shifts = _call(sandbox, "GET", f"/oncalls?time_zone=Etc/UTC&{window}&schedule_ids[]={schedule}")["oncalls"]
    assert [(o["user"]["id"], o["start"]) for o in shifts] == [(stand_in, _z(-30)), (regular, _z(30))]
    assert all(o["escalation_policy"]["id"] == policy for o in shifts)
    mine = _call(sandbox, "GET", f"/oncalls?{window}&user_ids[]={regular}&earliest=true")["oncalls"]
    assert [o["user"]["id"] for o in mine] == [regular]
