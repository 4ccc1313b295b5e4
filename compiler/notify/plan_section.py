"""The markdown plan's notification section: what a monitor change means for the on-call.

For each updated monitor or SLO alert, the body before the change is rebuilt from the desired body and the
plan's field changes, both are run through the simulator, and the differences are listed per transition
("this change makes OK → warn send ssoe: trigger"). The plan carries no urgency rules of services it does not
change, so triggers are named without urgency here.
"""

from __future__ import annotations

import copy
from typing import Any

from compiler.kinds import get_kind
from compiler.kinds.datadog.monitor import MONITORS_FAMILY
from compiler.notify.explain import describe_changes
from compiler.notify.simulate import Target
from compiler.notify.template import handles_inside
from compiler.plan import Change, Plan

ABSENT = "(absent)"  # how the plan writes a field one side does not have


def _with_fields(base: dict[str, Any], change: Change, side: str) -> dict[str, Any]:
    body = copy.deepcopy(base)
    for field in change.fields:
        value = field.before if side == "before" else field.after
        *parents, last = field.path.split(".")
        node = body
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        if value == ABSENT:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return body


def body_before(change: Change) -> dict[str, Any]:
    """The live body as far as the plan knows it: the desired body with the changed fields set back."""
    return _with_fields(change.desired or {}, change, "before")


def body_after(change: Change) -> dict[str, Any]:
    """The desired body; a plan without it (hand-made, or trimmed) gives the changed fields only."""
    return change.desired if change.desired is not None else _with_fields({}, change, "after")


def _tag(body: dict[str, Any], name: str) -> str | None:
    return next((str(t).split(":", 1)[1] for t in body.get("tags") or [] if str(t).startswith(f"{name}:")), None)


def _targets(*bodies: dict[str, Any]) -> dict[str, Target]:
    """Every @pagerduty- handle of the bodies: status services are banners, the rest paging services.

    A monitor tagged ``banner:<key>`` whose key references an existing status service drives it through that
    service's own Datadog handle: it is the handle of the alert-recovery block that is not the monitor's
    paging handle (``@pagerduty-<service tag>``), so it is a banner too.
    """
    targets: dict[str, Target] = {}
    for body in bodies:
        message = str(body.get("message", ""))
        for handle in message.split():
            if handle.startswith("@pagerduty-status-"):
                targets[handle] = Target("banner", handle.removeprefix("@pagerduty-status-"))
        key, service = _tag(body, "banner"), _tag(body, "service")
        if key is None:
            continue
        for handle in handles_inside(message, "is_alert_recovery"):
            if handle.startswith("@pagerduty-") and handle != f"@pagerduty-{service}" and handle not in targets:
                targets[handle] = Target("banner", key)
    return targets


def notification_lines(plan: Plan) -> list[str]:
    """Markdown lines for the plan (empty when no change moves a notification)."""
    lines = []
    for change in plan.changes:
        if change.action != "update" or get_kind(change.provider, change.kind).api_family != MONITORS_FAMILY:
            continue
        after = body_after(change)
        before = body_before(change) if change.desired is not None else _with_fields({}, change, "before")
        for sentence in describe_changes(before, after, _targets(before, after)):
            lines.append(f"- `{change.address}`: {sentence}")
    if not lines:
        return []
    return ["", "**Notifications** (who a changed monitor notifies, by the notification simulator):", "", *lines]
