"""The evaluator's world from a compiled definition set: every object in its API shape, ids as placeholders.

Compiled objects reference each other through ``${address}`` placeholders (``compiler.resources.ref``): a service's
escalation policy is ``${pagerduty:escalation_policy/identity-escalation}``, a schedule's user
``${lookup:user/ada@example.com}``. Keyed by the same placeholders, the world resolves every reference without an
account. Status services that the definitions reference by id (``pagerduty_service``) are outside the compiled set:
they enter as services that only carry a status, reached through their ``datadog_handle``.
"""

from __future__ import annotations

from datetime import datetime

from compiler.compile.banners import status_key
from compiler.compile.compiler import CompileResult
from compiler.definitions import Definitions
from compiler.evaluate.world import DowntimeObject, MaintenanceWindowObject, MonitorObject, PagerDutyService, World
from compiler.kinds import all_kinds
from compiler.kinds.datadog.monitor import MONITORS_FAMILY
from compiler.resources import Resource, ref, references_in

LOOKUP_USER = "lookup:user/"


def _id(resource: Resource) -> str:
    return ref(resource.address)


def _time(value: object) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def compiled_world(definitions: Definitions, compiled: CompileResult) -> World:
    resources = compiled.resources
    world = World()
    monitor_kinds = [k for k in all_kinds() if k.api_family == MONITORS_FAMILY]
    for kind in monitor_kinds:
        for r in resources.by_kind(kind.provider, kind.kind):
            world.monitors[r.key] = MonitorObject(r.key, r.body)
    for r in resources.by_kind("datadog", "slo"):
        world.slos[_id(r)] = r.body
    for r in resources.by_kind("datadog", "downtime"):
        world.downtimes.append(DowntimeObject(r.key, r.body))
    for r in resources.by_kind("pagerduty", "service"):
        world.services[_id(r)] = PagerDutyService(_id(r), r.key, r.body)
    for r in resources.by_kind("pagerduty", "escalation_policy"):
        world.escalation_policies[_id(r)] = r.body
    for r in resources.by_kind("pagerduty", "schedule"):
        world.schedules[_id(r)] = r.body
    for r in resources.by_kind("pagerduty", "maintenance_window"):
        ids = tuple(str(s["id"]) for s in r.body.get("services") or [])
        world.maintenance_windows.append(
            MaintenanceWindowObject(
                r.key, _time(r.body["start_time"]), _time(r.body["end_time"]), ids, str(r.body.get("description") or "")
            )
        )
    for r in resources.by_kind("datadog", "pagerduty_service_object"):
        for address, _field in references_in(r.body.get("service_key")):
            integration = resources.get(address)
            service = (integration.body.get("service") or {}).get("id") if integration is not None else None
            if service is not None:
                world.handles[f"@pagerduty-{r.body['service_name']}"] = str(service)
    by_key = {dep.key: dep for dep in definitions.dependencies}
    for handle, key in compiled.banner_targets.items():
        service_id = by_key[key].pagerduty_service
        if service_id is None:
            continue
        world.handles[handle] = service_id
        world.services.setdefault(service_id, PagerDutyService(service_id, status_key(key), {}, known=False))
    for dep in definitions.dependencies:  # referenced status services no handle reaches still carry windows
        if dep.pagerduty_service is not None:
            world.services.setdefault(
                dep.pagerduty_service, PagerDutyService(dep.pagerduty_service, status_key(dep.key), {}, known=False)
            )
    for body in [*world.escalation_policies.values(), *world.schedules.values()]:
        for address, _field in references_in(body):
            if address.startswith(LOOKUP_USER):
                world.people[ref(address)] = address.removeprefix(LOOKUP_USER)
    return world
