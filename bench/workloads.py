"""The benchmark workloads W1k, W3k, W10k and W30k (issue 15), written as definitions.

W10k is the shape measured in issue 15: 10,000 monitors, 1,000 SLOs with their
3,000 burn-rate alerts (Datadog's recommended tiers for a 30-day SLO), 500
PagerDuty services each with its own escalation policy and schedule, the
services' Datadog integrations, Datadog's PagerDuty service objects and the
service definitions — 17,000 objects (plus what the 25 teams of 20 services
become: 25 PagerDuty teams, 150 Datadog incident notification rules and templates,
and the process's postmortem template). The other workloads scale every count
with the number of monitors (W1k is a tenth of W10k, W30k three times).

Teams hold 20 services each so no single team is unrealistically large; every
team's members are PagerDuty users the embedded sandbox creates.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "definitions"
SERVICES_PER_TEAM = 20
MONITORS_PER_FILE = 1000


@dataclass(frozen=True)
class Workload:
    """Counts of one workload; ``objects`` is what a full apply creates."""

    name: str
    monitors: int
    slos: int
    services: int

    @property
    def slo_alerts(self) -> int:
        return 3 * self.slos

    @property
    def teams(self) -> int:
        return (self.services + SERVICES_PER_TEAM - 1) // SERVICES_PER_TEAM

    @property
    def objects(self) -> int:
        # per service: PagerDuty service, escalation policy, schedule, integration,
        # Datadog PagerDuty service object, service definition, overview dashboard; each team is a PagerDuty
        # team and 3 Datadog incident notification rules with their templates; one postmortem template
        return self.monitors + self.slos + self.slo_alerts + 7 * self.services + 7 * self.teams + 1

    def counts(self) -> dict[str, int]:
        """Objects by ``provider:kind``, as the plan and the sandbox see them."""
        return {
            "datadog:monitor": self.monitors,
            "datadog:slo": self.slos,
            "datadog:slo_alert": self.slo_alerts,
            "datadog:pagerduty_service_object": self.services,
            "datadog:service_definition": self.services,
            "datadog:dashboard": self.services,
            "pagerduty:schedule": self.services,
            "pagerduty:escalation_policy": self.services,
            "pagerduty:service": self.services,
            "pagerduty:integration": self.services,
            "pagerduty:team": self.teams,
            "datadog:incident_notification_rule": 3 * self.teams,
            "datadog:incident_notification_template": 3 * self.teams,
            "datadog:incident_postmortem_template": 1,
        }


def workload(monitors: int) -> Workload:
    """The issue's proportions for ``monitors`` monitors: 1 SLO per 10 monitors, 1 service per 20."""
    return Workload(f"w{monitors // 1000}k", monitors, max(1, monitors // 10), max(1, monitors // 20))


WORKLOADS = {w.name: w for w in (workload(1000), workload(3000), workload(10_000), workload(30_000))}


def get_workload(name: str) -> Workload:
    try:
        return WORKLOADS[name.lower()]
    except KeyError:
        raise SystemExit(f"unknown workload {name!r}; one of {', '.join(WORKLOADS)}") from None


_TEAM = """  - name: team-{t}
    title: Team {t}
    slack:
      alerts: "#team-{t}-alerts"
      incidents: "#team-{t}-incidents"
    members:
      - {{email: team-{t}-a@example.com, name: Team {t} Engineer A}}
      - {{email: team-{t}-b@example.com, name: Team {t} Engineer B}}
      - {{email: team-{t}-lead@example.com, name: Team {t} Lead, role: lead}}
"""
_SCHEDULE = """  - name: oncall-{i}
    title: Service {i} on-call
    team: team-{t}
    time_zone: America/New_York
    layers:
      - name: Weekly rotation
        start: 2026-01-05T09:00:00-05:00
        rotation: 1w
        members: [team-{t}-a@example.com, team-{t}-b@example.com]
"""
_POLICY = """  - name: escalation-{i}
    title: Service {i} escalation
    team: team-{t}
    loops: 2
    rules:
      - delay: 30m
        targets: [{{schedule: oncall-{i}}}]
      - delay: 30m
        targets: [{{user: team-{t}-lead@example.com}}]
"""
_SERVICE = """  - name: svc-{i}
    title: Service {i}
    team: team-{t}
    environment: production
    description: Generated service {i}.
    runbook: https://example.com/runbooks/svc-{i}
    users_per_hour: {traffic}
    pagerduty:
      escalation_policy: escalation-{i}
"""
_SLO = """  - name: slo-{i}
    title: Route {i} availability
    service: svc-{svc}
    type: metric
    good: sum:app.requests{{service:svc-{svc},route:r{i},!status:5xx}}.as_count()
    total: sum:app.requests{{service:svc-{svc},route:r{i}}}.as_count()
    target: 99.9%
    timeframe: 30d
"""
_MONITOR = """  - name: mon-{i}
    title: Route {i} errors
    service: svc-{svc}
    query: sum:app.requests.errors{{service:svc-{svc},route:r{i}}}.as_count()
    aggregation: sum
    window: {window}
    comparator: ">"
    thresholds: {{critical: {crit}, warning: {warn}}}
    severity: {severity}
    tags: ["route:r{i}"]
"""


def write_definitions(w: Workload, out: Path, *, monitors: int | None = None) -> Path:
    """Write ``w``'s definitions under ``out`` (replacing it); ``monitors`` overrides the monitor count."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copyfile(EXAMPLE / "process.yaml", out / "process.yaml")
    teams = w.teams
    (out / "teams.yaml").write_text("teams:\n" + "".join(_TEAM.format(t=t) for t in range(teams)), "utf-8")
    team_of = [i // SERVICES_PER_TEAM for i in range(w.services)]
    (out / "oncall.yaml").write_text(
        "schedules:\n"
        + "".join(_SCHEDULE.format(i=i, t=team_of[i]) for i in range(w.services))
        + "escalation_policies:\n"
        + "".join(_POLICY.format(i=i, t=team_of[i]) for i in range(w.services)),
        "utf-8",
    )
    (out / "services.yaml").write_text(
        "services:\n" + "".join(_SERVICE.format(i=i, t=team_of[i], traffic=2000 + 10 * i) for i in range(w.services)),
        "utf-8",
    )
    (out / "slos.yaml").write_text(
        "slos:\n" + "".join(_SLO.format(i=i, svc=i % w.services) for i in range(w.slos)), "utf-8"
    )
    count = w.monitors if monitors is None else monitors
    for start in range(0, count, MONITORS_PER_FILE):
        chunk = [
            _MONITOR.format(
                i=i,
                svc=i % w.services,
                window=("5m", "15m", "30m")[i % 3],
                crit=100 + i % 50,
                warn=50 + i % 40,
                severity=("sev1", "sev2", "sev3")[i % 3],
            )
            for i in range(start, min(start + MONITORS_PER_FILE, count))
        ]
        (out / f"monitors-{start // MONITORS_PER_FILE:03d}.yaml").write_text("monitors:\n" + "".join(chunk), "utf-8")
    return out
