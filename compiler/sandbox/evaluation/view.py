"""The sandbox's store read as the evaluator's world (``compiler.evaluate.world``): objects in the APIs' shapes.

Monitors are keyed by their id (what a notification and a deduplication key name); PagerDuty objects by id. A
``@pagerduty-<name>`` handle reaches the PagerDuty service that has an integration whose key is the Datadog service
object ``<name>``'s ``service_key``: the Datadog–PagerDuty integration sends its events to the Events API v2 with
that key, so a service object pointing at a wrong or deleted key pages nobody, as in production. Schedule layers
are given lowest first (the order they were sent), as the evaluator reads them. A schedule's overrides follow them
as one-user layers in creation order: an override lies above every layer and the last created wins where two meet
(PagerDuty's reference), which is exactly how the evaluator's on-call rule (``compiler.evaluate.oncall``) ranks
layers, so a page reaches whoever an override put on call.
"""

from __future__ import annotations

from typing import Any

from compiler.evaluate.world import DowntimeObject, MaintenanceWindowObject, MonitorObject, PagerDutyService, World
from compiler.sandbox.pagerduty.common import parse_time
from compiler.sandbox.world import World as Sandbox

MONITOR_FIELDS = ("id", "name", "type", "query", "message", "tags", "options", "priority")


def _service(svc: dict[str, Any]) -> PagerDutyService:
    body = {
        "name": svc["name"],
        "escalation_policy": {"id": svc["escalation_policy_id"], "type": "escalation_policy_reference"},
        "incident_urgency_rule": svc.get("incident_urgency_rule"),
        "support_hours": svc.get("support_hours"),
        "scheduled_actions": svc.get("scheduled_actions") or [],
        "acknowledgement_timeout": svc.get("acknowledgement_timeout"),
        "auto_resolve_timeout": svc.get("auto_resolve_timeout"),
    }
    return PagerDutyService(svc["id"], svc["id"], body)


def _policy(ep: dict[str, Any]) -> dict[str, Any]:
    rules = [
        {
            "escalation_delay_in_minutes": r["escalation_delay_in_minutes"],
            "targets": [{"id": t["id"], "type": f"{t['kind']}_reference"} for t in r["targets"]],
        }
        for r in ep["rules"]
    ]
    return {"name": ep["name"], "num_loops": ep["num_loops"], "escalation_rules": rules}


def _schedule(sched: dict[str, Any]) -> dict[str, Any]:
    layers = [
        {
            "start": layer["start"],
            "end": layer["end"],
            "rotation_virtual_start": layer["rotation_virtual_start"],
            "rotation_turn_length_seconds": layer["rotation_turn_length_seconds"],
            "users": [{"user": {"id": uid, "type": "user_reference"}} for uid in layer["user_ids"]],
            "restrictions": layer["restrictions"],
        }
        for layer in sched["layers"]
    ]
    for o in sched.get("overrides") or []:
        start, end = parse_time(o["start"], "start"), parse_time(o["end"], "end")
        turn = max(int((end - start).total_seconds()), 1)
        layers.append(
            {
                "start": o["start"],
                "end": o["end"],
                "rotation_virtual_start": o["start"],
                "rotation_turn_length_seconds": turn,
                "users": [{"user": {"id": o["user_id"], "type": "user_reference"}}],
                "restrictions": [],
            }
        )
    return {"name": sched["name"], "time_zone": sched["time_zone"], "schedule_layers": layers}


def world_of(sandbox: Sandbox) -> World:
    """Everything the evaluator reads, from the store as it is now."""
    store = sandbox.store
    world = World()
    for mon in store.list("dd_monitor"):
        key = str(mon["id"])
        world.monitors[key] = MonitorObject(key, {f: mon.get(f) for f in MONITOR_FIELDS})
    for slo in store.list("dd_slo"):
        world.slos[str(slo["id"])] = slo
    for downtime in store.list("dd_downtime"):
        world.downtimes.append(DowntimeObject(str(downtime["id"]), dict(downtime["attributes"])))
    by_key: dict[str, str] = {}
    for svc in store.list("pd_service"):
        if svc.get("disabled"):
            continue
        world.services[svc["id"]] = _service(svc)
        for integration in svc.get("integrations") or []:
            if integration.get("integration_key"):
                by_key[integration["integration_key"]] = svc["id"]
    for obj in store.list("dd_pagerduty_service"):
        service_id = by_key.get(str(obj.get("service_key")))
        if service_id is not None:
            world.handles[f"@pagerduty-{obj['service_name']}"] = service_id
    for ep in store.list("pd_escalation_policy"):
        world.escalation_policies[ep["id"]] = _policy(ep)
    for sched in store.list("pd_schedule"):
        world.schedules[sched["id"]] = _schedule(sched)
    for user in store.list("pd_user"):
        world.people[user["id"]] = str(user.get("email") or user["id"])
    for mw in store.list("pd_maintenance_window"):
        world.maintenance_windows.append(
            MaintenanceWindowObject(
                mw["id"],
                parse_time(mw["start_time"], "start"),
                parse_time(mw["end_time"], "end"),
                tuple(mw["service_ids"]),
                str(mw.get("description") or ""),
            )
        )
    return world
