"""The evaluator's world from a live account (``alertc test --live``), and the definitions' world beside it.

Both are lists of ``Entry``: one object each, in its API shape, with the id other objects reference it by. The live
entries are what the plan's bulk read found (``compiler.live.read_live``: no read per object); the desired entries
are the compiled definitions with their references resolved to live ids, as the plan resolves them. Keeping the
two as plain lists is what lets ``compiler.alerttest.causes`` swap one object, or one field, and play a test again
to find which live field breaks an expectation.

What is read, and how it becomes the evaluator's world:

* monitors and SLO alerts of this ownership scope, by their definitions name; hand-made monitors whose message
  notifies one of the scope's PagerDuty handles (they page the same people); other scopes' monitors are not read;
* schedules as configured now: a layer runs from its rotation's anchor (``rotation_virtual_start``), since PagerDuty
  rewrites a past ``start`` to the moment the layer was saved and a test may be set before that;
* every SLO, Datadog downtime and open PagerDuty maintenance window (a hand-made one silences as well);
* PagerDuty services (this scope's by definitions name, referenced status services as ``status-<key>``), every
  escalation policy, schedule (layers back in the order they were sent: the API lists them reversed) and user;
* ``@pagerduty-<name>`` routes when Datadog has a service object named ``<name>`` and the PagerDuty service it was
  made for still has its Datadog integration. The object's key is write-only in Datadog's API, so a key changed
  by hand to point elsewhere cannot be seen; the name is what can.

Maintenance windows and downtimes of the definitions that ended before now are no longer listed by the APIs; they
enter as the definitions have them (their absence is history, not drift).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from compiler.compile.banners import referenced_handle, status_key, status_services
from compiler.compile.compiler import CompileResult
from compiler.definitions import Definitions
from compiler.evaluate.world import DowntimeObject, MaintenanceWindowObject, MonitorObject, PagerDutyService, World
from compiler.kinds import get_kind
from compiler.live import LiveState
from compiler.plan import live_resolver
from compiler.resources import LiveObject, ref, resolve_references

ROLES = {
    "datadog:monitor": "monitor",
    "datadog:slo_alert": "monitor",
    "datadog:slo": "slo",
    "datadog:downtime": "downtime",
    "datadog:pagerduty_service_object": "handle",
    "pagerduty:service": "service",
    "pagerduty:integration": "integration",
    "pagerduty:escalation_policy": "escalation_policy",
    "pagerduty:schedule": "schedule",
    "pagerduty:maintenance_window": "maintenance_window",
}
LABELS = {
    "monitor": "monitor",
    "slo": "SLO",
    "downtime": "Datadog downtime",
    "handle": "Datadog PagerDuty service object",
    "service": "PagerDuty service",
    "integration": "PagerDuty integration",
    "escalation_policy": "escalation policy",
    "schedule": "schedule",
    "maintenance_window": "maintenance window",
}
DATADOG_VENDOR = "PAM4FGS"


@dataclass(frozen=True)
class Entry:
    role: str  # what it is in the evaluator's world: a value of ROLES
    id: str  # what other objects reference it by: the live id, or the definitions' placeholder when not live
    key: str  # how tests and findings name it
    body: dict[str, Any]
    address: str | None = None  # the definitions' address, when the definitions have this object
    live: bool = True  # False: not in the account (taken from the definitions)

    def describe(self) -> str:
        where = f" (id {self.id})" if self.live else " (not in the account)"
        return f"{LABELS[self.role]} '{self.key}'{where}"


@dataclass
class Worlds:
    """The live entries, the definitions' entries (references resolved to live ids), and who people are."""

    live: list[Entry]
    desired: dict[str, Entry]  # by address
    people: dict[str, str]  # user id → email
    referenced: dict[str, str]  # status service id → status-<key>, for services the definitions name by id
    banner_handles: dict[str, str]  # @pagerduty-<datadog_handle> → status service id

    def world(self, entries: Iterable[Entry] | None = None) -> World:
        return build_world(
            list(self.live if entries is None else entries), self.people, self.referenced, self.banner_handles
        )


def _body(obj: LiveObject) -> dict[str, Any]:
    kind = get_kind(obj.provider, obj.kind)
    body = dict(kind.unwrap(kind.from_live(obj.body)))
    if ROLES.get(f"{obj.provider}:{obj.kind}") == "schedule":
        body["schedule_layers"] = [_layer_from_anchor(layer) for layer in body.get("schedule_layers") or []]
    return body


def _layer_from_anchor(layer: Any) -> Any:
    """A layer in force from its rotation's anchor: PagerDuty rewrites a ``start`` in the past to the time of the
    write, so a live layer only "starts" when it was last saved. ``--live`` judges what the account is configured to
    do, not its history, so a test set before that save sees the rotation as it stands."""
    if not isinstance(layer, Mapping) or not layer.get("rotation_virtual_start") or not layer.get("start"):
        return layer
    anchor, start = _time(layer["rotation_virtual_start"]), _time(layer["start"])
    return {**layer, "start": layer["rotation_virtual_start"]} if anchor < start else layer


def _name(obj: LiveObject, key: str | None, referenced: Mapping[str, str]) -> str:
    if key is not None:
        return key
    return referenced.get(obj.live_id) or obj.name or obj.live_id


