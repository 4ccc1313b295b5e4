"""Maintenance windows. A start in the past becomes now; the end must be in the
future; deleting an ongoing window ends it, deleting an ended one is a 405."""

from __future__ import annotations

from typing import Any

from compiler.sandbox.errors import pd_error, pd_invalid
from compiler.sandbox.pagerduty.common import (
    decorate,
    fmt_time,
    having,
    paginate,
    parse_time,
    queried,
    ref,
    ref_id,
    require_from,
    text_or_none,
)
from compiler.sandbox.pagerduty.crud import Entity
from compiler.sandbox.routing import Request, Response
from compiler.sandbox.world import World

KIND = "pd_maintenance_window"
NOT_FOUND = ("Maintenance Window Not Found", 5001)


def _phase(world: World, mw: dict[str, Any]) -> str:
    now = world.now()
    if parse_time(mw["end_time"], "e") <= now:
        return "past"
    if parse_time(mw["start_time"], "s") > now:
        return "future"
    return "ongoing"


def build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    mw = dict(existing or {})
    now = world.now().replace(microsecond=0)
    start = parse_time(body.get("start_time", mw.get("start_time")), "start_time")
    end = parse_time(body.get("end_time", mw.get("end_time")), "end_time")
    start = max(start, now)
    if end <= now or end <= start:
        raise pd_invalid("end_time must be in the future and after the start_time")
    if "services" in body or existing is None:
        services = body.get("services")
        if not isinstance(services, list) or not services:
            raise pd_invalid("At least one service is required")
        ids = []
        for s in services:
            sid = ref_id(s, "service", "services")
            if world.store.get("pd_service", sid) is None:
                raise pd_error(404, "Service Not Found", 5002)
            ids.append(sid)
        mw["service_ids"] = list(dict.fromkeys(ids))
    if "description" in body or existing is None:
        mw["description"] = text_or_none(body.get("description"), "description")
    mw["start_time"], mw["end_time"] = start.isoformat(), end.isoformat()
    return mw


def render(world: World, mw: dict[str, Any]) -> dict[str, Any]:
    creator = world.store.get("pd_user", mw["created_by"])
    services = []
    for sid in mw["service_ids"]:
        svc = world.store.get("pd_service", sid)
        services.append(ref(world, "service", sid, svc["name"] if svc else None))
    out = {
        "id": mw["id"],
        "sequence_number": mw["sequence_number"],
        "start_time": fmt_time(parse_time(mw["start_time"], "s")),
        "end_time": fmt_time(parse_time(mw["end_time"], "e")),
        "description": mw["description"],
        "created_by": ref(world, "user", mw["created_by"], creator["name"] if creator else None),
        "services": services,
        "teams": [],
    }
    return decorate(world, "maintenance_window", out, mw["description"])


def _created(world: World, req: Request, mw: dict[str, Any]) -> None:
    mw["created_by"] = require_from(world, req)["id"]
    mw["sequence_number"] = world.store.next_counter("mw_sequence", 1)


def _not_past(world: World, req: Request, mw: dict[str, Any]) -> None:
    if _phase(world, mw) == "past":
        raise pd_error(405, "Cannot update a maintenance window from the past", 5003)


def _end(world: World, req: Request, mw: dict[str, Any], kind: str) -> None:
    """Deleting a future window removes it, an ongoing one ends now, a past one is a 405."""
    phase = _phase(world, mw)
    if phase == "past":
        raise pd_error(405, "Cannot cancel a maintenance window from the past", 5003)
    if phase == "future":
        world.store.delete(kind, mw["id"])
    else:
        mw["end_time"] = world.now().isoformat()
        world.store.put(kind, mw["id"], mw)


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    items = world.store.list(KIND)
    flt = req.arg("filter") or "all"
    wanted = {
        "past": {"past"},
        "future": {"future"},
        "ongoing": {"ongoing"},
        "open": {"future", "ongoing"},
        "all": {"past", "future", "ongoing"},
    }.get(flt)
    if wanted is None:
        raise pd_invalid("filter must be one of past, future, ongoing, open, all")
    items = [m for m in items if _phase(world, m) in wanted]
    items = queried(req, having(req, "service_ids", items, lambda m: m["service_ids"]), "description")
    items.sort(key=lambda m: m["start_time"])
    page, meta = paginate(req, items)
    return Response(200, {"maintenance_windows": [render(world, m) for m in page], **meta})


WINDOWS = Entity(
    KIND,
    "maintenance_window",
    "/maintenance_windows",
    build,
    lambda world, mw, _: render(world, mw),
    list_,
    NOT_FOUND,
    before_create=_created,
    before_update=_not_past,
    delete=_end,
)
ROUTES = WINDOWS.routes()
