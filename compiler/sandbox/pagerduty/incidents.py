"""Incidents, created only through the Events API, and the event ingestion
that drives them, so service status follows alerts the way it does in production."""

from __future__ import annotations

import secrets
from typing import Any

from compiler.sandbox.errors import ApiError, pd_error, pd_invalid
from compiler.sandbox.pagerduty import services
from compiler.sandbox.pagerduty.common import decorate, fmt_time, get_or_404, paginate, ref, require_from, unwrap
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World, pd_id

KIND = "pd_incident"
SEVERITIES = {"critical", "error", "warning", "info"}


def _user_ref(world: World, user_id: str) -> dict[str, Any]:
    user = world.store.get("pd_user", user_id)
    return ref(world, "user", user_id, user["name"] if user else None)


def render(world: World, inc: dict[str, Any]) -> dict[str, Any]:
    svc = world.store.get("pd_service", inc["service_id"])
    ep_id = svc["escalation_policy_id"] if svc else None
    ep = world.store.get("pd_escalation_policy", ep_id) if ep_id else None
    out = {
        "id": inc["id"],
        "incident_number": inc["incident_number"],
        "title": inc["title"],
        "description": inc["title"],
        "created_at": inc["created_at"],
        "updated_at": inc["updated_at"],
        "status": inc["status"],
        "incident_key": inc["dedup_key"],
        "urgency": inc["urgency"],
        "service": ref(world, "service", inc["service_id"], svc["name"] if svc else None),
        "assignments": [
            {"at": a["at"], "assignee": _user_ref(world, a["assignee"]["id"])} for a in inc.get("assignments", [])
        ],
        "acknowledgements": [],
        "last_status_change_at": inc["updated_at"],
        "escalation_policy": ref(world, "escalation_policy", ep_id, ep["name"] if ep else None) if ep_id else None,
        "teams": [],
        "priority": None,
        "resolve_reason": None,
        "alert_counts": {
            "all": 1,
            "triggered": int(inc["status"] != "resolved"),
            "resolved": int(inc["status"] == "resolved"),
        },
    }
    return decorate(world, "incident", out, f"[#{inc['incident_number']}] {inc['title']}")


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    items = world.store.list(KIND)
    service_ids = set(req.args("service_ids"))
    if service_ids:
        items = [i for i in items if i["service_id"] in service_ids]
    statuses = set(req.args("statuses"))
    if statuses:
        items = [i for i in items if i["status"] in statuses]
    page, meta = paginate(req, items)
    return Response(200, {"incidents": [render(world, i) for i in page], **meta})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, {"incident": render(world, get_or_404(world, KIND, p["id"]))})


STATUS_ORDER = {"triggered": 0, "acknowledged": 1, "resolved": 2}


