"""v1 downtimes, the legacy API the `datadog` library and its `dog` CLI still use, and the legacy
monitor mute/unmute actions.

Shapes and errors follow the recorded answers (public corpus, v1 `downtimes` feature; datadogpy's
`TestDatadog.test_monitor_muting`): epoch-second `start`/`end`, `monitor_tags: ["*"]` when none are
given, `downtime_type` 0 for a downtime by monitor tags and 2 otherwise, `scope` always a list
(the library sends one scope as a string), cancel = 204 and idempotent, `mute_all` = a `*` downtime.
"""

from __future__ import annotations

import uuid
from typing import Any

from compiler.sandbox.datadog import monitors
from compiler.sandbox.datadog.common import CREATOR, ORG_ID, bad, body_object
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, resource_routes, route
from compiler.sandbox.world import World

KIND = "dd_downtime_v1"
FAMILY = "downtime_api"
RECURRENCE_TYPES = {"days", "weeks", "months", "years"}
WEEK_DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
END_STATES = ["alert", "no data", "warn"]
WRITABLE = (
    "scope",
    "monitor_id",
    "monitor_tags",
    "start",
    "end",
    "message",
    "recurrence",
    "timezone",
    "mute_first_recovery_notification",
    "notify_end_states",
    "notify_end_types",
)


def _recurrence(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("type") not in RECURRENCE_TYPES:
        raise bad("Invalid recurrence type")
    days = raw.get("week_days")
    if days is not None and (not isinstance(days, list) or not set(days) <= WEEK_DAYS):
        raise bad("Invalid set of days in week_days. Be sure that the first letter is capitalized.")
    if raw.get("until_occurrences") is not None and raw.get("until_date") is not None:
        raise bad("You must provide only provide one of (until_occurrences, until_date)")
    return {
        "type": raw["type"],
        "period": raw.get("period", 1),
        "week_days": days,
        "until_occurrences": raw.get("until_occurrences"),
        "until_date": raw.get("until_date"),
    }


def _build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    d = dict(existing or {})
    for key in WRITABLE:
        if key in body and body[key] is not None:
            d[key] = body[key]
    scope = d.get("scope")
    if isinstance(scope, str):
        d["scope"] = [s.strip() for s in scope.split(",") if s.strip()]
    if not isinstance(d.get("scope"), list) or not d["scope"]:
        raise bad("Invalid scope parameter")
    monitor_id = d.get("monitor_id")
    if monitor_id is not None and world.store.get(monitors.KIND, str(monitor_id)) is None:
        raise dd_error(404, f"Monitor {monitor_id} not found")
    d["recurrence"] = _recurrence(d.get("recurrence"))
    now = int(world.now().timestamp())
    d.setdefault("start", now)
    d.setdefault("end", None)
    d.setdefault("message", None)
    d.setdefault("timezone", "UTC")
    d.setdefault("monitor_tags", ["*"])
    d.setdefault("monitor_id", None)
    d.setdefault("mute_first_recovery_notification", False)
    d.setdefault("notify_end_states", list(END_STATES))
    d.setdefault("notify_end_types", ["expired"])
    if d["end"] is not None and d["end"] <= d["start"]:
        raise bad("End time must be after start time")
    return d


def render(world: World, d: dict[str, Any]) -> dict[str, Any]:
    now = int(world.now().timestamp())
    ended = d["end"] is not None and d["end"] <= now
    out = {k: d[k] for k in ("id", "monitor_id", "start", "end", "canceled", "created", "modified", "message")}
    out.update(
        org_id=ORG_ID,
        active=not d["canceled"] and d["start"] <= now and not ended,
        disabled=bool(d["canceled"]),
        recurrence=d["recurrence"],
        timezone=d["timezone"],
        parent_id=None,
        child_id=None,
        creator_id=CREATOR["id"],
        updater_id=d.get("updater_id"),
        downtime_type=0 if d["scope"] == ["*"] else 2,  # recorded: `*` downtimes 0 (mute_all too), scoped ones 2
        status="canceled" if d["canceled"] else ("ended" if ended else "active" if d["start"] <= now else "scheduled"),
        monitor_tags=d["monitor_tags"],
        mute_first_recovery_notification=d["mute_first_recovery_notification"],
        notify_end_types=d["notify_end_types"],
        notify_end_states=d["notify_end_states"],
        uuid=d["uuid"],
        scope=d["scope"],
    )
    return out


def _get(world: World, downtime_id: str, message: str = "Downtime not found") -> dict[str, Any]:
    d = world.store.get(KIND, downtime_id) if downtime_id.isdigit() else None
    if d is None:
        raise dd_error(404, message)
    return d


def insert(world: World, body: dict[str, Any]) -> dict[str, Any]:
    d = _build(world, body, None)
    now = int(world.now().timestamp())
    d.update(
        id=world.store.next_counter("downtime_v1_id", 2941964001),
        created=now,
        modified=now,
        canceled=None,
        uuid=str(uuid.uuid1()),
    )
    world.store.put(KIND, str(d["id"]), d)
    return d


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    with world.store.transaction():
        d = insert(world, body_object(req))
    return Response(200, render(world, d))


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, render(world, _get(world, p["downtime_id"])))


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        existing = _get(world, p["downtime_id"])
        d = _build(world, body_object(req), existing)
        d.update(updater_id=CREATOR["id"], uuid=None)
        world.store.put(KIND, str(d["id"]), d)
    return Response(200, render(world, d))


