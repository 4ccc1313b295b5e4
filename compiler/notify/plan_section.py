"""The markdown plan's notification section: what a monitor change means for the on-call.

For each updated monitor or SLO alert, the body before the change is rebuilt from the desired body and the
plan's field changes, both are run through the simulator, and the differences are listed per transition
("this change makes OK → warn send ssoe: trigger"). The plan carries no urgency rules of services it does not
change, so triggers are named without urgency here.
"""

from __future__ import annotations

import copy
from typing import Any

from compiler.notify.explain import describe_changes
from compiler.notify.simulate import Target
from compiler.plan import Change, Plan

ABSENT = "(absent)"  # how the plan writes a field one side does not have
ALERT_KINDS = ("monitor", "slo_alert")


def body_before(change: Change) -> dict[str, Any]:
    before: dict[str, Any] = copy.deepcopy(change.desired or {})
    for field in change.fields:
        *parents, last = field.path.split(".")
        node = before
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if field.before == ABSENT:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(field.before)
    return before


def _targets(*bodies: dict[str, Any]) -> dict[str, Target]:
    """Every @pagerduty- handle of the bodies: status services are banners, the rest paging services."""
    targets: dict[str, Target] = {}
    for body in bodies:
        for handle in str(body.get("message", "")).split():
            if handle.startswith("@pagerduty-status-"):
                targets[handle] = Target("banner", handle.removeprefix("@pagerduty-status-"))
    return targets


def notification_lines(plan: Plan) -> list[str]:
    """Markdown lines for the plan (empty when no change moves a notification)."""
    lines = []
    for change in plan.changes:
        if change.provider != "datadog" or change.kind not in ALERT_KINDS or change.action != "update":
            continue
        after = change.desired or {}
        before = body_before(change)
        for sentence in describe_changes(before, after, _targets(before, after)):
            lines.append(f"- `{change.address}`: {sentence}")
    if not lines:
        return []
    return ["", "**Notifications** (who a changed monitor notifies, by the notification simulator):", "", *lines]
