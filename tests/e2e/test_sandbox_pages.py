"""The sandbox evaluates the applied monitors over submitted metrics on its clock and pages people (issue 24).

Everything goes through the HTTP APIs a team would use: metrics submitted with datadog-api-client's MetricsApi,
the clock moved through the admin API, monitor state from ``GET /api/v1/monitor/{id}``, incidents from PagerDuty's
REST API, the notification log from ``GET /_sandbox/notifications``, and ``alertc banners status``.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v2.api.metrics_api import MetricsApi
from datadog_api_client.v2.model.metric_payload import MetricPayload
from datadog_api_client.v2.model.metric_point import MetricPoint
from datadog_api_client.v2.model.metric_series import MetricSeries

from tests.e2e.conftest import EXAMPLES, PINNED_NOW, World

T0 = dt.datetime.fromisoformat(PINNED_NOW)  # Sunday 07:00 in New York: identity-engineer-2's week
SSOE_TITLE = "[SSOe] SSOe Success Rate per CSP"
TAGS = ["context:idme", "env:eks-prod"]


def _success(minute: int) -> float:
    """The SSOe scenario: 10 healthy minutes, 50 failing ones, then healthy again."""
    return 0.0 if 10 <= minute < 60 else 95.0


SERIES: dict[str, Callable[[int], float]] = {
    "vets_api.statsd.api_auth_new": lambda _minute: 100.0,
    "vets_api.statsd.api_auth_login_success": _success,
    "vets_api.statsd.api_auth_login_failure": lambda minute: 0.0 if _success(minute) == 0 else 5.0,
}


def _admin(world: World, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        world.handle.admin_url + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={**world.handle.admin_headers(), "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, context=world.handle.ssl_context()) as answer:
        return json.loads(answer.read())


def _play(world: World, monkeypatch: pytest.MonkeyPatch, start: int, end: int) -> None:
    """Minutes ``start`` to ``end`` (exclusive), five at a time: their points submitted in one payload (at most
    ten minutes ahead of the sandbox clock, as Datadog accepts), then the clock moved to the last of them."""
    with world.datadog() as api:
        metrics = MetricsApi(api)
        for first in range(start, end, 5):
            minutes = range(first, min(first + 5, end))
            series = [
                MetricSeries(
                    metric=name,
                    type=1,
                    interval=60,
                    tags=TAGS,
                    points=[
                        MetricPoint(timestamp=int((T0 + dt.timedelta(minutes=m)).timestamp()), value=value(m))
                        for m in minutes
                    ],
                )
                for name, value in SERIES.items()
            ]
            metrics.submit_metrics(body=MetricPayload(series=series))
            _admin(world, "PUT", "/clock", {"set": (T0 + dt.timedelta(minutes=minutes[-1])).isoformat()})
    monkeypatch.setenv("ALERTC_NOW", (T0 + dt.timedelta(minutes=end - 1)).isoformat())


def _monitor(world: World) -> dict[str, Any]:
    with world.datadog() as api:
        monitors = MonitorsApi(api)
        found = next(m for m in monitors.list_monitors() if m.name == SSOE_TITLE)
        return dict(monitors.get_monitor(found.id, group_states="all").to_dict())


def _incidents(world: World) -> list[dict[str, Any]]:
    pd = world.pagerduty()
    return [i for i in pd.list_all("incidents") if i["service"]["summary"] == "OCTO Identity - SSOe"]


def _pages(world: World) -> list[tuple[str, str, str]]:
    log = _admin(world, "GET", "/notifications")["notifications"]
    return [
        (n["at"], n["user"]["email"], n["urgency"])
        for n in log
        if n["type"] == "pagerduty_notification" and n["service"]["name"] == "OCTO Identity - SSOe"
    ]


def _banners(world: World) -> dict[str, str]:
    result = world.alertc("banners", "status", "-d", str(EXAMPLES), "--format", "json")
    assert result.code == 0, result.err
    return {method: d.get("key") or d["banner"] for method, d in json.loads(result.out).items()}


def test_an_outage_pages_escalates_and_resolves_through_the_apis(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0

    _play(world, monkeypatch, 0, 16)  # the 15-minute average still above 50%
    assert _monitor(world)["overall_state"] == "OK"
    assert _incidents(world) == []

    _play(world, monkeypatch, 16, 18)
    monitor = _monitor(world)
    assert monitor["overall_state"] == "Alert"
    assert monitor["state"]["groups"]["*"]["status"] == "Alert"
    [incident] = _incidents(world)
    assert (incident["status"], incident["urgency"]) == ("triggered", "high")
    assert incident["title"] == f"[Triggered] {SSOE_TITLE}"
    alert_at = "2026-11-22T12:17:00Z"
    assert _pages(world) == [(alert_at, "identity-engineer-2@example.com", "high")]
    assert _banners(world) == {"ssoe": "ssoe", "sis": "none"}

    _play(world, monkeypatch, 18, 48)  # nobody acknowledges: 30 minutes later, the policy's next level
    assert _pages(world) == [
        (alert_at, "identity-engineer-2@example.com", "high"),
        ("2026-11-22T12:47:00Z", "identity-lead@example.com", "high"),
    ]
    [incident] = _incidents(world)
    assert incident["status"] == "triggered"
    assert [a["assignee"]["id"] for a in incident["assignments"]] != []

    _play(world, monkeypatch, 48, 75)  # healthy again from minute 60: the 15-minute average recovers
    assert _monitor(world)["overall_state"] == "OK"
    [incident] = _incidents(world)
    assert incident["status"] == "resolved"
    assert _banners(world) == {"ssoe": "none", "sis": "none"}
    assert len(_pages(world)) == 2  # nobody else was paged
