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
    teams = [
        f"  {team.name}: {len(team.members)} members, alerts {team.slack.alerts}, incidents {team.slack.incidents}"
        for team in d.teams
    ]
    on_call = [f"  schedule {s.name}: {len(s.layers)} layer(s), {s.time_zone}" for s in d.schedules] + [
        f"  escalation {e.name}: {len(e.rules)} rule(s) ({' -> '.join(str(r.delay) for r in e.rules)}), loops {e.loops}"
        for e in d.escalation_policies
    ]
    services = [
        f"  {s.name} ({s.environment}, {s.users_per_hour} users/h): {monitors_by_service[s.name]} monitors, "
        f"{slos_by_service[s.name]} SLOs" + (f", pages via {s.pagerduty.escalation_policy}" if s.pagerduty else "")
        for s in d.services
    ]
    banners = [f"  {a.name} ({a.selector}) depends on {', '.join(a.depends_on)}" for a in d.auth_methods] + [
        f"  maintenance {w.name}: {w.start.isoformat()} to {w.end.isoformat()} on {', '.join(w.dependencies)}"
        for w in d.maintenance_windows
    ]
    lines += _block("Teams:", teams) + _block("On-call:", on_call) + _block("Services:", services)
    lines += _block("Downtime banners:", banners, shown=bool(d.dependencies or d.auth_methods))
    lines.append(f"Total: {d.counts_text()}")
    compiled = Counter((r.provider, r.kind) for r in resources)
    lines.append(
        "Compiles to: "
        + ", ".join(f"{n} {provider} {kind.replace('_', ' ')}" for (provider, kind), n in sorted(compiled.items()))
    )
    return "\n".join(lines)


def _block(title: str, rows: list[str], *, shown: bool | None = None) -> list[str]:
    """A titled block of rows; left out when there are none (or when ``shown`` says so)."""
    return [title, *rows] if (bool(rows) if shown is None else shown) else []
