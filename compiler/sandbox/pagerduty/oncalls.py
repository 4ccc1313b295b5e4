"""`GET /oncalls`: who is on call, per escalation policy and level, from the rendered schedules (overrides included).

PagerDuty's reference ("List all of the on-calls"): without `since`/`until` the answer is who is on call now; with
them, every on-call of the window. A schedule target gives its final schedule's shifts (layers, then overrides, the
last created winning) with their own start and end, not cut at the window; a user named directly on a level is on
call permanently (`start`/`end` null) and has no schedule. `escalation_policy_ids[]`, `schedule_ids[]` and
`user_ids[]` filter; `earliest=true` keeps the earliest on-call of each policy, level and user; `time_zone` is the
offset the times are written in (the account's by default). Classic pagination.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from compiler.sandbox.errors import pd_invalid
from compiler.sandbox.pagerduty import rendering, schedules
from compiler.sandbox.pagerduty.common import ACCOUNT_TZ, check_time_zone, fmt_time, paginate, parse_time, ref
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

# How far around the window a shift is followed to find its own start and end (PagerDuty answers shifts whole).
REACH = dt.timedelta(days=35)
ONE_SECOND = dt.timedelta(seconds=1)

OnCall = tuple[str, int, str | None, str, dt.datetime | None, dt.datetime | None]  # policy, level, schedule, user, ...


def _window(world: World, req: Request) -> tuple[dt.datetime, dt.datetime]:
    since_raw, until_raw = req.arg("since"), req.arg("until")
    if not since_raw and not until_raw:
        now = world.now()
        return now, now + ONE_SECOND
    since = parse_time(since_raw, "since") if since_raw else world.now()
    until = parse_time(until_raw, "until") if until_raw else since + dt.timedelta(days=1)
    if until <= since:
        raise pd_invalid("until must be after since")
    return since, until


def _schedule_shifts(
    world: World, schedule_id: str, since: dt.datetime, until: dt.datetime
) -> list[rendering.Interval]:
    sched = world.store.get(schedules.KIND, schedule_id)
    if sched is None:
        return []
    _, _, final = schedules.shifts(sched, since - REACH, until + REACH)
    return [(s, e, user) for s, e, user in final if s < until and e > since]


def _oncalls(world: World, since: dt.datetime, until: dt.datetime) -> list[OnCall]:
    out: list[OnCall] = []
    cache: dict[str, list[rendering.Interval]] = {}
    for ep in world.store.list("pd_escalation_policy"):
        for level, rule in enumerate(ep["rules"], start=1):
            for target in rule["targets"]:
                if target["kind"] == "user":
                    out.append((ep["id"], level, None, target["id"], None, None))
                elif target["kind"] == "schedule":
                    found = cache.setdefault(target["id"], _schedule_shifts(world, target["id"], since, until))
                    out += [(ep["id"], level, target["id"], user, s, e) for s, e, user in found]
    return out


def _earliest(items: list[OnCall]) -> list[OnCall]:
    first: dict[tuple[str, int, str], OnCall] = {}
    for item in items:
        key = (item[0], item[1], item[3])
        if key not in first or (item[4] is not None and (first[key][4] or item[4]) > item[4]):
            first[key] = item
    return list(first.values())


def list_oncalls(world: World, req: Request, _: dict[str, str]) -> Response:
    tz = check_time_zone(world, req.arg("time_zone")) if req.arg("time_zone") else ACCOUNT_TZ
    since, until = _window(world, req)
    items = _oncalls(world, since, until)
    policies, scheds, users = (
        set(req.args("escalation_policy_ids")),
        set(req.args("schedule_ids")),
        set(req.args("user_ids")),
    )
    items = [
        i
        for i in items
        if (not policies or i[0] in policies)
        and (not scheds or (i[2] or "null") in scheds)
        and (not users or i[3] in users)
    ]
    if (req.arg("earliest") or "").lower() == "true":
        items = _earliest(items)
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    items.sort(key=lambda i: (i[0], i[1], i[4] or floor, i[3]))
    page, meta = paginate(req, items)
    return Response(200, {"oncalls": [_render(world, i, tz) for i in page], **meta})


def _render(world: World, item: OnCall, tz: str) -> dict[str, Any]:
    policy_id, level, schedule_id, user_id, start, end = item
    policy = world.store.get("pd_escalation_policy", policy_id) or {}
    sched = world.store.get(schedules.KIND, schedule_id) if schedule_id else None
    user = world.store.get("pd_user", user_id)
    return {
        "escalation_policy": ref(world, "escalation_policy", policy_id, policy.get("name")),
        "escalation_level": level,
        "schedule": ref(world, "schedule", schedule_id, sched["name"] if sched else None) if schedule_id else None,
        "user": ref(world, "user", user_id, user["name"] if user else None),
        "start": fmt_time(start, tz) if start else None,
        "end": fmt_time(end, tz) if end else None,
    }


ROUTES = [route("GET", "/oncalls", list_oncalls)]
