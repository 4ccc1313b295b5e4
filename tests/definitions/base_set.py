"""A minimal valid definition set that the broken-set cases modify one file at a time."""

from __future__ import annotations

from pathlib import Path

PROCESS = """\
process:
  name: Test process
  time_zone: America/New_York
  business_hours: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00"}
  acknowledgement_target: 30m
  status_update_every: 30m
  severities:
    - {name: sev1, title: Severity 1, users_per_hour_above: 1000, response_time: 1h, pages: true}
    - name: sev2
      title: Severity 2
      users_per_hour_above: 0
      response_time: 1 business day
      pages: false
      coverage: business_hours
  tiers:
    - {name: tier1, environments: [production], production: true}
    - {name: tier2, environments: [staging]}
  priorities:
    - {name: P1, datadog_priority: 1, declare_incident: true}
    - {name: P2, datadog_priority: 2}
  priority_matrix:
    users_per_hour_above: [1000, 0]
    rows:
      tier1: [P1, P2]
      tier2: [P2, P2]
"""

TEAM = """\
teams:
  - name: web
    title: Web
    slack: {alerts: "#web-alerts", incidents: "#web-incidents"}
    members:
      - {email: a@example.com, name: A}
      - {email: b@example.com, name: B}
schedules:
  - name: web-primary
    team: web
    time_zone: Etc/UTC
    layers:
      - {name: weekly, start: "2026-01-05T09:00:00Z", rotation: 1w, members: [a@example.com, b@example.com]}
escalation_policies:
  - name: web-escalation
    team: web
    rules:
      - delay: 30m
        targets: [{schedule: web-primary}]
"""

SERVICE = """\
services:
  - name: api
    title: API
    team: web
    environment: production
    users_per_hour: 5000
    pagerduty: {escalation_policy: web-escalation}
monitors:
  - name: api-errors
    title: API errors
    service: api
    query: sum:api.errors{env:prod}.as_count()
    window: 5m
    comparator: ">"
    thresholds: {critical: 10}
    severity: sev1
    runbook: https://example.com/runbooks/api-errors
"""

SLO = """\
slos:
  - name: api-availability
    service: api
    type: metric
    good: sum:api.requests{env:prod,!status:5xx}.as_count()
    total: sum:api.requests{env:prod}.as_count()
    target: 99.9%
"""

BASE: dict[str, str] = {"process.yaml": PROCESS, "team.yaml": TEAM, "service.yaml": SERVICE, "slo.yaml": SLO}


def write_set(directory: Path, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    """Write BASE with ``overrides`` applied (None removes a file) into ``directory``."""
    files: dict[str, str | bytes | None] = {**BASE, **(overrides or {})}
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if content is None:
            continue
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory


BANNERS = """\
banners:
  maintenance_lead_time: 2h
  multiple_services: {headline: Trouble signing in, body: Several systems are down., status: warning}
  maintenance: {headline: Maintenance, body: Some options are unavailable., status: info}
dependencies:
  - key: logingov
    title: Login.gov
    kind: identity
    service: api
    banner: {headline: Login.gov is down, body: Please try again later.}
auth_methods:
  - name: login
    title: Login
    selector: oauth=true
    service: api
    depends_on: [logingov]
monitors:
  - name: logingov-errors
    title: Login.gov errors
    service: api
    query: sum:logingov.errors{env:prod}.as_count()
    window: 5m
    comparator: ">"
    thresholds: {critical: 10}
    severity: sev2
    banner_key: logingov
maintenance_windows:
  - name: logingov-window
    start: 2026-12-12T02:00:00-05:00
    end: 2026-12-12T05:00:00-05:00
    dependencies: [logingov]
    message: Login.gov is down for maintenance.
"""
"""A valid banners file for BASE: one dependency key, one auth method, a monitor driving it, a window."""
