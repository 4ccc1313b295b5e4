"""Services and their integrations.

`status` is derived live, never stored: disabled when turned off, maintenance
during an ongoing maintenance window, critical with a triggered incident,
warning with an acknowledged one, else active. Timeouts sent as 0 read back as
null. Integration keys are returned by GET although the spec omits them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from compiler.sandbox.errors import pd_error, pd_invalid
from compiler.sandbox.pagerduty.common import (
    check_time_zone,
    decorate,
    fmt_time,
    having,
    includes,
    paginate,
    parse_time,
    queried,
    ref,
    ref_id,
    refs,
    text_or_none,
    unwrap,
)
from compiler.sandbox.pagerduty.crud import Entity
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World, pd_id

KIND = "pd_service"
URGENCIES = {"high", "low", "severity_based"}
INTEGRATION_TYPES = {
    "aws_cloudwatch_inbound_integration",
    "cloudkick_inbound_integration",
    "event_transformer_api_inbound_integration",
    "generic_email_inbound_integration",
    "generic_events_api_inbound_integration",
    "keynote_inbound_integration",
    "nagios_inbound_integration",
    "pingdom_inbound_integration",
    "sql_monitor_inbound_integration",
    "events_api_v2_inbound_integration",
    "app_event_transform_inbound_integration",
}
KEYED_TYPES = {
    "generic_events_api_inbound_integration",
    "events_api_v2_inbound_integration",
    "event_transformer_api_inbound_integration",
    "app_event_transform_inbound_integration",
}
NOT_FOUND = ("Service Not Found", 5002)


def _timeout(body: dict[str, Any], key: str, default: int, existing: dict[str, Any] | None) -> int | None:
    if key not in body:
        return existing[key] if existing else default
    value = body[key]
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise pd_invalid(f"{key} must be a non-negative integer or null")
    return value or None


def _urgency_rule(body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    rule = body.get("incident_urgency_rule", (existing or {}).get("incident_urgency_rule")) or {
        "type": "constant",
        "urgency": "high",
    }
    if not isinstance(rule, dict):
        raise pd_invalid("incident_urgency_rule must be an object")
    if rule.get("type") == "constant":
        if rule.get("urgency") not in URGENCIES:
            raise pd_invalid("Active urgency must be in high, low, or severity_based.")
        return {"type": "constant", "urgency": rule["urgency"]}
    if rule.get("type") == "use_support_hours":
        if "urgency" in rule and rule["urgency"] is not None:
            raise pd_invalid("urgency must be absent when the rule type is use_support_hours")
        out: dict[str, Any] = {"type": "use_support_hours"}
        for part in ("during_support_hours", "outside_support_hours"):
            sub = rule.get(part)
            if not isinstance(sub, dict) or sub.get("type") != "constant" or sub.get("urgency") not in URGENCIES:
                raise pd_invalid(f"{part} must be a constant rule with urgency high, low or severity_based")
            out[part] = {"type": "constant", "urgency": sub["urgency"]}
        return out
    raise pd_invalid("incident_urgency_rule.type must be constant or use_support_hours")


def _support_hours(world: World, body: dict[str, Any], rule: dict[str, Any], existing: dict[str, Any] | None) -> Any:
    hours = body.get("support_hours", (existing or {}).get("support_hours"))
    if rule["type"] != "use_support_hours":
        if hours:
            raise pd_invalid("Active urgency must be in high, low, or severity_based.")
        return None
    if not isinstance(hours, dict) or hours.get("type") != "fixed_time_per_day":
        raise pd_invalid("support_hours of type fixed_time_per_day is required with use_support_hours")
    check_time_zone(world, hours.get("time_zone"), "support_hours.time_zone")
    days = hours.get("days_of_week")
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        raise pd_invalid("support_hours.days_of_week must list days 1 (Monday) to 7")
    for key in ("start_time", "end_time"):
        value = hours.get(key)
        if not isinstance(value, str) or len(value.split(":")) not in (2, 3):
            raise pd_invalid(f"support_hours.{key} must be HH:MM:SS")
    return {
        "type": "fixed_time_per_day",
        "time_zone": hours["time_zone"],
        "start_time": _hms(hours["start_time"]),
        "end_time": _hms(hours["end_time"]),
        "days_of_week": sorted(set(days)),
    }


def _hms(value: str) -> str:
    parts = [*value.split(":"), "00"]
    return ":".join(p.zfill(2) for p in parts[:3])


def _scheduled_actions(body: dict[str, Any], rule: dict[str, Any], existing: dict[str, Any] | None) -> Any:
    actions = body.get("scheduled_actions", (existing or {}).get("scheduled_actions")) or []
    if not isinstance(actions, list):
        raise pd_invalid("scheduled_actions must be a list")
    if actions and rule["type"] != "use_support_hours":
        raise pd_invalid("scheduled_actions are only allowed with a use_support_hours urgency rule")
    for a in actions:
        if not isinstance(a, dict) or a.get("type") != "urgency_change" or a.get("to_urgency") != "high":
            raise pd_invalid("scheduled_actions must be urgency_change actions to high")
        at = a.get("at") or {}
        if at.get("type") != "named_time" or at.get("name") not in ("support_hours_start", "support_hours_end"):
            raise pd_invalid("scheduled_actions.at must name support_hours_start or support_hours_end")
    return [
        {"type": "urgency_change", "at": {"type": "named_time", "name": a["at"]["name"]}, "to_urgency": "high"}
        for a in actions
    ]


def build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    if body.get("type", "service") not in ("service", "service_reference"):
        raise pd_invalid("type must be service")
    svc: dict[str, Any] = dict(existing or {})
    name = body.get("name", svc.get("name"))
    if not isinstance(name, str) or not name.strip():
        raise pd_invalid("Name cannot be empty.")
    if any(not ch.isprintable() for ch in name):
        raise pd_invalid("Name contains non-printable characters.")
    for other in world.store.list(KIND):
        if other["name"].lower() == name.strip().lower() and other["id"] != svc.get("id"):
            raise pd_invalid("Name has already been taken")
    if "escalation_policy" in body or existing is None:
        ep_id = ref_id(body.get("escalation_policy"), "escalation_policy", "escalation_policy")
        if world.store.get("pd_escalation_policy", ep_id) is None:
            raise pd_invalid("Escalation policy not found")
        svc["escalation_policy_id"] = ep_id
    status = body.get("status")
    if existing is None and status not in (None, "active"):
        raise pd_invalid("Only status active is accepted on create; update the service to change it.")
    if status is not None:
        if status not in ("active", "disabled"):
            raise pd_invalid("status may only be set to active or disabled")
        svc["disabled"] = status == "disabled"
    svc.setdefault("disabled", False)
    svc["name"] = name.strip()
    if "description" in body or existing is None:
        svc["description"] = text_or_none(body.get("description"), "description")
    svc["auto_resolve_timeout"] = _timeout(body, "auto_resolve_timeout", 14400, existing)
    svc["acknowledgement_timeout"] = _timeout(body, "acknowledgement_timeout", 1800, existing)
    rule = _urgency_rule(body, existing)
    svc["incident_urgency_rule"] = rule
    svc["support_hours"] = _support_hours(world, body, rule, existing)
    svc["scheduled_actions"] = _scheduled_actions(body, rule, existing)
    pause = body.get("auto_pause_notifications_parameters", svc.get("auto_pause_notifications_parameters"))
    if pause is not None:
        if not isinstance(pause, dict) or pause.get("timeout") not in (None, 0, 120, 180, 300, 600, 900):
            raise pd_invalid("auto_pause_notifications_parameters.timeout must be 0, 120, 180, 300, 600 or 900")
        pause = {"enabled": bool(pause.get("enabled")), "timeout": pause.get("timeout") or None}
    svc["auto_pause_notifications_parameters"] = pause or {"enabled": False, "timeout": None}
    if "alert_grouping_parameters" in body and body["alert_grouping_parameters"] is not None:
        svc["alert_grouping_parameters"] = body["alert_grouping_parameters"]
    svc.setdefault("alert_grouping_parameters", {"type": None, "config": None})
    svc.setdefault("integrations", [])
    return svc


def _windows_by_service(world: World) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
    """Service id → its maintenance windows' (start, end); rebuilt only when a window changes."""

    def build() -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
        out: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
        for mw in world.store.list("pd_maintenance_window"):
            span = (parse_time(mw["start_time"], "start"), parse_time(mw["end_time"], "end"))
            for sid in mw["service_ids"]:
                out.setdefault(sid, []).append(span)
        return out

    return world.store.derived("windows_by_service", ("pd_maintenance_window",), build)