def _change(world: World, inc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """One incident update (documented "Update an incident"): status acknowledged or resolved, title, urgency.
    A resolved incident cannot be reopened (the API answers 400 "Incident Already Resolved")."""
    status = body.get("status")
    if status is not None:
        if status not in STATUS_ORDER:
            raise pd_invalid("status must be acknowledged or resolved")
        if inc["status"] == "resolved" and status != "resolved":
            raise pd_error(400, "Incident Already Resolved", 2001)
        if STATUS_ORDER[status] >= STATUS_ORDER[inc["status"]]:
            inc["status"] = status
    for key in ("title", "urgency"):
        if isinstance(body.get(key), str):
            inc[key] = body[key]
    inc["updated_at"] = fmt_time(world.now())
    world.store.put(KIND, inc["id"], inc)
    return inc


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    require_from(world, req)
    body = unwrap(req, "incident")
    with world.store.transaction():
        inc = _change(world, get_or_404(world, KIND, p["id"]), body)
    return Response(200, {"incident": render(world, inc)})


def update_many(world: World, req: Request, _: dict[str, str]) -> Response:
    """PUT /incidents: up to 250 incident updates at once (documented "Manage incidents")."""
    require_from(world, req)
    raw = req.json(pd_invalid)
    items = raw.get("incidents") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items or len(items) > 250:
        raise pd_invalid("incidents must be a list of 1 to 250 incident updates")
    with world.store.transaction():
        changed = [_change(world, get_or_404(world, KIND, str(i.get("id"))), i) for i in items if isinstance(i, dict)]
    return Response(200, {"incidents": [render(world, i) for i in changed]})


def _invalid_event(*errors: str) -> ApiError:
    return ApiError(400, {"status": "invalid event", "message": "Event object is invalid", "errors": list(errors)})


def enqueue(world: World, req: Request) -> Response:
    body = req.json(_invalid_event)
    if not isinstance(body, dict):
        raise _invalid_event("Event must be a JSON object")
    key, action = body.get("routing_key"), body.get("event_action")
    if not isinstance(key, str) or len(key) != 32:
        raise _invalid_event("'routing_key' is missing or invalid")
    if action not in ("trigger", "acknowledge", "resolve"):
        raise _invalid_event("'event_action' must be one of trigger, acknowledge, resolve")
    dedup = body.get("dedup_key")
    if action == "trigger":
        payload = body.get("payload")
        if not isinstance(payload, dict):
            raise _invalid_event("'payload' is missing")
        for field in ("summary", "source"):
            if not isinstance(payload.get(field), str) or not payload[field].strip():
                raise _invalid_event(f"'payload.{field}' is missing or blank")
        if payload.get("severity") not in SEVERITIES:
            raise _invalid_event("'payload.severity' must be one of critical, error, warning, info")
        dedup = dedup or secrets.token_hex(16)
    elif not isinstance(dedup, str) or not dedup:
        raise _invalid_event("'dedup_key' is required for acknowledge and resolve")
    outcome = world.limiter.events(key)
    if not outcome.allowed:
        raise ApiError(
            429,
            {
                "status": "throttle event",
                "message": "Requests for this service are arriving too quickly. Please retry later.",
            },
        )
    with world.store.transaction():
        svc = services.find_by_routing_key(world, key)
        if svc is None:
            raise _invalid_event("Invalid routing key")
        _apply(world, svc, str(action), str(dedup), body.get("payload") or {})
    return Response(202, {"status": "success", "message": "Event processed", "dedup_key": dedup})


def _apply(world: World, svc: dict[str, Any], action: str, dedup: str, payload: dict[str, Any]) -> None:
    status = services.status(world, svc)
    open_inc = next(
        (
            i
            for i in world.store.list(KIND)
            if i["service_id"] == svc["id"] and i["dedup_key"] == dedup and i["status"] != "resolved"
        ),
        None,
    )
    now = fmt_time(world.now())
    if action == "trigger":
        if open_inc is not None or status in ("disabled", "maintenance"):
            return
        rule = svc["incident_urgency_rule"]
        urgency = rule.get("urgency") or rule.get("during_support_hours", {}).get("urgency") or "high"
        if urgency == "severity_based":
            urgency = "high" if payload.get("severity") in ("critical", "error") else "low"
        inc = {
            "id": pd_id("Q"),
            "incident_number": world.store.next_counter("incident_number", 1),
            "title": payload["summary"],
            "created_at": now,
            "updated_at": now,
            "status": "triggered",
            "dedup_key": dedup,
            "urgency": urgency,
            "service_id": svc["id"],
        }
        world.store.put(KIND, inc["id"], inc)
        svc["last_incident_timestamp"] = now
        world.store.put("pd_service", svc["id"], svc)
        return
    if open_inc is None:
        return
    open_inc["status"] = "acknowledged" if action == "acknowledge" else "resolved"
    open_inc["updated_at"] = now
    world.store.put(KIND, open_inc["id"], open_inc)


ROUTES = [
    route("GET", "/incidents", list_),
    route("PUT", "/incidents", update_many),
    route("GET", "/incidents/{id}", get),
    route("PUT", "/incidents/{id}", update),
]