def _cancel(world: World, d: dict[str, Any]) -> None:
    if not d["canceled"]:
        d["canceled"] = d["modified"] = int(world.now().timestamp())
        d["updater_id"] = CREATOR["id"]  # recorded: a canceled downtime names who canceled it
        world.store.put(KIND, str(d["id"]), d)


def cancel(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        _cancel(world, _get(world, p["downtime_id"], f"Downtime {p['downtime_id']} not found"))
    return Response(204)


def cancel_by_scope(world: World, req: Request, _: dict[str, str]) -> Response:
    scope = body_object(req).get("scope")
    with world.store.transaction():
        hits = [d for d in world.store.list(KIND) if not d["canceled"] and scope in d["scope"]]
        if not hits:
            raise dd_error(404, "No downtimes found")
        for d in hits:
            _cancel(world, d)
    return Response(200, {"cancelled_ids": [d["id"] for d in hits]})


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    current = (req.arg("current_only") or "").lower() == "true"
    items = [render(world, d) for d in world.store.list(KIND)]
    return Response(200, [d for d in items if not current or d["active"]])


def active_for(world: World, monitor: dict[str, Any]) -> list[dict[str, Any]]:
    """The v1 downtimes silencing `monitor` now (its id, or `*`/its tags)."""
    out = []
    for d in world.store.list(KIND):
        rendered = render(world, d)
        if not rendered["active"]:
            continue
        if d["monitor_id"] is not None:
            hit = d["monitor_id"] == monitor["id"]
        else:
            hit = d["monitor_tags"] == ["*"] or set(d["monitor_tags"]) <= set(monitor.get("tags", []))
        if hit:
            out.append({"id": d["id"], "scope": d["scope"], "start": d["start"], "end": d["end"]})
    return out


# -- legacy mute actions (not in the current spec; datadogpy's recorded TestDatadog.test_monitor_muting) ----
def mute(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req) if req.raw_body else {}
    with world.store.transaction():
        mon = monitors.load(world, p["monitor_id"])
        scope = body.get("scope") or "*"
        mon["options"] = {**mon["options"], "silenced": {**mon["options"].get("silenced", {}), scope: body.get("end")}}
        world.store.put(monitors.KIND, str(mon["id"]), mon)
    return Response(200, monitors.render(mon, creator=False))


def unmute(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req) if req.raw_body else {}
    with world.store.transaction():
        mon = monitors.load(world, p["monitor_id"])
        silenced = dict(mon["options"].get("silenced", {}))
        if body.get("all_scopes"):
            silenced = {}
        else:
            silenced.pop(body.get("scope") or "*", None)
        mon["options"] = {**mon["options"], "silenced": silenced}
        world.store.put(monitors.KIND, str(mon["id"]), mon)
    return Response(200, monitors.render(mon, creator=False))


def mute_all(world: World, req: Request, _: dict[str, str]) -> Response:
    with world.store.transaction():
        d = insert(world, {"scope": ["*"]})
    return Response(200, render(world, d))


def unmute_all(world: World, req: Request, _: dict[str, str]) -> Response:
    """Ends the global mute; without one Datadog answers 400 (datadogpy's recorded TestDogshell.test_monitors:
    a second `dog monitor unmute_all` gets `Monitoring is not currently globally muted`)."""
    with world.store.transaction():
        hits = [
            d
            for d in world.store.list(KIND)
            if not d["canceled"] and d["scope"] == ["*"] and d["monitor_tags"] == ["*"] and d["monitor_id"] is None
        ]
        if not hits:
            raise dd_error(400, "Monitoring is not currently globally muted")
        for d in hits:
            _cancel(world, d)
    return Response(204)


LEGACY = "datadogpy Monitor.mute/unmute/mute_all/unmute_all; recorded in its TestDatadog.test_monitor_muting"
ROUTES = [
    route("POST", "/api/v1/downtime/cancel/by_scope", cancel_by_scope, FAMILY),
    *resource_routes(
        FAMILY, "/api/v1/downtime", "/api/v1/downtime/{downtime_id}", (list_, create, get, update, cancel)
    ),
    route("POST", "/api/v1/monitor/mute_all", mute_all, monitors.FAMILY, undocumented=LEGACY),
    route("POST", "/api/v1/monitor/unmute_all", unmute_all, monitors.FAMILY, undocumented=LEGACY),
    route("POST", "/api/v1/monitor/{monitor_id}/mute", mute, monitors.FAMILY, undocumented=LEGACY),
    route("POST", "/api/v1/monitor/{monitor_id}/unmute", unmute, monitors.FAMILY, undocumented=LEGACY),
]
