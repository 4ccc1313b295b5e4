"""Who a Datadog monitor notifies on each state transition, and what PagerDuty receives.

The semantics are Datadog's documented ones (https://docs.datadoghq.com/monitors/notify/variables/):

* ``is_alert`` / ``is_warning`` / ``is_no_data`` hold while the monitor is in that state (also on a
  re-notification of it); ``is_alert_to_warning`` on ALERT → WARNING.
* ``is_recovery`` holds on any return to OK (from ALERT, WARNING, UNKNOWN or NO DATA);
  ``is_alert_recovery`` only ALERT → OK, ``is_warning_recovery`` only WARNING → OK,
  ``is_no_data_recovery`` only NO DATA → OK.
* On ALERT → WARNING, the recipients written inside ``{{#is_alert_recovery}}`` are notified too, without a
  body (the documentation's note under ``is_alert_recovery``): a PagerDuty handle there resolves the incident
  the alert opened, so a warning never keeps it open.
* ``is_renotify`` holds on re-notifications, sent every ``renotify_interval`` minutes while the monitor stays
  in one of ``renotify_statuses``, at most ``renotify_occurrences`` times
  (https://docs.datadoghq.com/monitors/notify/#renotify); the ``escalation_message`` is appended to them.

PagerDuty (Datadog's PagerDuty integration, https://docs.datadoghq.com/integrations/pagerduty/): a
``@pagerduty-<service>`` handle notified on an ALERT, WARNING or NO DATA transition sends a *trigger*; on a
recovery it sends a *resolve*, which closes the incident only if the handle is in the recovery's rendered
message. A re-notification triggers again with the same deduplication key, so it is appended to the open
incident (no second incident, no new page). The urgency of a trigger is the PagerDuty service's urgency
rule: constant, by support hours, or ``severity_based`` (Datadog sends ``critical`` for ALERT / NO DATA and
``warning`` for WARNING; PagerDuty makes critical/error high urgency, warning/info low).
A ``@pagerduty-status-<key>`` handle opens an incident on a banner status service: that raises the banner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from compiler.notify.template import handles, handles_inside, render

Action = Literal["trigger", "re-trigger", "resolve"]


@dataclass(frozen=True)
class Transition:
    key: str
    label: str
    true_vars: frozenset[str]
    to_status: Literal["ok", "warn", "alert", "no data"]
    renotify_after: int | None = None  # minutes, for re-notifications
    occurrences: int | None = None  # how many re-notifications at most (None: no limit)

    @property
    def is_renotify(self) -> bool:
        return self.renotify_after is not None


TRANSITIONS: tuple[Transition, ...] = (
    Transition("ok_to_warn", "OK → warn", frozenset({"is_warning"}), "warn"),
    Transition("ok_to_alert", "OK → alert", frozenset({"is_alert"}), "alert"),
    Transition("warn_to_alert", "warn → alert", frozenset({"is_alert"}), "alert"),
    Transition("alert_to_warn", "alert → warn", frozenset({"is_warning", "is_alert_to_warning"}), "warn"),
    Transition("alert_to_ok", "alert → OK", frozenset({"is_recovery", "is_alert_recovery"}), "ok"),
    Transition("warn_to_ok", "warn → OK", frozenset({"is_recovery", "is_warning_recovery"}), "ok"),
    Transition("ok_to_no_data", "OK → no data", frozenset({"is_no_data"}), "no data"),
    Transition("no_data_to_ok", "no data → OK", frozenset({"is_recovery", "is_no_data_recovery"}), "ok"),
)
_RENOTIFY_VARS = {"alert": "is_alert", "warn": "is_warning", "no data": "is_no_data"}


@dataclass(frozen=True)
class Target:
    """What a ``@pagerduty-<name>`` handle reaches: a paging service (with its urgency rule) or a banner."""

    reaches: Literal["service", "banner"]
    name: str
    urgency_rule: Mapping[str, Any] | None = None

    @property
    def is_banner(self) -> bool:
        return self.reaches == "banner"

    @property
    def is_paging_service(self) -> bool:
        return self.reaches == "service"


@dataclass(frozen=True)
class PagerDutyEvent:
    handle: str
    target: Target
    action: Action
    urgency: str | None  # for triggers on paging services

    def describe(self) -> str:
        if self.target.is_banner:
            return f"banner {self.target.name}: " + ("cleared" if self.action == "resolve" else "raised")
        if self.action == "resolve":
            return f"{self.target.name}: resolve"
        if self.action == "re-trigger":
            return f"{self.target.name}: re-trigger (appended to the open incident)"
        if self.urgency is None or self.urgency == "unknown":
            return f"{self.target.name}: trigger"
        return f"{self.target.name}: trigger ({self.urgency} urgency)"


@dataclass(frozen=True)
class Outcome:
    transition: Transition
    text: str
    notified: tuple[str, ...]
    pagerduty: tuple[PagerDutyEvent, ...]

    def pages(self) -> list[PagerDutyEvent]:
        """Triggers on paging services (what wakes someone up)."""
        return [e for e in self.pagerduty if e.target.is_paging_service and e.action == "trigger"]

    def banners_raised(self) -> list[str]:
        return [e.target.name for e in self.pagerduty if e.target.is_banner and e.action != "resolve"]


def urgency_of(rule: Mapping[str, Any] | None, status: str) -> str:
    if rule is None:
        return "unknown"
    if rule.get("type") == "use_support_hours":
        inside = rule.get("during_support_hours", {}).get("urgency")
        outside = rule.get("outside_support_hours", {}).get("urgency")
        return f"{inside} in support hours, {outside} outside"
    urgency = str(rule.get("urgency"))
    if urgency == "severity_based":
        return "low" if status == "warn" else "high"
    return urgency


def target_of(handle: str, targets: Mapping[str, Target]) -> Target | None:
    if not handle.startswith("@pagerduty-") or handle in ("@pagerduty-resolve", "@pagerduty-acknowledge"):
        return None
    if handle in targets:
        return targets[handle]
    name = handle.removeprefix("@pagerduty-")
    if name.startswith("status-"):
        return Target("banner", name.removeprefix("status-"))
    return Target("service", name)


def transitions_of(options: Mapping[str, Any]) -> list[Transition]:
    """The transitions this monitor can go through, with its re-notifications."""
    thresholds = options.get("thresholds") or {}
    warns = thresholds.get("warning") is not None
    no_data = bool(options.get("notify_no_data")) or options.get("on_missing_data") == "show_and_notify_no_data"
    out = [
        t
        for t in TRANSITIONS
        if (warns or (t.to_status != "warn" and t.key not in {"warn_to_ok", "warn_to_alert"}))
        and (no_data or "no_data" not in t.key)
    ]
    interval = options.get("renotify_interval")
    occurrences = options.get("renotify_occurrences")
    times = "" if not occurrences else ", once" if occurrences == 1 else f", {occurrences} times"
    if interval:
        statuses = options.get("renotify_statuses") or ["alert", "no data"]  # Datadog's default: alert and no data
        for status in ("alert", "warn", "no data"):
            if status in statuses and (status != "warn" or warns) and (status != "no data" or no_data):
                out.append(
                    Transition(
                        f"renotify_{status.replace(' ', '_')}",
                        f"{status} for {interval}m (re-notification{times})",
                        frozenset({_RENOTIFY_VARS[status], "is_renotify"}),
                        "alert" if status == "alert" else ("warn" if status == "warn" else "no data"),
                        renotify_after=int(interval),
                        occurrences=int(occurrences) if occurrences else None,
                    )
                )
    return out


def simulate_transition(body: Mapping[str, Any], transition: Transition, targets: Mapping[str, Target]) -> Outcome:
    message = str(body.get("message") or "")
    options: Mapping[str, Any] = body.get("options") or {}
    text = render(message, transition.true_vars)
    if transition.is_renotify and options.get("escalation_message"):
        text += "\n" + render(str(options["escalation_message"]), transition.true_vars)
    notified = handles(text)
    resolving = list(notified) if transition.to_status == "ok" else []
    if transition.key == "alert_to_warn":
        resolving = [h for h in handles_inside(message, "is_alert_recovery") if h not in notified]
        notified = [*notified, *resolving]
    events: list[PagerDutyEvent] = []
    for handle in notified:
        target = target_of(handle, targets)
        if target is None:
            continue
        if handle in resolving:
            events.append(PagerDutyEvent(handle, target, "resolve", None))
        elif transition.is_renotify:
            events.append(PagerDutyEvent(handle, target, "re-trigger", None))
        else:
            events.append(
                PagerDutyEvent(handle, target, "trigger", urgency_of(target.urgency_rule, transition.to_status))
            )
    return Outcome(transition, text, tuple(notified), tuple(events))


def simulate(body: Mapping[str, Any], targets: Mapping[str, Target]) -> dict[str, Outcome]:
    """Every transition of a compiled monitor (or SLO alert) body → its outcome, keyed by transition key."""
    options: Mapping[str, Any] = body.get("options") or {}
    return {t.key: simulate_transition(body, t, targets) for t in transitions_of(options)}
