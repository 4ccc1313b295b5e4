"""PagerDuty endpoints driven only through python-pagerduty (REST and Events API v2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pagerduty
import pytest

from compiler.sandbox import SandboxHandle
from tests.sandbox.conftest import events_client, pagerduty_client


def _ep(pd: pagerduty.RestApiV2Client, name: str, targets: list[dict[str, str]] | None = None) -> Any:
    return pd.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": name,
                "escalation_rules": [
                    {
                        "escalation_delay_in_minutes": 30,
                        "targets": targets or [{"id": "PUSER01", "type": "user_reference"}],
                    }
                ],
            }
        },
    )


def _service(pd: pagerduty.RestApiV2Client, name: str, **extra: Any) -> Any:
    ep = _ep(pd, f"EP for {name}")
    return pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": name,
                "escalation_policy": {"id": ep["id"], "type": "escalation_policy_reference"},
                **extra,
            }
        },
    )


def test_auth_and_error_bodies(sandbox: SandboxHandle) -> None:
    bad = SandboxHandle(**{**sandbox.__dict__, "credentials": {**sandbox.credentials, "pagerduty_token": "wrong"}})
    client = pagerduty_client(bad)
    with pytest.raises(pagerduty.HttpError) as exc:
        client.get("/services")
    assert exc.value.response.status_code == 401
    assert exc.value.response.json() == {"error": {"message": "Authentication failed", "code": 2006}}
    good = pagerduty_client(sandbox)
    missing = good.get("/services/PNOPE00")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 5002
    assert good.get("/services").headers["ratelimit-limit"] == "100000"


def test_directory_is_seeded(pd: pagerduty.RestApiV2Client) -> None:
    assert pd.find("users", "sandbox-admin@example.com", attribute="email")["id"] == "PSANDB0"
    assert [p["name"] for p in pd.list_all("priorities")] == ["P1", "P2", "P3", "P4", "P5"]
    assert pd.rget("vendors/PAM4FGS")["name"] == "Datadog"
    assert pd.find("teams", "Platform")["id"] == "PTEAM01"
    assert pd.rget("users/PUSER01")["email"] == "alice@example.com"
    team = pd.rpost("teams", json={"team": {"type": "team", "name": "SRE"}})
    assert pd.rget(f"teams/{team['id']}")["name"] == "SRE"
    user = pd.rpost("users", json={"user": {"type": "user", "name": "Dan", "email": "dan@example.com"}})
    assert user["email"] == "dan@example.com"


def test_service_lifecycle_and_quirks(pd: pagerduty.RestApiV2Client) -> None:
    svc = _service(pd, "Checkout", description="", acknowledgement_timeout=0, auto_resolve_timeout=None)
    assert svc["status"] == "active" and svc["acknowledgement_timeout"] is None
    assert svc["auto_resolve_timeout"] is None and svc["description"] is None
    assert svc["alert_grouping_parameters"] == {"type": None, "config": None}
    with pytest.raises(pagerduty.HttpError) as exc:
        _service(pd, "Checkout")
    assert exc.value.response.status_code == 400
    with pytest.raises(pagerduty.HttpError) as exc:
        _service(pd, "Bad urgency", incident_urgency_rule={"type": "constant", "urgency": "loud"})
    assert exc.value.response.json()["error"]["code"] == 2001
    assert "urgency" in exc.value.response.json()["error"]["errors"][0]
    updated = pd.rput(
        f"services/{svc['id']}",
        json={
            "service": {
                "type": "service",
                "name": "Checkout",
                "status": "disabled",
                "escalation_policy": svc["escalation_policy"],
            }
        },
    )
    assert updated["status"] == "disabled" and updated["name"] == "Checkout"
    assert pd.find("services", "Checkout")["id"] == svc["id"]
    pd.rdelete(f"services/{svc['id']}")
    assert pd.get(f"services/{svc['id']}").status_code == 404


def test_support_hours_and_time_zones(pd: pagerduty.RestApiV2Client) -> None:
    rule = {
        "type": "use_support_hours",
        "during_support_hours": {"type": "constant", "urgency": "high"},
        "outside_support_hours": {"type": "constant", "urgency": "low"},
    }
    hours = {
        "type": "fixed_time_per_day",
        "time_zone": "Etc/UTC",
        "start_time": "09:00:00",
        "end_time": "17:00:00",
        "days_of_week": [5, 1, 2, 3, 4],
    }
    svc = _service(pd, "Hours", incident_urgency_rule=rule, support_hours=hours, scheduled_actions=[])
    assert svc["support_hours"]["start_time"] == "09:00:00" and svc["support_hours"]["days_of_week"] == [1, 2, 3, 4, 5]
    with pytest.raises(pagerduty.HttpError):
        _service(pd, "Hours UTC", incident_urgency_rule=rule, support_hours={**hours, "time_zone": "UTC"})


def test_integrations_and_events_drive_status(sandbox: SandboxHandle, pd: pagerduty.RestApiV2Client) -> None:
    svc = _service(pd, "Payments API")
    dd_int = pd.rpost(
        f"services/{svc['id']}/integrations",
        json={
            "integration": {
                "type": "generic_events_api_inbound_integration",
                "name": "Datadog",
                "vendor": {"id": "PAM4FGS", "type": "vendor_reference"},
            }
        },
    )
    key = pd.rget(f"services/{svc['id']}/integrations/{dd_int['id']}")["integration_key"]
    assert len(key) == 32 and dd_int["vendor"]["id"] == "PAM4FGS"
    assert pd.rget(f"services/{svc['id']}")["integrations"][0]["id"] == dd_int["id"]
    renamed = pd.rput(
        f"services/{svc['id']}/integrations/{dd_int['id']}",
        json={"integration": {"type": dd_int["type"], "name": "Datadog (prod)"}},
    )
    assert renamed["name"] == "Datadog (prod)"
    events = events_client(sandbox, key)
    stamp = dt.datetime.now(dt.UTC).isoformat()
    dedup = events.send_event(
        "trigger",
        payload={"summary": "cpu high", "source": "dd", "severity": "critical", "timestamp": stamp},
        dedup_key="alert-1",
    )
    assert dedup == "alert-1"
    assert pd.rget(f"services/{svc['id']}")["status"] == "critical"
    incidents = pd.list_all("incidents", params={"service_ids[]": [svc["id"]], "statuses[]": ["triggered"]})
    assert len(incidents) == 1 and pd.rget(f"incidents/{incidents[0]['id']}")["incident_key"] == "alert-1"
    events.acknowledge("alert-1")
    assert pd.rget(f"services/{svc['id']}")["status"] == "warning"
    events.resolve("alert-1")
    assert pd.rget(f"services/{svc['id']}")["status"] == "active"
    with pytest.raises(pagerduty.Error):
        events.send_event("trigger", payload={"summary": "x", "source": "", "severity": "critical"})
    pd.rdelete(f"services/{svc['id']}/integrations/{dd_int['id']}")


def test_maintenance_windows(pd: pagerduty.RestApiV2Client) -> None:
    svc = _service(pd, "Maint")
    now = dt.datetime.now(dt.UTC)
    ongoing = pd.rpost(
        "maintenance_windows",
        json={
            "maintenance_window": {
                "type": "maintenance_window",
                "start_time": (now - dt.timedelta(hours=1)).isoformat(),
                "end_time": (now + dt.timedelta(hours=1)).isoformat(),
                "description": "deploy",
                "services": [{"id": svc["id"], "type": "service_reference"}],
            }
        },
    )
    assert dt.datetime.fromisoformat(ongoing["start_time"]) >= now.replace(microsecond=0)
    assert pd.rget(f"services/{svc['id']}")["status"] == "maintenance"
    listed = pd.list_all("maintenance_windows", params={"filter": "ongoing", "service_ids[]": [svc["id"]]})
    assert [m["id"] for m in listed] == [ongoing["id"]]
    pd.rdelete(f"maintenance_windows/{ongoing['id']}")  # ends it now
    assert pd.rget(f"services/{svc['id']}")["status"] == "active"
    resp = pd.delete(f"maintenance_windows/{ongoing['id']}")
    assert resp.status_code == 405 and resp.json()["error"]["code"] == 5003
    resp = pd.post(
        "maintenance_windows",
        json={
            "maintenance_window": {
                "type": "maintenance_window",
                "start_time": now.isoformat(),
                "end_time": (now + dt.timedelta(hours=1)).isoformat(),
                "services": [{"id": svc["id"], "type": "service_reference"}],
            }
        },
        headers={"From": "nobody@example.com"},
    )
    assert resp.status_code == 400 and "From" in resp.json()["error"]["errors"][0]


def test_escalation_policies(pd: pagerduty.RestApiV2Client) -> None:
    ep = _ep(pd, "Primary", [{"id": "PUSER01", "type": "user"}, {"id": "PUSER02", "type": "user_reference"}])
    assert ep["escalation_rules"][0]["targets"][0]["type"] == "user_reference" and ep["num_loops"] == 0
    assert ep["on_call_handoff_notifications"] == "if_has_services"
    with pytest.raises(pagerduty.HttpError):
        _ep(pd, "bad/name")
    with pytest.raises(pagerduty.HttpError):
        _ep(pd, "ghost", [{"id": "PNOUSER", "type": "user_reference"}])
    svc = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "Uses primary",
                "escalation_policy": {"id": ep["id"], "type": "escalation_policy_reference"},
            }
        },
    )
    resp = pd.delete(f"escalation_policies/{ep['id']}")
    assert resp.status_code == 400
    assert pd.rget(f"escalation_policies/{ep['id']}")["services"][0]["id"] == svc["id"]
    pd.rdelete(f"services/{svc['id']}")
    pd.rput(
        f"escalation_policies/{ep['id']}",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "Primary",
                "num_loops": 2,
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 10, "targets": [{"id": "PUSER02", "type": "user_reference"}]}
                ],
            }
        },
    )
    pd.rdelete(f"escalation_policies/{ep['id']}")


def _layer(name: str, users: list[str], start: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "start": start.isoformat(),
        "rotation_virtual_start": start.isoformat(),
        "rotation_turn_length_seconds": 86400,
        "users": [{"user": {"id": u, "type": "user_reference"}} for u in users],
        **extra,
    }


def test_schedules_render_and_quirks(pd: pagerduty.RestApiV2Client) -> None:
    past = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    sched = pd.rpost(
        "schedules",
        json={
            "schedule": {
                "type": "schedule",
                "name": "Primary",
                "time_zone": "Asia/Tokyo",
                "schedule_layers": [
                    _layer("L1", ["PUSER01", "PUSER02"], past),
                    _layer(
                        "L2",
                        ["PUSER03"],
                        past,
                        restrictions=[
                            {"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 3600}
                        ],
                    ),
                ],
            }
        },
    )
    assert [layer["name"] for layer in sched["schedule_layers"]] == ["L2", "L1"]  # reversed
    assert sched["schedule_layers"][0]["start"].endswith("+09:00")  # schedule offset
    assert dt.datetime.fromisoformat(sched["schedule_layers"][0]["start"]) > past  # rewritten to now
    since = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    until = since + dt.timedelta(days=2)
    got = pd.rget(f"schedules/{sched['id']}", params={"since": since.isoformat(), "until": until.isoformat()})
    entries = got["final_schedule"]["rendered_schedule_entries"]
    assert got["final_schedule"]["rendered_coverage_percentage"] == 100.0
    assert {e["user"]["id"] for e in entries} == {"PUSER01", "PUSER02", "PUSER03"}
    pd.rpost(
        f"schedules/{sched['id']}/overrides",
        json={
            "overrides": [
                {
                    "start": since.isoformat(),
                    "end": (since + dt.timedelta(hours=1)).isoformat(),
                    "user": {"id": "PSANDB0", "type": "user_reference"},
                }
            ]
        },
    )
    got = pd.rget(f"schedules/{sched['id']}", params={"since": since.isoformat(), "until": until.isoformat()})
    assert got["final_schedule"]["rendered_schedule_entries"][0]["user"]["id"] == "PSANDB0"
    assert (
        len(
            pd.rget(
                f"schedules/{sched['id']}/overrides", params={"since": since.isoformat(), "until": until.isoformat()}
            )
        )
        == 1
    )
    with pytest.raises(pagerduty.HttpError):
        pd.rpost(
            "schedules",
            json={
                "schedule": {
                    "type": "schedule",
                    "name": "x",
                    "time_zone": "UTC",
                    "schedule_layers": [_layer("L", ["PUSER01"], past)],
                }
            },
        )
    ep = _ep(pd, "Sched EP", [{"id": sched["id"], "type": "schedule_reference"}])
    assert pd.delete(f"schedules/{sched['id']}").status_code == 400
    pd.rdelete(f"escalation_policies/{ep['id']}")
    pd.rput(
        f"schedules/{sched['id']}",
        json={
            "schedule": {
                "type": "schedule",
                "name": "Primary 2",
                "time_zone": "Asia/Tokyo",
                "schedule_layers": [_layer("L1", ["PUSER01"], past)],
            }
        },
    )
    assert pd.find("schedules", "Primary 2")["id"] == sched["id"]
    preview = pd.post(
        "schedules/preview",
        json={
            "schedule": {
                "type": "schedule",
                "name": "p",
                "time_zone": "Etc/UTC",
                "schedule_layers": [_layer("L", ["PUSER01"], past)],
            }
        },
    )
    assert preview.status_code == 200
    pd.rdelete(f"schedules/{sched['id']}")


def test_classic_pagination(pd: pagerduty.RestApiV2Client) -> None:
    made = [_ep(pd, f"Paged {i:02d}")["id"] for i in range(7)]
    page = pd.jget("escalation_policies", params={"query": "Paged", "limit": 3, "offset": 3, "total": "true"})
    assert page["limit"] == 3 and page["offset"] == 3 and page["more"] is True and page["total"] == 7
    assert len(pd.list_all("escalation_policies", params={"query": "Paged"}, page_size=2)) == 7
    assert pd.jget("escalation_policies", params={"limit": 500})["limit"] == 100
    assert pd.jget("escalation_policies", params={"query": "Paged"})["total"] is None
    resp = pd.get("escalation_policies", params={"limit": 100, "offset": 9950})
    assert resp.status_code == 400 and resp.json()["error"]["message"] == "Arguments Caused Error"
    assert len(made) == 7


def test_schedule_list_includes_layers_only_when_asked(pd: pagerduty.RestApiV2Client) -> None:
    start = dt.datetime(2030, 1, 6, 9, tzinfo=dt.UTC)
    body = {
        "type": "schedule",
        "name": "Listed",
        "time_zone": "Etc/UTC",
        "schedule_layers": [_layer("L", ["PUSER01"], start)],
    }
    created = pd.rpost("schedules", json={"schedule": body})
    plain = next(s for s in pd.list_all("schedules") if s["id"] == created["id"])
    assert "schedule_layers" not in plain
    full = next(
        s for s in pd.list_all("schedules", params={"include[]": ["schedule_layers"]}) if s["id"] == created["id"]
    )
    assert [layer["name"] for layer in full["schedule_layers"]] == ["L"]
    assert full["schedule_layers"][0]["rotation_turn_length_seconds"] == 86400
    assert "final_schedule" not in full
