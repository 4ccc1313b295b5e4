"""v2 downtimes (JSON:API).

Reproduced: defaults for omitted attributes (`display_timezone`, notify end
states/types, `mute_first_recovery_notification`, `message: null`), a null
`schedule.start` becoming the server time, `notify_end_states` in a different
order on every response, PATCH as a partial merge, cancel as an idempotent 204
that keeps the downtime listed with status `canceled`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from compiler.sandbox.clock import parse_instant
from compiler.sandbox.datadog.common import bad, body_object, bool_arg, int_arg
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, resource_routes, route
from compiler.sandbox.world import World, iso_micro

KIND = "dd_downtime"
FAMILY = "downtime_api"
USER_ID = "3ad549bf-eba0-11e9-a77a-0705486660d0"
END_STATES = {"alert", "no data", "warn"}
END_TYPES = {"canceled", "expired"}
ATTRS = {
    "scope",
    "monitor_identifier",
    "message",
    "display_timezone",
    "mute_first_recovery_notification",
    "notify_end_states",
    "notify_end_types",
    "schedule",
}


def _parse_time(value: Any, field: str) -> dt.datetime:
    try:
        return parse_instant(value if isinstance(value, str) else "")
    except ValueError as exc:
        raise bad(f"schedule.{field} must be an RFC3339 timestamp, not {value!r}") from exc


def _schedule(world: World, raw: Any, existing: dict[str, Any] | None) -> dict[str, Any]:
    if raw is None:
        raw = {"start": None}
    if not isinstance(raw, dict):
        raise bad("schedule must be an object")
    if "recurrences" in raw:
        recs = raw["recurrences"]
        if not isinstance(recs, list) or not recs:
            raise bad("schedule.recurrences must be a non-empty list")
        for r in recs:
            if not isinstance(r, dict) or not r.get("rrule") or not r.get("duration"):
                raise bad("each recurrence needs rrule and duration")
        return {"recurrences": [dict(r) for r in recs], "timezone": raw.get("timezone") or "UTC"}
    start_raw = raw.get("start")
    start = world.now() if start_raw is None else _parse_time(start_raw, "start")
    if existing is not None and start_raw is None and "start" in existing:
        start = _parse_time(existing["start"], "start")
    end = raw.get("end")
    if end is not None and _parse_time(end, "end") <= start:
        raise bad("schedule.end must be after schedule.start")
    return {"start": iso_micro(start), "end": iso_micro(_parse_time(end, "end")) if end else None}


def _attributes(world: World, raw: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    attrs = dict(existing or {})
    for key in ATTRS & set(raw):
        attrs[key] = raw[key]
    if not isinstance(attrs.get("scope"), str) or not attrs["scope"].strip():
        raise bad("scope is required")
    if ":" not in attrs["scope"] and attrs["scope"].strip() != "*":
        # A scope is `key:value` terms; one without any key is refused (recorded: v2
        # `test_schedule_a_downtime_returns_bad_request_response`). Finer term checks are left to Datadog.
        raise bad("All values must have a key")
    ident = attrs.get("monitor_identifier")
    if not isinstance(ident, dict) or not (
        isinstance(ident.get("monitor_id"), int)
        or (isinstance(ident.get("monitor_tags"), list) and ident["monitor_tags"])
    ):
        raise bad("monitor_identifier must be {monitor_id} or a non-empty {monitor_tags}")
    if "monitor_id" in ident and world.store.get("dd_monitor", str(ident["monitor_id"])) is None:
        raise dd_error(404, f"Monitor {ident['monitor_id']} not found")
    states = attrs.get("notify_end_states")
    if states is None:
        states = sorted(END_STATES)
    if not isinstance(states, list) or not set(states) <= END_STATES:
        raise bad(f"notify_end_states must be a subset of {sorted(END_STATES)}")
    types = attrs.get("notify_end_types")
    if types is None:
        types = ["expired"]
    if not isinstance(types, list) or not set(types) <= END_TYPES:
        raise bad(f"notify_end_types must be a subset of {sorted(END_TYPES)}")
    attrs["notify_end_states"], attrs["notify_end_types"] = states, types
    attrs.setdefault("message", None)
    attrs["display_timezone"] = attrs.get("display_timezone") or "UTC"
    attrs.setdefault("mute_first_recovery_notification", False)
    if "schedule" in raw or existing is None:
        attrs["schedule"] = _schedule(world, raw.get("schedule"), (existing or {}).get("schedule"))
    return attrs


def _status(world: World, attrs: dict[str, Any]) -> str:
    if attrs.get("canceled"):
        return "canceled"
    sched = attrs["schedule"]
    if "recurrences" in sched:
        return "active"
    now = world.now()
    if _parse_time(sched["start"], "start") > now:
        return "scheduled"
    if sched.get("end") and _parse_time(sched["end"], "end") <= now:
        return "ended"
    return "active"


def render(world: World, d: dict[str, Any], include: set[str], relationships: bool) -> dict[str, Any]:
    attrs = dict(d["attributes"])
    attrs["notify_end_states"] = world.shuffled(attrs["notify_end_states"])
    attrs["status"] = _status(world, attrs)
    data: dict[str, Any] = {"type": "downtime", "attributes": attrs, "id": d["id"]}
    ident = attrs["monitor_identifier"]
    if relationships:
        monitor = {"type": "monitors", "id": str(ident["monitor_id"])} if "monitor_id" in ident else None
        data["relationships"] = {"created_by": {"data": {"type": "users", "id": USER_ID}}, "monitor": {"data": monitor}}
    return data


def _included(world: World, docs: list[dict[str, Any]], include: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if "created_by" in include and docs:
        out.append(
            {
                "type": "users",
                "id": USER_ID,
                "attributes": {
                    "name": "Sandbox User",
                    "handle": "sandbox@example.com",
                    "created_at": "2019-10-02T08:15:39.795051+00:00",
                    "modified_at": "2020-06-15T12:33:12.884459+00:00",
                    "email": "sandbox@example.com",
                    "icon": "https://secure.gravatar.com/avatar/sandbox?s=48&d=retro",
                    "title": None,
                    "verified": True,
                    "service_account": False,
                    "disabled": False,
                    "allowed_login_methods": [],
                    "status": "Active",
                },
            }
        )
    if "monitor" in include:
        for d in docs:
            ident = d["attributes"]["monitor_identifier"]
            mon = world.store.get("dd_monitor", str(ident.get("monitor_id", "")))
            if mon is not None:
                out.append({"type": "monitors", "id": mon["id"], "attributes": {"name": mon["name"]}})
    return out


def _include(req: Request) -> set[str]:
    return {i for i in (req.arg("include") or "").split(",") if i}


def _body_data(req: Request, require_id: str | None) -> dict[str, Any]:
    body = body_object(req)
    data = body.get("data")
    if not isinstance(data, dict) or data.get("type") != "downtime":
        raise bad("data.type must be 'downtime'")
    attrs = data.get("attributes")
    if not isinstance(attrs, dict):
        raise bad("data.attributes is required")
    return attrs


def _get(world: World, downtime_id: str, missing: str = "Downtime not found") -> dict[str, Any]:
    """Errors as recorded (v2 `downtimes` feature): a malformed id is a 400, an unknown one a 404."""
    try:
        uuid.UUID(downtime_id)
    except ValueError as exc:
        raise bad("Invalid URL param: downtime_id must be an uuid") from exc
    d = world.store.get(KIND, downtime_id)
    if d is None:
        raise dd_error(404, missing)
    return d


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    raw = _body_data(req, None)
    with world.store.transaction():
        attrs = _attributes(world, raw, None)
        now = iso_micro(world.now())
        attrs.update(created=now, modified=now, canceled=None)
        d: dict[str, Any] = {"id": str(uuid.uuid1()), "attributes": attrs}
        world.store.put(KIND, d["id"], d)
    include = {"created_by"} | _include(req)
    return Response(200, {"data": render(world, d, include, True), "included": _included(world, [d], include)})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    d = _get(world, p["downtime_id"])
    include = _include(req)
    body: dict[str, Any] = {"data": render(world, d, include, bool(include))}
    if include:
        body["included"] = _included(world, [d], include)
    return Response(200, body)


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    raw = _body_data(req, p["downtime_id"])
    unknown = sorted(set(raw) - ATTRS)
    if unknown:  # recorded (v2 `test_update_a_downtime_returns_bad_request_response`): the update is strict
        raise bad(f"Additional properties are not allowed ({', '.join(repr(k) for k in unknown)} was unexpected)")
    with world.store.transaction():
        d = _get(world, p["downtime_id"])
        if d["attributes"].get("canceled"):
            raise bad("Cannot update a canceled downtime")
        attrs = _attributes(world, raw, d["attributes"])
        attrs["modified"] = iso_micro(world.now())
        d["attributes"] = attrs
        world.store.put(KIND, d["id"], d)
    include = {"created_by"} | _include(req)
    return Response(200, {"data": render(world, d, include, True), "included": _included(world, [d], include)})


def cancel(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        d = _get(world, p["downtime_id"], f"Downtime {p['downtime_id']} not found")
        if not d["attributes"].get("canceled"):
            now = iso_micro(world.now())
            d["attributes"]["canceled"] = now
            d["attributes"]["modified"] = now
            world.store.put(KIND, d["id"], d)
    return Response(204)


def matches(world: World, req: Request, p: dict[str, str]) -> Response:
    """GET /api/v2/monitor/{monitor_id}/downtime_matches: the active downtimes silencing that monitor."""
    mon = world.store.get("dd_monitor", p["monitor_id"]) if p["monitor_id"].isdigit() else None
    if mon is None:
        raise dd_error(404, f"Monitor with id {p['monitor_id']} not found")
    found = []
    for d in world.store.list(KIND):
        attrs = d["attributes"]
        ident = attrs["monitor_identifier"]
        hit = ident.get("monitor_id") == mon["id"] or (
            "monitor_tags" in ident
            and ({"*"} == set(ident["monitor_tags"]) or set(ident["monitor_tags"]) <= set(mon["tags"]))
        )
        if hit and _status(world, attrs) == "active":
            sched = attrs["schedule"]
            found.append(
                {
                    "type": "downtime_match",
                    "id": d["id"],
                    "attributes": {
                        "scope": attrs["scope"],
                        "groups": ["*"],
                        "start": sched.get("start"),
                        "end": sched.get("end"),
                    },
                }
            )
    return Response(200, {"data": found, "meta": {"page": {"total_filtered_count": len(found)}}})


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    offset = int_arg(req, "page[offset]", 0) or 0
    limit = int_arg(req, "page[limit]", 30, minimum=1) or 30
    docs = world.store.list(KIND)
    if bool_arg(req, "current_only"):
        docs = [d for d in docs if _status(world, d["attributes"]) in ("active", "scheduled")]
    include = _include(req)
    page = docs[offset : offset + limit]
    body: dict[str, Any] = {
        "data": [render(world, d, include, bool(include)) for d in page],
        "meta": {"page": {"total_filtered_count": len(docs)}},
    }
    if include:
        body["included"] = _included(world, page, include)
    return Response(200, body)


ROUTES = [
    *resource_routes(
        FAMILY, "/api/v2/downtime", "/api/v2/downtime/{downtime_id}", (list_, create, get, update, cancel), "PATCH"
    ),
    route("GET", "/api/v2/monitor/{monitor_id}/downtime_matches", matches, FAMILY),
]
