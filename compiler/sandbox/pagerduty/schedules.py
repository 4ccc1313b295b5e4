"""Schedules with layers, overrides and a rendered final schedule.

Reproduced quirks (pagerduty-api.md §5): layers come back in the reverse of
the order they were sent; a layer `start` in the past is rewritten to the
update time; datetimes come back in the schedule's time zone offset; only the
documented time zones are accepted; a schedule used by an escalation policy
cannot be deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from compiler.sandbox.errors import pd_error, pd_invalid
from compiler.sandbox.pagerduty import rendering
from compiler.sandbox.pagerduty.common import (
    check_time_zone,
    decorate,
    fmt_time,
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

KIND = "pd_schedule"
NOT_FOUND = ("Schedule Not Found", 3004)


def _restriction(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or raw.get("type") not in ("daily_restriction", "weekly_restriction"):
        raise pd_error(400, "Invalid Schedule", 3001, ["restriction type must be daily or weekly"])
    duration = raw.get("duration_seconds")
    limit = 86400 if raw["type"] == "daily_restriction" else 7 * 86400
    if not isinstance(duration, int) or not 0 < duration <= limit:
        raise pd_error(
            400, "Invalid Schedule", 3001, ["Please use a shorter duration or just turn the recurrence off."]
        )
    tod = raw.get("start_time_of_day")
    try:
        h, m, s = (int(x) for x in str(tod).split(":"))
        dt.time(h, m, s)
    except ValueError as exc:
        raise pd_error(400, "Invalid Schedule", 3001, ["start_time_of_day must be HH:mm:ss"]) from exc
    out = {"type": raw["type"], "start_time_of_day": f"{h:02d}:{m:02d}:{s:02d}", "duration_seconds": duration}
    if raw["type"] == "weekly_restriction":
        day = raw.get("start_day_of_week")
        if not isinstance(day, int) or not 1 <= day <= 7:
            raise pd_error(400, "Invalid Schedule", 3001, ["start_day_of_week must be 1 to 7"])
        out["start_day_of_week"] = day
    return out


def _layers(world: World, raw: Any, existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise pd_error(400, "Invalid Schedule", 3001, ["A schedule must have at least one layer"])
    now = world.now().replace(microsecond=0)
    known = {layer["id"] for layer in existing}
    out = []
    for i, layer in enumerate(raw):
        if not isinstance(layer, dict):
            raise pd_invalid("schedule_layers must be objects")
        for key in ("start", "users", "rotation_virtual_start", "rotation_turn_length_seconds"):
            if layer.get(key) is None:
                raise pd_error(400, "Invalid Schedule", 3001, [f"schedule_layers.{key} is required"])
        start = parse_time(layer["start"], "start")
        end = parse_time(layer["end"], "end") if layer.get("end") else None
        if end is not None and end <= start:
            raise pd_error(400, "Invalid Schedule", 3001, ["Layer end must be after its start"])
        turn = layer["rotation_turn_length_seconds"]
        if not isinstance(turn, int) or turn < 3600:
            raise pd_error(400, "Invalid Schedule", 3001, ["rotation_turn_length_seconds must be at least 3600"])
        users = layer["users"]
        if not isinstance(users, list) or not users:
            raise pd_error(400, "Invalid Schedule", 3001, ["A layer needs at least one user"])
        user_ids = []
        for u in users:
            uid = ref_id((u or {}).get("user") if isinstance(u, dict) else None, "user", "users.user")
            if world.store.get("pd_user", uid) is None:
                raise pd_invalid(f"User {uid} not found")
            user_ids.append(uid)
        lid = layer.get("id") if layer.get("id") in known else pd_id()
        out.append(
            {
                "id": lid,
                "name": layer.get("name") or f"Layer {i + 1}",
                "start": (max(start, now)).isoformat(),
                "end": end.isoformat() if end else None,
                "rotation_virtual_start": parse_time(layer["rotation_virtual_start"], "rvs").isoformat(),
                "rotation_turn_length_seconds": turn,
                "user_ids": user_ids,
                "restrictions": [_restriction(r) for r in layer.get("restrictions") or []],
            }
        )
    return out


def build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    sched = dict(existing or {})
    if body.get("type", "schedule") != "schedule":
        raise pd_invalid("type must be schedule")
    sched["time_zone"] = check_time_zone(world, body.get("time_zone", sched.get("time_zone")))
    name = body.get("name", sched.get("name"))
    if not isinstance(name, str) or not name.strip():
        raise pd_invalid("Name cannot be empty.")
    sched["name"] = name.strip()
    if "description" in body or existing is None:
        sched["description"] = text_or_none(body.get("description"), "description")
    if "schedule_layers" in body or existing is None:
        sched["layers"] = _layers(world, body.get("schedule_layers"), sched.get("layers", []))
    if existing is None:  # teams are only honoured on create
        sched["team_ids"] = [
            t["id"]
            for t in body.get("teams") or []
            if isinstance(t, dict) and world.store.get("pd_team", str(t.get("id"))) is not None
        ]
    sched.setdefault("overrides", [])
    return sched


def _window(world: World, req: Request, tz: str) -> tuple[dt.datetime, dt.datetime, bool]:
    since_raw, until_raw = req.arg("since"), req.arg("until")
    since = parse_time(since_raw, "since") if since_raw else None
    until = parse_time(until_raw, "until") if until_raw else None
    if since is None and until is None:
        since = world.now()
    if since is None:
        assert until is not None
        since = until - dt.timedelta(weeks=2)
    if until is None:
        until = since + dt.timedelta(weeks=2)
    if until <= since:
        raise pd_invalid("until must be after since")
    return since, until, bool(since_raw or until_raw)


def _entries(world: World, entries: list[rendering.Interval], tz: str) -> list[dict[str, Any]]:
    out = []
    for s, e, uid in entries:
        user = world.store.get("pd_user", uid)
        out.append(
            {
                "start": fmt_time(s, tz),
                "end": fmt_time(e, tz),
                "user": ref(world, "user", uid, user["name"] if user else None),
            }
        )
    return out


def _policies_by_schedule(world: World) -> dict[str, list[tuple[str, str]]]:
    """Schedule id → the policies targeting it; rebuilt only when a policy changes."""

    def build() -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for e in world.store.list("pd_escalation_policy"):
            targeted = {t["id"] for r in e["rules"] for t in r["targets"] if t["kind"] == "schedule"}
            for sid in targeted:
                out.setdefault(sid, []).append((e["id"], e["name"]))
        return out

    return world.store.derived("policies_by_schedule", ("pd_escalation_policy",), build)


def render(world: World, sched: dict[str, Any], req: Request | None, full: bool = True) -> dict[str, Any]:
    tz = (req.arg("time_zone") if req else None) or sched["time_zone"]
    check_time_zone(world, tz)
    user_ids = list(dict.fromkeys(u for layer in sched["layers"] for u in layer["user_ids"]))
    users = []
    for uid in user_ids:
        user = world.store.get("pd_user", uid)
        users.append(ref(world, "user", uid, user["name"] if user else None))
    eps = [
        ref(world, "escalation_policy", eid, name) for eid, name in _policies_by_schedule(world).get(sched["id"], [])
    ]
    teams = refs(world, "team", sched["team_ids"])
    out: dict[str, Any] = {
        "id": sched["id"],
        "name": sched["name"],
        "time_zone": sched["time_zone"],
        "description": sched["description"],
        "escalation_policies": eps,
        "users": users,
        "teams": teams,
    }
    if full:
        since, until, explicit = _window(world, req, tz) if req else (world.now(), world.now(), False)
        per_layer, overrides, final = shifts(sched, since, until)
        layers = []
        for layer, intervals in zip(sched["layers"], per_layer, strict=True):
            layers.append(
                {
                    "id": layer["id"],
                    "name": layer["name"],
                    "start": fmt_time(parse_time(layer["start"], "s"), tz),
                    "end": fmt_time(parse_time(layer["end"], "e"), tz) if layer["end"] else None,
                    "rotation_virtual_start": fmt_time(parse_time(layer["rotation_virtual_start"], "r"), tz),
                    "rotation_turn_length_seconds": layer["rotation_turn_length_seconds"],
                    "users": [{"user": ref(world, "user", u, None)} for u in layer["user_ids"]],
                    "restrictions": layer["restrictions"],
                    "rendered_schedule_entries": _entries(world, rendering.merge(intervals), tz),
                    "rendered_coverage_percentage": rendering.coverage(intervals, since, until) if explicit else None,
                }
            )
        out["schedule_layers"] = list(reversed(layers))
        out["final_schedule"] = {
            "name": "Final Schedule",
            "rendered_schedule_entries": _entries(world, final, tz),
            "rendered_coverage_percentage": rendering.coverage(final, since, until) if explicit else None,
        }
        out["overrides_subschedule"] = {
            "name": "Overrides",
            "rendered_schedule_entries": _entries(world, overrides, tz),
            "rendered_coverage_percentage": rendering.coverage(overrides, since, until) if explicit else None,
        }
    return decorate(world, "schedule", out, sched["name"])


def shifts(
    sched: dict[str, Any], since: dt.datetime, until: dt.datetime
) -> tuple[list[list[rendering.Interval]], list[rendering.Interval], list[rendering.Interval]]:
    """Each layer's shifts, the overrides' and the final schedule's within [since, until). Overrides lie above
    every layer, and where two overlap the last created wins (PagerDuty's reference, "Create one or more
    overrides"): each is its own list, in creation order."""
    per_layer = [rendering.layer_intervals(layer, sched["time_zone"], since, until) for layer in sched["layers"]]
    clipped = [
        (max(parse_time(o["start"], "s"), since), min(parse_time(o["end"], "e"), until), o["user_id"])
        for o in sched["overrides"]
    ]
    overrides = [[o] for o in clipped if o[0] < o[1]]
    return per_layer, rendering.combine(overrides), rendering.combine([*per_layer, *overrides])


def preview(world: World, req: Request, _: dict[str, str]) -> Response:
    sched = build(world, unwrap(req, "schedule"), None)
    sched["id"] = "PREVIEW"
    return Response(200, {"schedule": render(world, sched, req)})


def _in_use(world: World, req: Request, sched: dict[str, Any]) -> None:
    for ep in world.store.list("pd_escalation_policy"):
        if any(t["kind"] == "schedule" and t["id"] == sched["id"] for r in ep["rules"] for t in r["targets"]):
            raise pd_invalid("Schedule can't be deleted if it's being used by escalation policies")


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    items = queried(req, world.store.list(KIND), "name")
    items.sort(key=lambda s: s["name"].lower())
    page, meta = paginate(req, items)
    # The list answers layers only when asked (`include[]=schedule_layers`, as documented).
    if "schedule_layers" in req.args("include"):
        rendered = []
        for sched in page:
            full = render(world, sched, None)
            full.pop("final_schedule", None)
            full.pop("overrides_subschedule", None)
            for layer in full["schedule_layers"]:
                layer.pop("rendered_schedule_entries", None)
                layer.pop("rendered_coverage_percentage", None)
            rendered.append(full)
        return Response(200, {"schedules": rendered, **meta})
    return Response(200, {"schedules": [render(world, s, None, full=False) for s in page], **meta})


def _render_override(world: World, sched: dict[str, Any], o: dict[str, Any]) -> dict[str, Any]:
    user = world.store.get("pd_user", o["user_id"])
    return {
        "id": o["id"],
        "start": fmt_time(parse_time(o["start"], "s"), sched["time_zone"]),
        "end": fmt_time(parse_time(o["end"], "e"), sched["time_zone"]),
        "user": ref(world, "user", o["user_id"], user["name"] if user else None),
    }


def create_overrides(world: World, req: Request, p: dict[str, str]) -> Response:
    body = req.json(pd_invalid)
    raw = body.get("overrides") if isinstance(body, dict) else None
    if raw is None and isinstance(body, dict) and isinstance(body.get("override"), dict):
        raw = [body["override"]]
    if not isinstance(raw, list) or not raw:
        raise pd_invalid("overrides must be a non-empty list")
    results = []
    with world.store.transaction():
        sched = SCHEDULES.load(world, p["id"])
        for o in raw:
            start, end = parse_time(o.get("start"), "start"), parse_time(o.get("end"), "end")
            if end <= start or end <= world.now():
                results.append(
                    {"status": 400, "errors": ["Override must end in the future, Override must end after its start"]}
                )
                continue
            uid = ref_id(o.get("user"), "user", "user")
            if world.store.get("pd_user", uid) is None:
                raise pd_invalid(f"User {uid} not found")
            item = {"id": pd_id("Q"), "start": start.isoformat(), "end": end.isoformat(), "user_id": uid}
            sched["overrides"].append(item)
            results.append({"status": 201, "override": _render_override(world, sched, item)})
        world.store.put(KIND, sched["id"], sched)
    return Response(201, results)


def list_overrides(world: World, req: Request, p: dict[str, str]) -> Response:
    """Overrides meeting [since, until), cut at its bounds unless `overflow=true`; `editable` keeps the future
    ones (those not yet started) and answers their ids alone (PagerDuty's parameter documentation)."""
    sched = SCHEDULES.load(world, p["id"])
    since, until, _ = _window(world, req, sched["time_zone"])
    items = [o for o in sched["overrides"] if parse_time(o["start"], "s") < until and parse_time(o["end"], "e") > since]
    if _flag(req, "editable"):
        future = [o for o in items if parse_time(o["start"], "s") > world.now()]
        return Response(200, {"overrides": [{"id": o["id"]} for o in future]})
    if not _flag(req, "overflow"):
        items = [
            {
                **o,
                "start": max(parse_time(o["start"], "s"), since).isoformat(),
                "end": min(parse_time(o["end"], "e"), until).isoformat(),
            }
            for o in items
        ]
    return Response(200, {"overrides": [_render_override(world, sched, o) for o in items]})


def _flag(req: Request, name: str) -> bool:
    value = req.arg(name)
    return value is not None and value.lower() != "false"


def delete_override(world: World, req: Request, p: dict[str, str]) -> Response:
    """PagerDuty's reference: a past override cannot be removed; one in progress is cut at now (200); a future
    one is deleted (204)."""
    with world.store.transaction():
        sched = SCHEDULES.load(world, p["id"])
        found = next((o for o in sched["overrides"] if o["id"] == p["override_id"]), None)
        if found is None:
            raise pd_error(404, "Override Not Found", 5001)
        now = world.now()
        if parse_time(found["end"], "e") <= now:
            raise pd_invalid("Cannot delete a past override")
        status = 204
        if parse_time(found["start"], "s") < now:
            found["end"], status = now.isoformat(), 200
        else:
            sched["overrides"] = [o for o in sched["overrides"] if o is not found]
        world.store.put(KIND, sched["id"], sched)
    return Response(status)


SCHEDULES = Entity(KIND, "schedule", "/schedules", build, render, list_, NOT_FOUND, before_delete=_in_use)
ROUTES = [
    route("POST", "/schedules/preview", preview),
    *SCHEDULES.routes(),
    route("GET", "/schedules/{id}/overrides", list_overrides),
    route("POST", "/schedules/{id}/overrides", create_overrides),
    route("DELETE", "/schedules/{id}/overrides/{override_id}", delete_override),
]
