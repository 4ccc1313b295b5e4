"""PagerDuty's side: incidents from Datadog's events, escalation, acknowledgements, maintenance, service status.

Each rule as PagerDuty documents it:

* A trigger event opens an incident on the service unless one with the same deduplication key is open, in which
  case it is appended to it; a resolve event resolves it (https://developer.pagerduty.com/docs/events-api-v2/overview/).
  A service in a maintenance window creates no incident (https://support.pagerduty.com/main/docs/maintenance-windows).
* The incident's urgency is the service's urgency rule at that moment: constant, by support hours
  (``use_support_hours``: the service's days and hours in its time zone), or ``severity_based`` (critical and error
  high, warning and info low); with the ``urgency_change`` scheduled action, an unacknowledged low-urgency incident
  becomes high urgency when support hours start (https://support.pagerduty.com/main/docs/dynamic-notifications).
* The escalation policy assigns the incident to the targets of its first rule (a schedule's on-call user at that
  instant, or a user); a level with nobody on call is skipped; without an acknowledgement within the rule's
  ``escalation_delay_in_minutes`` it escalates to the next rule, and after the last rule starts over, ``num_loops``
  times (https://support.pagerduty.com/main/docs/escalation-policies). Each assignment notifies (pages) the assignee.
* An acknowledgement halts escalation; with an ``acknowledgement_timeout``, an acknowledged incident not resolved by
  then is triggered again, the escalation starts over, and the acknowledger and the current on-call are notified
  (https://support.pagerduty.com/main/docs/incidents#incident-statuses,
  https://support.pagerduty.com/main/docs/acknowledgement-timeouts). An ``auto_resolve_timeout`` resolves an
  incident left open that long.
* A service's status is ``maintenance`` in a window, ``critical`` with a triggered incident, ``warning`` with an
  acknowledged one, else ``active`` (https://developer.pagerduty.com/api-reference/; what the sign-in banners read).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from compiler.evaluate.oncall import on_call
from compiler.evaluate.world import PagerDutyService, World

IncidentStatus = Literal["triggered", "acknowledged", "resolved"]


@dataclass(frozen=True)
class InboundEvent:
    time: int
    service_id: str
    action: Literal["trigger", "resolve"]
    dedup_key: str
    severity: str = "critical"
    source: str = ""  # the monitor (and group) that sent it, for people
    monitor: str = ""  # the monitor's key


@dataclass(frozen=True)
class Acknowledgement:
    time: int
    service_id: str | None = None  # None: every open incident
    by: str | None = None  # a user id; None: the incident's assignee


@dataclass(frozen=True)
class Page:
    """A notification of a person by PagerDuty (high urgency pages; low urgency notifies quietly)."""

    time: int
    person: str  # user id
    service_id: str
    urgency: str
    incident: int
    reason: str


@dataclass
class Incident:
    number: int
    service_id: str
    dedup_key: str
    urgency: str
    opened: int
    source: str
    monitor: str = ""
    status: IncidentStatus = "triggered"
    level: int = 0
    loop: int = 0
    assigned: tuple[str, ...] = ()
    acknowledged_by: str | None = None
    history: list[tuple[int, str]] = field(default_factory=list)  # (time, what happened)
    escalate_at: int | None = None
    retrigger_at: int | None = None


@dataclass
class Outcome:
    incidents: list[Incident] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    dropped: list[tuple[InboundEvent, str]] = field(default_factory=list)  # event, why no incident
    _changes: dict[str, tuple[list[int], list[str]]] = field(default_factory=dict)

    def status_at(self, service_id: str, when: int) -> IncidentStatus | None:
        """The worst open incident status on the service at ``when`` (None: nothing open)."""
        times, statuses = self._changes.get(service_id, ([], []))
        index = bisect.bisect_right(times, when) - 1
        value = statuses[index] if index >= 0 else "none"
        return None if value == "none" else value  # type: ignore[return-value]


def _in_support_hours(support: Mapping[str, Any], when: datetime) -> bool:
    zone = ZoneInfo(str(support.get("time_zone") or "Etc/UTC"))
    local = when.astimezone(zone)
    days = [int(d) for d in support.get("days_of_week") or []]
    start = time.fromisoformat(str(support.get("start_time", "00:00:00")))
    end = time.fromisoformat(str(support.get("end_time", "00:00:00")))
    return local.isoweekday() in days and start <= local.time().replace(tzinfo=None) < end


def urgency(service: PagerDutyService, severity: str, when: datetime) -> str:
    if not service.known:
        return "unknown"  # a service referenced by id only: its settings are not in the evaluated set
    rule = service.body.get("incident_urgency_rule") or {"type": "constant", "urgency": "high"}
    if rule.get("type") == "use_support_hours":
        inside = _in_support_hours(service.body.get("support_hours") or {}, when)
        rule = rule.get("during_support_hours" if inside else "outside_support_hours") or {}
    value = str(rule.get("urgency", "high"))
    if value == "severity_based":
        return "high" if severity in ("critical", "error") else "low"
    return value


class Simulation:
    """Replays Datadog's events and the test's acknowledgements minute by minute on the PagerDuty side."""

    def __init__(self, world: World, start: datetime) -> None:
        self.world = world
        self.start = start
        self.out = Outcome()
        self._open: dict[tuple[str, str], Incident] = {}
        self._windows: dict[str, list[tuple[int, int]]] = {}
        for window in world.maintenance_windows:
            span = (self._offset(window.start), self._offset(window.end))
            for service_id in window.service_ids:
                self._windows.setdefault(service_id, []).append(span)

    def _offset(self, moment: datetime) -> int:
        return int((moment - self.start).total_seconds())

    def at(self, offset: int) -> datetime:
        return self.start + timedelta(seconds=offset)

    def in_maintenance(self, service_id: str, when: int) -> bool:
        return any(a <= when < b for a, b in self._windows.get(service_id, []))

    # --- the run -----------------------------------------------------------------------------------------

    def run(self, events: Iterable[InboundEvent], acks: Iterable[Acknowledgement], until: int) -> Outcome:
        by_time: dict[int, list[InboundEvent]] = {}
        for event in events:
            by_time.setdefault(event.time, []).append(event)
        ack_times: dict[int, list[Acknowledgement]] = {}
        for ack in acks:
            ack_times.setdefault(ack.time, []).append(ack)
        moments = sorted({*by_time, *ack_times, *range(0, until + 1, 60)})
        for when in moments:
            for event in by_time.get(when, []):
                self._event(event)
            for ack in ack_times.get(when, []):
                self._acknowledge(ack, when)
            self._timers(when)
        return self.out

    def _event(self, event: InboundEvent) -> None:
        service = self.world.services.get(event.service_id)
        key = (event.service_id, event.dedup_key)
        if event.action == "resolve":
            incident = self._open.get(key)
            if incident is not None:
                self._set(incident, event.time, "resolved", f"resolved by {event.source}")
            return
        if service is None:
            self.out.dropped.append((event, "no such PagerDuty service"))
            return
        if self.in_maintenance(event.service_id, event.time):
            self.out.dropped.append((event, "the service is in a maintenance window"))
            return
        if key in self._open:
            self._open[key].history.append((event.time, f"event appended ({event.source})"))
            return
        incident = Incident(
            number=len(self.out.incidents) + 1,
            service_id=event.service_id,
            dedup_key=event.dedup_key,
            urgency=urgency(service, event.severity, self.at(event.time)),
            opened=event.time,
            source=event.source,
            monitor=event.monitor,
        )
        self.out.incidents.append(incident)
        self._open[key] = incident
        self._set(incident, event.time, "triggered", f"triggered by {event.source} ({incident.urgency} urgency)")
        if service.known:
            self._assign(incident, event.time, 0, "triggered")

    def _acknowledge(self, ack: Acknowledgement, when: int) -> None:
        for incident in list(self._open.values()):
            if incident.status != "triggered" or (ack.service_id is not None and incident.service_id != ack.service_id):
                continue
            by = ack.by or (incident.assigned[0] if incident.assigned else None)
            incident.acknowledged_by = by
            incident.escalate_at = None
            self._set(incident, when, "acknowledged", f"acknowledged by {self.world.person(by) if by else 'someone'}")
            timeout = self.world.services[incident.service_id].body.get("acknowledgement_timeout")
            if timeout:
                incident.retrigger_at = when + int(timeout)

    def _timers(self, when: int) -> None:
        for incident in list(self._open.values()):
            service = self.world.services[incident.service_id]
            auto = service.body.get("auto_resolve_timeout")
            if auto and when >= incident.opened + int(auto):
                self._set(incident, when, "resolved", "auto-resolved (auto_resolve_timeout)")
                continue
            if (
                incident.status == "acknowledged"
                and incident.retrigger_at is not None
                and when >= incident.retrigger_at
            ):
                self._retrigger(incident, when)
            elif incident.status == "triggered" and incident.escalate_at is not None and when >= incident.escalate_at:
                self._escalate(incident, when)
            self._urgency_change(service, incident, when)

    # --- escalation ----------------------------------------------------------------------------------------

    def _rules(self, service_id: str) -> tuple[list[Mapping[str, Any]], int]:
        policy_ref = self.world.services[service_id].body.get("escalation_policy") or {}
        policy = self.world.escalation_policies.get(str(policy_ref.get("id")), {})
        return list(policy.get("escalation_rules") or []), int(policy.get("num_loops") or 0)

    def _targets(self, rule: Mapping[str, Any], when: int) -> tuple[str, ...]:
        users: list[str] = []
        for target in rule.get("targets") or []:
            if target.get("type") in ("schedule_reference", "schedule"):
                schedule = self.world.schedules.get(str(target.get("id")))
                user = on_call(schedule, self.at(when)) if schedule is not None else None
                if user is not None:
                    users.append(user)
            else:
                users.append(str(target.get("id")))
        return tuple(dict.fromkeys(users))

    def _assign(self, incident: Incident, when: int, level: int, reason: str) -> None:
        rules, _ = self._rules(incident.service_id)
        for index in range(level, len(rules)):
            users = self._targets(rules[index], when)
            if users:
                incident.level = index
                incident.assigned = users
                incident.escalate_at = when + int(rules[index].get("escalation_delay_in_minutes") or 0) * 60
                label = reason if index == level else f"{reason}; nobody on call at level {level + 1}"
                incident.history.append(
                    (when, f"assigned to level {index + 1}: {', '.join(map(self.world.person, users))}")
                )
                for user in users:
                    self._page(incident, user, when, label)
                return
        incident.escalate_at = None
        incident.history.append((when, "nobody on call at any remaining level"))

    def _escalate(self, incident: Incident, when: int) -> None:
        rules, loops = self._rules(incident.service_id)
        level = incident.level + 1
        if level >= len(rules):
            if incident.loop >= loops:
                incident.escalate_at = None
                incident.history.append((when, "escalation policy exhausted"))
                return
            incident.loop += 1
            level = 0
        self._assign(
            incident,
            when,
            level,
            f"escalated to level {level + 1}" + (f" (loop {incident.loop})" if incident.loop else ""),
        )

    def _retrigger(self, incident: Incident, when: int) -> None:
        incident.retrigger_at = None
        acker = incident.acknowledged_by
        self._set(incident, when, "triggered", "acknowledgement timeout: triggered again")
        incident.loop = 0
        self._assign(incident, when, 0, "acknowledgement timeout")
        if acker is not None and acker not in incident.assigned:
            self._page(incident, acker, when, "acknowledgement timeout (acknowledged it)")

    def _urgency_change(self, service: PagerDutyService, incident: Incident, when: int) -> None:
        if incident.status != "triggered" or incident.urgency != "low":
            return
        actions = service.body.get("scheduled_actions") or []
        raises = any(
            a.get("type") == "urgency_change"
            and (a.get("at") or {}).get("name") == "support_hours_start"
            and a.get("to_urgency") == "high"
            for a in actions
        )
        support = service.body.get("support_hours") or {}
        if (
            raises
            and support
            and _in_support_hours(support, self.at(when))
            and not _in_support_hours(support, self.at(when - 60))
        ):
            incident.urgency = "high"
            incident.history.append((when, "urgency raised to high: support hours started"))
            for user in incident.assigned:
                self._page(incident, user, when, "urgency raised at the start of support hours")

    # --- bookkeeping ---------------------------------------------------------------------------------------

    def _page(self, incident: Incident, user: str, when: int, reason: str) -> None:
        self.out.pages.append(Page(when, user, incident.service_id, incident.urgency, incident.number, reason))

    def _set(self, incident: Incident, when: int, status: IncidentStatus, what: str) -> None:
        incident.status = status
        incident.history.append((when, what))
        if status == "resolved":
            self._open.pop((incident.service_id, incident.dedup_key), None)
            incident.escalate_at = incident.retrigger_at = None
        self._record(incident.service_id, when)

    def _record(self, service_id: str, when: int) -> None:
        statuses = {i.status for i in self._open.values() if i.service_id == service_id}
        worst = "triggered" if "triggered" in statuses else "acknowledged" if statuses else "none"
        times, values = self.out._changes.setdefault(service_id, ([], []))
        if times and times[-1] == when:
            values[-1] = worst
        else:
            times.append(when)
            values.append(worst)


def service_status(outcome: Outcome, simulation: Simulation, service_id: str, when: int) -> str:
    """PagerDuty's status of a service at ``when``."""
    if simulation.in_maintenance(service_id, when):
        return "maintenance"
    status = outcome.status_at(service_id, when)
    return {"triggered": "critical", "acknowledged": "warning"}.get(status or "", "active")