def _incident_states_by_service(world: World) -> dict[str, set[str]]:
    def build() -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for i in world.store.list("pd_incident"):
            out.setdefault(i["service_id"], set()).add(i["status"])
        return out

    return world.store.derived("incident_states_by_service", ("pd_incident",), build)


def status(world: World, svc: dict[str, Any]) -> str:
    if svc["disabled"]:
        return "disabled"
    now = world.now()
    for start, end in _windows_by_service(world).get(svc["id"], []):
        if start <= now < end:
            return "maintenance"
    states = _incident_states_by_service(world).get(svc["id"], set())
    if "triggered" in states:
        return "critical"
    if "acknowledged" in states:
        return "warning"
    return "active"


def render_integration(world: World, svc: dict[str, Any], integ: dict[str, Any]) -> dict[str, Any]:
    out = {
        "id": integ["id"],
        "name": integ["name"],
        "service": ref(world, "service", svc["id"], svc["name"]),
        "created_at": integ["created_at"],
        "vendor": None,
    }
    if integ.get("vendor_id"):
        vendor = world.store.get("pd_vendor", integ["vendor_id"])
        out["vendor"] = ref(world, "vendor", integ["vendor_id"], vendor["name"] if vendor else None)
    if integ.get("integration_key"):
        out["integration_key"] = integ["integration_key"]
    if integ["type"] == "generic_email_inbound_integration":
        out["integration_email"] = integ.get("integration_email")
    decorate(world, "service", out, integ["name"])
    out["type"] = integ["type"]
    out["self"] = f"{world.base_url}/services/{svc['id']}/integrations/{integ['id']}"
    out["html_url"] = f"https://sandbox.pagerduty.com/services/{svc['id']}/integrations/{integ['id']}"
    return out


