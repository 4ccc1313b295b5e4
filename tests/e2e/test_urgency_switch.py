"""A PagerDuty service moving between support-hours urgency and constant high urgency (issue 15).

The service's urgency follows its monitors: only business-hours severities give
``use_support_hours`` (with ``support_hours`` and ``scheduled_actions``); one
24x7 paging monitor makes it constant high. PagerDuty keeps fields a PUT leaves
out, so the update must clear the support hours and scheduled actions itself,
or PagerDuty answers 400 ("Active urgency must be in high, low, or severity_based.").
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.e2e.conftest import EXAMPLES, World

TEAM = """teams:
  - name: identity
    title: Identity
    slack: {alerts: "#alerts", incidents: "#incidents"}
    members:
      - {email: identity-engineer-1@example.com, name: E1}
      - {email: identity-engineer-2@example.com, name: E2}
schedules:
  - name: primary
    title: Primary
    team: identity
    time_zone: America/New_York
    layers:
      - name: Weekly
        start: 2026-01-05T09:00:00-05:00
        rotation: 1w
        members: [identity-engineer-1@example.com, identity-engineer-2@example.com]
escalation_policies:
  - name: escalation
    title: Escalation
    team: identity
    rules:
      - delay: 30m
        targets: [{schedule: primary}]
services:
  - name: api
    title: API
    team: identity
    environment: production
    runbook: https://example.com/runbooks/api
    users_per_hour: 5000
    pagerduty: {escalation_policy: escalation}
"""
MONITOR = """  - name: {name}
    title: {name}
    service: api
    query: sum:app.errors{{service:api,route:{name}}}.as_count()
    aggregation: sum
    window: 5m
    comparator: ">"
    thresholds: {{critical: 10}}
    severity: {severity}
"""


def _definitions(root: Path, monitors: dict[str, str]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    shutil.copyfile(EXAMPLES / "process.yaml", root / "process.yaml")
    (root / "team.yaml").write_text(TEAM)
    text = "monitors:\n" + "".join(MONITOR.format(name=n, severity=s) for n, s in monitors.items())
    (root / "monitors.yaml").write_text(text)
    return root


def _service(world: World) -> dict[str, object]:
    (service,) = [s for s in world.pagerduty().list_all("services") if s["name"] == "API"]
    return dict(service)


def _apply(world: World, definitions: Path) -> None:
    planned = world.plan(definitions=definitions)
    assert planned.code == 0, planned.err
    applied = world.apply()
    assert applied.code == 0, applied.out + applied.err


def test_support_hours_to_constant_high_and_back(world: World) -> None:
    defs = world.tmp / "defs"
    _apply(world, _definitions(defs, {"slow-reports": "sev3"}))
    assert _service(world)["incident_urgency_rule"]["type"] == "use_support_hours"  # type: ignore[index]

    _apply(world, _definitions(defs, {"slow-reports": "sev3", "sign-in-down": "sev1"}))
    service = _service(world)
    assert service["incident_urgency_rule"] == {"type": "constant", "urgency": "high"}
    assert not service.get("support_hours")
    assert not service.get("scheduled_actions")
    again = world.plan("--detailed-exitcode", definitions=defs)
    assert again.code == 0, again.out  # no perpetual diff after the switch

    _apply(world, _definitions(defs, {"slow-reports": "sev3"}))
    assert _service(world)["incident_urgency_rule"]["type"] == "use_support_hours"  # type: ignore[index]
