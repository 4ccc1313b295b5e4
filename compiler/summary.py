"""A readable summary of a validated definition set.

``validate --summary`` prints it: enough for a reviewer to see that the
process, the on-call and the alerting say what the team meant (which severity
pages, who is on call, what each service watches).
"""

from __future__ import annotations

from collections import Counter

from compiler.definitions import Definitions
from compiler.definitions.source import display_path
from compiler.resources import ResourceSet


def render_summary(d: Definitions, resources: ResourceSet) -> str:
    lines: list[str] = [f"Definitions: {display_path(d.root)} ({len(d.files)} files)"]
    if d.process is not None:
        p = d.process
        lines.append(f"Process: {p.name} (time zone {p.time_zone})")
        for sev in p.severities:
            paging = "pages on-call" if sev.pages else "notifies the channel"
            measure = (
                f"> {sev.users_per_hour_above:>5} users/h" if sev.users_per_hour_above is not None else str(sev.impact)
            )
            lines.append(f"  {sev.name:<6} {measure}  respond within {sev.response_time}  {paging} ({sev.coverage})")
        declare = [pr.name for pr in p.priorities if pr.declare_incident]
        lines.append(
            f"  acknowledge within {p.acknowledgement_target}; status updates every {p.status_update_every};"
            f" declare an incident for {', '.join(declare) or 'no priority'}"
        )
    monitors_by_service = Counter(mon.service for mon in d.monitors)
    slos_by_service = Counter(slo.service for slo in d.slos)
    if d.teams:
        lines.append("Teams:")
        for team in d.teams:
            lines.append(
                f"  {team.name}: {len(team.members)} members, alerts {team.slack.alerts},"
                f" incidents {team.slack.incidents}"
            )
    if d.schedules or d.escalation_policies:
        lines.append("On-call:")
        for schedule in d.schedules:
            lines.append(f"  schedule {schedule.name}: {len(schedule.layers)} layer(s), {schedule.time_zone}")
        for policy in d.escalation_policies:
            delays = " -> ".join(str(rule.delay) for rule in policy.rules)
            lines.append(f"  escalation {policy.name}: {len(policy.rules)} rule(s) ({delays}), loops {policy.loops}")
    if d.services:
        lines.append("Services:")
        for service in d.services:
            routing = f", pages via {service.pagerduty.escalation_policy}" if service.pagerduty else ""
            lines.append(
                f"  {service.name} ({service.environment}, {service.users_per_hour} users/h): "
                f"{monitors_by_service[service.name]} monitors, {slos_by_service[service.name]} SLOs{routing}"
            )
    if d.dependencies or d.auth_methods:
        lines.append("Downtime banners:")
        for method in d.auth_methods:
            lines.append(f"  {method.name} ({method.selector}) depends on {', '.join(method.depends_on)}")
        for window in d.maintenance_windows:
            lines.append(
                f"  maintenance {window.name}: {window.start.isoformat()} to {window.end.isoformat()}"
                f" on {', '.join(window.dependencies)}"
            )
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in d.counts().items() if n)
    lines.append(f"Total: {counts}")
    compiled = Counter((r.provider, r.kind) for r in resources)
    lines.append(
        "Compiles to: "
        + ", ".join(f"{n} {provider} {kind.replace('_', ' ')}" for (provider, kind), n in sorted(compiled.items()))
    )
    return "\n".join(lines)