def render(world: World, svc: dict[str, Any], include: set[str] | None = None) -> dict[str, Any]:
    include = include or set()
    ep = world.store.get("pd_escalation_policy", svc["escalation_policy_id"])
    integrations = [
        render_integration(world, svc, i)
        if "integrations" in include
        else {
            "id": i["id"],
            "type": f"{i['type']}_reference",
            "summary": i["name"],
            "self": f"{world.base_url}/services/{svc['id']}/integrations/{i['id']}",
            "html_url": f"https://sandbox.pagerduty.com/services/{svc['id']}/integrations/{i['id']}",
        }
        for i in svc["integrations"]
    ]
    teams = refs(world, "team", (ep or {}).get("team_ids", []))
    out = {
        "id": svc["id"],
        "name": svc["name"],
        "description": svc["description"],
        "created_at": svc["created_at"],
        "updated_at": svc["updated_at"],
        "status": status(world, svc),
        "teams": teams,
        "alert_creation": "create_alerts_and_incidents",
        "addons": [],
        "scheduled_actions": svc["scheduled_actions"],
        "support_hours": svc["support_hours"],
        "last_incident_timestamp": svc.get("last_incident_timestamp"),
        "escalation_policy": ref(world, "escalation_policy", svc["escalation_policy_id"], ep["name"] if ep else None),
        "incident_urgency_rule": svc["incident_urgency_rule"],
        "acknowledgement_timeout": svc["acknowledgement_timeout"],
        "auto_resolve_timeout": svc["auto_resolve_timeout"],
        "alert_grouping": None,
        "alert_grouping_timeout": None,
        "alert_grouping_parameters": svc["alert_grouping_parameters"],
        "auto_pause_notifications_parameters": svc["auto_pause_notifications_parameters"],
        "integrations": integrations,
        "response_play": None,
    }
    return decorate(world, "service", out, svc["name"])