def live_worlds(definitions: Definitions, compiled: CompileResult, state: LiveState, *, now: datetime) -> Worlds:
    """The live account's entries and the definitions', for one run of ``alertc test --live``."""
    referenced = {
        dep.pagerduty_service: status_key(dep.key) for dep in definitions.dependencies if dep.pagerduty_service
    }
    banner_handles = {
        f"@pagerduty-{handle}": str(dep.pagerduty_service)
        for dep in definitions.dependencies
        if (handle := referenced_handle(dep)) is not None and dep.pagerduty_service
    }
    managed = state.managed()
    live: list[Entry] = []
    for obj in state.objects:
        role = ROLES.get(f"{obj.provider}:{obj.kind}")
        if role is None or obj.foreign_key is not None:
            continue
        address = obj.address if obj.address in managed and managed[obj.address] is obj else None
        key = obj.key if address is not None else None
        live.append(Entry(role, obj.live_id, _name(obj, key, referenced), _body(obj), address))
    resolve = live_resolver(managed, state.lookups())
    desired: dict[str, Entry] = {}
    for resource in compiled.resources:
        role = ROLES.get(f"{resource.provider}:{resource.kind}")
        if role is None:
            continue
        current = managed.get(resource.address)
        body = resolve_references(resource.body, resolve)
        entry_id = current.live_id if current is not None else ref(resource.address)
        desired[resource.address] = Entry(role, entry_id, resource.key, body, resource.address, current is not None)
    live += _history(desired, {e.address for e in live}, now)
    people = {user_id: email for email, user_id in state.users.items()}
    worlds = Worlds(live, desired, people, referenced, banner_handles)
    worlds.live = _relevant_monitors(worlds)
    return worlds


def live_banner_ids(definitions: Definitions, state: LiveState) -> dict[str, str]:
    """Banner key → the live id of its status service (a referenced id as it is; alertc's own by its address).

    A status service missing from the account keeps its placeholder, which no live object has: no banner rises.
    """
    managed = state.managed()
    out: dict[str, str] = {}
    for service in status_services(definitions):
        found = managed.get(service.config_id[2:-1]) if service.config_id.startswith("${") else None
        out[service.key] = found.live_id if found is not None else service.config_id
    return out


def _ended(entry: Entry, now: datetime) -> bool:
    if entry.role == "maintenance_window":
        end = entry.body.get("end_time")
    elif entry.role == "downtime":
        end = (entry.body.get("schedule") or {}).get("end")
    else:
        return False
    return end is not None and _time(end) <= now


def _history(desired: Mapping[str, Entry], present: set[str | None], now: datetime) -> list[Entry]:
    """The definitions' windows and downtimes that ended before ``now``: the APIs list only open ones."""
    return [
        replace(entry, live=False)
        for address, entry in desired.items()
        if address not in present and _ended(entry, now)
    ]


def _relevant_monitors(worlds: Worlds) -> list[Entry]:
    """This scope's monitors, and hand-made ones that notify a handle routed to one of its PagerDuty services."""
    world = worlds.world([e for e in worlds.live if e.role != "monitor"])
    ours = {h for h, service in world.handles.items() if service in world.services}
    return [
        e
        for e in worlds.live
        if e.role != "monitor" or e.address is not None or any(h in str(e.body.get("message", "")) for h in ours)
    ]


def _time(value: object) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _service_of(body: Mapping[str, Any]) -> str | None:
    service = body.get("service")
    return str(service.get("id")) if isinstance(service, Mapping) and service.get("id") else None


def build_world(
    entries: list[Entry], people: Mapping[str, str], referenced: Mapping[str, str], banner_handles: Mapping[str, str]
) -> World:
    """The evaluator's world of these entries (monitors by the name tests use, the rest by id)."""
    world = World(people=dict(people))
    integrated: set[str] = set()
    service_ids: dict[str, str] = {}  # definitions key → service id
    for e in entries:
        if e.role == "monitor":
            world.monitors[e.key] = MonitorObject(e.key, e.body)
        elif e.role == "slo":
            world.slos[e.id] = e.body
        elif e.role == "downtime":
            world.downtimes.append(DowntimeObject(e.key, e.body))
        elif e.role == "service":
            world.services[e.id] = PagerDutyService(e.id, e.key, e.body)
            if e.address is not None:
                service_ids[e.key] = e.id
        elif e.role == "escalation_policy":
            world.escalation_policies[e.id] = e.body
        elif e.role == "schedule":
            world.schedules[e.id] = e.body
        elif e.role == "maintenance_window":
            ids = tuple(str(s.get("id")) for s in e.body.get("services") or [] if isinstance(s, Mapping))
            world.maintenance_windows.append(
                MaintenanceWindowObject(
                    e.id,
                    _time(e.body["start_time"]),
                    _time(e.body["end_time"]),
                    ids,
                    str(e.body.get("description") or ""),
                )
            )
        elif e.role == "integration" and (service := _service_of(e.body)) is not None:
            vendor = (e.body.get("vendor") or {}).get("id") if isinstance(e.body.get("vendor"), Mapping) else None
            if vendor == DATADOG_VENDOR or e.body.get("name") == "Datadog":
                integrated.add(service)
    for e in entries:
        if e.role != "handle":
            continue
        handle = f"@pagerduty-{e.key}"
        service_id = service_ids.get(e.key) or banner_handles.get(handle)
        if service_id is not None and (service_id in integrated or handle in banner_handles):
            world.handles[handle] = service_id
    for service_id, key in referenced.items():
        world.services.setdefault(service_id, PagerDutyService(service_id, key, {}, known=False))
    return world
