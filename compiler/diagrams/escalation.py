"""Per service, the path of an alert as a Mermaid flowchart: monitor → Slack → PagerDuty → escalation levels.

It is drawn from the same definitions the alerting is compiled from: which of the service's monitors page (the
severity ladder, ``compile.routing.rate_monitor``), the team's alert channel, the PagerDuty service, and the
escalation policy's rules with their delays and repeats, so the picture cannot say something the compiled
monitors and PagerDuty objects do not do.
"""

from __future__ import annotations

from compiler.compile.routing import rate_monitor
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.diagrams.mermaid import block, label, node_id


def _target(target: m.EscalationTarget, schedules: dict[str, m.Schedule]) -> str:
    if target.schedule is not None:
        schedule = schedules.get(target.schedule)
        return f"on call: {schedule.title or schedule.name if schedule else target.schedule}"
    return str(target.user)


def service_flow(d: Definitions, service: m.Service) -> list[str]:
    """The flowchart of one service (a fenced block), or nothing when the service has no monitors."""
    assert d.process is not None
    monitors = [x for x in d.monitors if x.service == service.name]
    if not monitors:
        return []
    paging = [x for x in monitors if rate_monitor(d.process, x, service).pages]
    team = next((t for t in d.teams if t.name == service.team), None)
    channel = team.slack.alerts if team is not None else "(no team channel)"
    sid = node_id(service.name)
    lines = [
        "flowchart LR",
        f"  {sid}_alert[{label(f'{service.title}: {len(monitors)} monitor(s), {len(paging)} paging')}]",
        f"  {sid}_slack[{label(f'Slack {channel}')}]",
        f"  {sid}_alert -- {label('alert, warning, recovery')} --> {sid}_slack",
    ]
    policy = next(
        (p for p in d.escalation_policies if service.pagerduty and p.name == service.pagerduty.escalation_policy), None
    )
    if service.pagerduty is None or policy is None or not paging:
        why = "no PagerDuty service" if service.pagerduty is None else "no monitor of a paging severity"
        lines.append(f"  {sid}_none[{label(f'nobody is paged ({why})')}]")
        lines.append(f"  {sid}_slack -.- {sid}_none")
        return block(lines)
    schedules = {s.name: s for s in d.schedules}
    pd_name = service.pagerduty.service or service.title
    lines.append(f"  {sid}_pd[{label(f'PagerDuty: {pd_name}')}]")
    lines.append(f"  {sid}_alert -- {label('paging alert')} --> {sid}_pd")
    previous = f"{sid}_pd"
    edge = label("incident triggered")
    for index, rule in enumerate(policy.rules, 1):
        level = f"{sid}_l{index}"
        who = ", ".join(_target(t, schedules) for t in rule.targets)
        lines.append(f"  {level}[{label(f'level {index}: {who}')}]")
        lines.append(f"  {previous} -- {edge} --> {level}")
        previous = level
        edge = label(f"not acknowledged in {rule.delay}")
    last = policy.rules[-1].delay
    if policy.loops:
        again = label(f"not acknowledged in {last}: again, {policy.loops} more time(s)")
        lines.append(f"  {previous} -- {again} --> {sid}_l1")
    else:
        lines.append(f"  {sid}_end[{label('policy exhausted: nobody else is paged')}]")
        lines.append(f"  {previous} -- {label(f'not acknowledged in {last}')} --> {sid}_end")
    return block(lines)