def _stamp(world: World, req: Request, svc: dict[str, Any]) -> None:
    svc["updated_at"] = fmt_time(world.now())
    svc.setdefault("created_at", svc["updated_at"])


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    items = queried(req, world.store.list(KIND), "name")
    name = req.arg("name")
    if name:
        items = [s for s in items if s["name"] == name]
    if req.args("team_ids"):  # a service is in the teams of its escalation policy
        eps = {e["id"]: e.get("team_ids", []) for e in world.store.list("pd_escalation_policy")}
        items = having(req, "team_ids", items, lambda s: eps.get(s["escalation_policy_id"], []))
    items.sort(key=lambda s: s["name"].lower())
    page, meta = paginate(req, items)
    include = includes(req)
    return Response(200, {"services": [render(world, s, include) for s in page], **meta})


def create_integration(world: World, req: Request, p: dict[str, str]) -> Response:
    body = unwrap(req, "integration")
    with world.store.transaction():
        svc = SERVICES.load(world, p["id"])
        vendor_id = None
        vendor: dict[str, Any] = {}
        if body.get("vendor") is not None:
            vendor_id = ref_id(body["vendor"], "vendor", "vendor")
            found = world.store.get("pd_vendor", vendor_id)
            if found is None:
                raise pd_invalid("Vendor not found")
            vendor = found
        itype = body.get("type")
        if itype in (None, "service_integration", "integration") and vendor_id is not None:
            itype = vendor["integration_type"]
        if itype not in INTEGRATION_TYPES:
            raise pd_invalid(f"Integration type must be one of {sorted(INTEGRATION_TYPES)}")
        name = body.get("name") or (vendor["name"] if vendor_id else None)
        if not isinstance(name, str) or not name.strip():
            raise pd_invalid("Name cannot be empty.")
        integ = {
            "id": pd_id(),
            "type": itype,
            "name": name.strip(),
            "vendor_id": vendor_id,
            "created_at": fmt_time(world.now()),
            "integration_key": secrets.token_hex(16) if itype in KEYED_TYPES else None,
        }
        if itype == "generic_email_inbound_integration":
            integ["integration_email"] = body.get("integration_email") or f"{integ['id'].lower()}@sandbox.pagerduty.com"
        svc["integrations"].append(integ)
        world.store.put(KIND, svc["id"], svc)
    return Response(201, {"integration": render_integration(world, svc, integ)})


def _find_integration(world: World, p: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    svc = SERVICES.load(world, p["id"])
    for integ in svc["integrations"]:
        if integ["id"] == p["integration_id"]:
            return svc, integ
    raise pd_error(404, "Integration Not Found", 5001)


def get_integration(world: World, req: Request, p: dict[str, str]) -> Response:
    svc, integ = _find_integration(world, p)
    return Response(200, {"integration": render_integration(world, svc, integ)})


def update_integration(world: World, req: Request, p: dict[str, str]) -> Response:
    body = unwrap(req, "integration")
    with world.store.transaction():
        svc, integ = _find_integration(world, p)
        if "name" in body:
            if not isinstance(body["name"], str) or not body["name"].strip():
                raise pd_invalid("Name cannot be empty.")
            integ["name"] = body["name"].strip()
        world.store.put(KIND, svc["id"], svc)
    return Response(200, {"integration": render_integration(world, svc, integ)})


def delete_integration(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        svc, integ = _find_integration(world, p)
        svc["integrations"] = [i for i in svc["integrations"] if i["id"] != integ["id"]]
        world.store.put(KIND, svc["id"], svc)
    return Response(204)


def find_by_routing_key(world: World, key: str) -> dict[str, Any] | None:
    for svc in world.store.list(KIND):
        if any(i.get("integration_key") == key for i in svc["integrations"]):
            return svc
    return None


SERVICES = Entity(
    KIND,
    "service",
    "/services",
    build,
    lambda world, svc, req: render(world, svc, includes(req)),
    list_,
    NOT_FOUND,
    after_write=_stamp,
)
ROUTES = [
    *SERVICES.routes(),
    route("POST", "/services/{id}/integrations", create_integration),
    route("GET", "/services/{id}/integrations/{integration_id}", get_integration),
    route("PUT", "/services/{id}/integrations/{integration_id}", update_integration),
    route(
        "DELETE",
        "/services/{id}/integrations/{integration_id}",
        delete_integration,
        undocumented="terraform-provider-pagerduty (heimweh client) deletes integrations (pagerduty-api.md §2)",
    ),
]
