"""The simulator for people: a transition table per monitor, and how a change moves notifications.

``explain_table`` backs ``alertc explain monitor NAME``; ``describe_changes`` gives the sentences a plan
shows for a changed monitor ("this change makes OK → warn page ssoe"), ready for the markdown plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.kinds import all_kinds
from compiler.kinds.datadog.monitor import MONITORS_FAMILY
from compiler.notify.simulate import Outcome, Target, simulate
from compiler.resources import ResourceSet

STATUS_PREFIX = "status-"


def targets_from(resources: ResourceSet, banners: Mapping[str, str] | None = None) -> dict[str, Target]:
    """Every ``@pagerduty-<name>`` handle the compiled set defines, and what it reaches.

    ``banners`` (``CompileResult.banner_targets``) adds the existing handles of referenced status services,
    which are banners though no service object of the set names them.
    """
    targets: dict[str, Target] = {handle: Target("banner", key) for handle, key in (banners or {}).items()}
    for service_object in resources.by_kind("datadog", "pagerduty_service_object"):
        name = service_object.key
        handle = f"@pagerduty-{name}"
        if name.startswith(STATUS_PREFIX):
            targets[handle] = Target("banner", name.removeprefix(STATUS_PREFIX))
            continue
        service = resources.get(f"pagerduty:service/{name}")
        rule = service.body.get("incident_urgency_rule") if service is not None else None
        targets[handle] = Target("service", name, rule)
    return targets


def _pagerduty_cell(outcome: Outcome) -> str:
    return "; ".join(e.describe() for e in outcome.pagerduty) or "none"


def explain_rows(body: Mapping[str, Any], targets: Mapping[str, Target]) -> list[tuple[str, str, str]]:
    rows = []
    for outcome in simulate(body, targets).values():
        notified = " ".join(outcome.notified) or "nobody"
        rows.append((outcome.transition.label, notified, _pagerduty_cell(outcome)))
    return rows


def explain_table(name: str, body: Mapping[str, Any], targets: Mapping[str, Target]) -> str:
    """A fixed-width table: transition → who is notified → what PagerDuty receives."""
    rows = [("transition", "notified", "PagerDuty"), *explain_rows(body, targets)]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"{name}: {body.get('name', '')}", ""]
    for index, (transition, notified, pagerduty) in enumerate(rows):
        lines.append(f"{transition:<{widths[0]}}  {notified:<{widths[1]}}  {pagerduty}".rstrip())
        if index == 0:
            lines.append(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 9}")
    return "\n".join(lines) + "\n"


def describe_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, targets: Mapping[str, Target]
) -> list[str]:
    """Sentences saying how a monitor change moves pages and banners, transition by transition."""
    old = simulate(before, targets) if before else {}
    new = simulate(after, targets) if after else {}
    sentences: list[str] = []
    for key in dict.fromkeys([*old, *new]):
        label = (new.get(key) or old[key]).transition.label
        was = {e.describe() for e in old[key].pagerduty} if key in old else set()
        now = {e.describe() for e in new[key].pagerduty} if key in new else set()
        for event in sorted(now - was):
            sentences.append(f"this change makes {label} send {event}")
        for event in sorted(was - now):
            sentences.append(f"{label} no longer sends {event}")
    return sentences


def monitor_table(resources: ResourceSet, name: str, banners: Mapping[str, str] | None = None) -> str:
    """``alertc explain monitor NAME``: the table of a compiled monitor or SLO alert, by definitions name.

    Raises KeyError with the known names when there is no such alert.
    """
    monitor_kinds = [k for k in all_kinds() if k.api_family == MONITORS_FAMILY]  # monitors and SLO alerts
    for kind in monitor_kinds:
        resource = resources.get(f"{kind.address}/{name}")
        if resource is not None:
            return explain_table(name, resource.body, targets_from(resources, banners))
    known = sorted(r.key for kind in monitor_kinds for r in resources.by_kind(kind.provider, kind.kind))
    raise KeyError(f"no monitor or SLO alert named '{name}'\n  hint: one of {', '.join(known)}")
