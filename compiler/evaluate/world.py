"""What the evaluator evaluates: Datadog and PagerDuty objects in the APIs' own shapes, keyed by id.

The same shapes come from a compiled definition set (``compiler.alerttest.compiled``: ids are the compiled
objects' ``${...}`` placeholders, which reference each other just as live ids do), from a live account, or from the
sandbox's store; so one evaluator serves ``alertc test``, ``alertc test --live`` and the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MonitorObject:
    key: str  # how tests and findings name it: the definitions name, or a live id
    body: dict[str, Any]  # name, type, query, message, tags, options, priority


@dataclass(frozen=True)
class DowntimeObject:
    key: str
    body: dict[str, Any]  # v2 attributes: scope, monitor_identifier, schedule, mute_first_recovery_notification, ...


@dataclass(frozen=True)
class PagerDutyService:
    id: str
    key: str  # how tests name it (the definitions name of the service, ``status-<key>`` for a status service)
    body: dict[str, Any]  # name, escalation_policy, incident_urgency_rule, support_hours, timeouts
    known: bool = True  # False: referenced by id only, its settings unknown (it only carries a status)


@dataclass(frozen=True)
class MaintenanceWindowObject:
    id: str
    start: datetime
    end: datetime
    service_ids: tuple[str, ...]
    description: str = ""


@dataclass
class World:
    monitors: dict[str, MonitorObject] = field(default_factory=dict)  # by key
    slos: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id
    downtimes: list[DowntimeObject] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)  # "@pagerduty-<service_name>" → PagerDuty service id
    services: dict[str, PagerDutyService] = field(default_factory=dict)  # by id
    escalation_policies: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id
    schedules: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id; layers lowest first
    people: dict[str, str] = field(default_factory=dict)  # user id → how tests name the person (an email)
    maintenance_windows: list[MaintenanceWindowObject] = field(default_factory=list)

    def service_by_key(self, key: str) -> PagerDutyService | None:
        return next((s for s in self.services.values() if s.key == key), None)

    def person(self, user_id: str) -> str:
        return self.people.get(user_id, user_id)
