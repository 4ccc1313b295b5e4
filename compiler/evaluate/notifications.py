"""What one monitor event sends: the rendered message, its recipients, and the PagerDuty events.

The message is rendered for the event with Datadog's conditional variables (``compiler.notify.template``) and the
recipients and PagerDuty actions follow the notification simulator (``compiler.notify.simulate``): a
``@pagerduty-<service>`` handle in the text of an ALERT, WARN or NO DATA notification sends a trigger, in a
recovery's text a resolve; on ALERT → WARN the handles of ``{{#is_alert_recovery}}`` resolve; a re-notification
triggers again with the same deduplication key (https://docs.datadoghq.com/monitors/notify/variables/,
https://docs.datadoghq.com/integrations/pagerduty/). The deduplication key is the monitor and the group: Datadog
keeps one PagerDuty incident per monitor group (its exact key text is not documented; this one is distinct per
monitor group, which is what the behaviour depends on). The event's severity is ``critical`` for ALERT and NO DATA,
``warning`` for WARN (what PagerDuty's ``severity_based`` urgency reads).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from compiler.evaluate.series import ALL
from compiler.evaluate.states import MonitorEvent, State
from compiler.notify.simulate import TRANSITIONS, Transition, simulate_transition

Action = Literal["trigger", "resolve"]
_VAR = {"alert": "is_alert", "warn": "is_warning", "no data": "is_no_data"}
_KEY = {"ok": "ok", "warn": "warn", "alert": "alert", "no data": "no_data"}
_LABEL = {"ok": "OK", "warn": "WARN", "alert": "ALERT", "no data": "NO DATA"}
_BY_KEY = {t.key: t for t in TRANSITIONS}


@dataclass(frozen=True)
class EventOut:
    """An event Datadog sends to PagerDuty's Events API for a ``@pagerduty-<service>`` handle."""

    handle: str
    action: Action
    dedup_key: str
    severity: str  # critical | warning (triggers)


@dataclass(frozen=True)
class Notification:
    time: int
    monitor: str
    group: str
    event: MonitorEvent
    text: str
    handles: tuple[str, ...]
    pagerduty: tuple[EventOut, ...]

    @property
    def label(self) -> str:
        e = self.event
        if e.cause == "renotify":
            return f"{_LABEL[e.after]} (re-notification)"
        if e.cause == "downtime_end":
            return f"{_LABEL[e.after]} (downtime ended)"
        return f"{_LABEL[e.before]} → {_LABEL[e.after]}"

    def slack_channels(self) -> list[str]:
        return [h for h in self.handles if h.startswith("@slack-")]


def transition_of(event: MonitorEvent) -> Transition:
    """The notification simulator's transition for a monitor event (its true conditional variables)."""
    after: State = event.after
    if event.cause == "renotify":
        return Transition(f"renotify_{_KEY[after]}", "", frozenset({_VAR[after], "is_renotify"}), after, 0)
    if event.cause == "downtime_end":
        return Transition(f"ok_to_{_KEY[after]}", "", frozenset({_VAR[after]}), after)
    key = f"{_KEY[event.before]}_to_{_KEY[after]}"
    known = _BY_KEY.get(key)
    if known is not None:
        return known
    return Transition(key, "", frozenset({_VAR[after]}), after)


def dedup_key(monitor: str, group: str) -> str:
    return monitor if group == ALL else f"{monitor}|{group}"


def notification(monitor: str, body: Mapping[str, Any], event: MonitorEvent) -> Notification:
    """Render ``event`` of ``monitor`` (its API body) into what it sends."""
    outcome = simulate_transition(body, transition_of(event), {})
    severity = "warning" if event.after == "warn" else "critical"
    events = tuple(
        EventOut(e.handle, "resolve" if e.action == "resolve" else "trigger", dedup_key(monitor, event.group), severity)
        for e in outcome.pagerduty
        if e.handle not in ("@pagerduty-resolve", "@pagerduty-acknowledge")
    )
    return Notification(event.time, monitor, event.group, event, outcome.text, outcome.notified, events)
