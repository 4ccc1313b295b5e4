"""On-call rendering: layers → shifts, restrictions, layer precedence, overrides.

The compiler checks coverage gaps against `final_schedule`, so the sandbox must
render one that follows PagerDuty's rules closely enough: rotations from the
virtual start, restrictions in the schedule's time zone, later layers taking
precedence over earlier ones, overrides over everything, entries clipped to
[since, until).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from compiler.sandbox.pagerduty.common import parse_time, zone

Interval = tuple[dt.datetime, dt.datetime, str]


def _restriction_windows(
    restrictions: list[dict[str, Any]], tz: str, since: dt.datetime, until: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    z = zone(tz)
    out = []
    day = (since.astimezone(z) - dt.timedelta(days=8)).date()
    last = until.astimezone(z).date()
    while day <= last:
        for r in restrictions:
            if r["type"] == "weekly_restriction" and day.isoweekday() != r.get("start_day_of_week"):
                continue
            h, m, s = (int(x) for x in r["start_time_of_day"].split(":"))
            start = dt.datetime.combine(day, dt.time(h, m, s), z)
            out.append((start, start + dt.timedelta(seconds=r["duration_seconds"])))
        day += dt.timedelta(days=1)
    return out


def layer_intervals(layer: dict[str, Any], tz: str, since: dt.datetime, until: dt.datetime) -> list[Interval]:
    lstart = max(parse_time(layer["start"], "start"), since)
    lend = min(parse_time(layer["end"], "end"), until) if layer.get("end") else until
    users = layer["user_ids"]
    if lstart >= lend or not users:
        return []
    rvs = parse_time(layer["rotation_virtual_start"], "rotation_virtual_start")
    turn = dt.timedelta(seconds=layer["rotation_turn_length_seconds"])
    k = int((lstart - rvs) // turn)
    shifts: list[Interval] = []
    while True:
        s, e = rvs + k * turn, rvs + (k + 1) * turn
        if s >= lend:
            break
        cs, ce = max(s, lstart), min(e, lend)
        if cs < ce:
            shifts.append((cs, ce, users[k % len(users)]))
        k += 1
    if not layer.get("restrictions"):
        return shifts
    windows = _restriction_windows(layer["restrictions"], tz, lstart, lend)
    out = []
    for s, e, u in shifts:
        for ws, we in windows:
            cs, ce = max(s, ws), min(e, we)
            if cs < ce:
                out.append((cs, ce, u))
    out.sort()
    return out


def merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s, e, u in sorted(intervals):
        if out and out[-1][2] == u and out[-1][1] >= s:
            ps, pe, _ = out[-1]
            out[-1] = (ps, max(pe, e), u)
        else:
            out.append((s, e, u))
    return out


def combine(layers: list[list[Interval]]) -> list[Interval]:
    """Later lists win where they overlap earlier ones."""
    points = sorted({t for layer in layers for s, e, _ in layer for t in (s, e)})
    out: list[Interval] = []
    for a, b in itertools.pairwise(points):
        for layer in reversed(layers):
            owner = next((u for s, e, u in layer if s <= a and b <= e), None)
            if owner is not None:
                out.append((a, b, owner))
                break
    return merge(out)


def coverage(entries: list[Interval], since: dt.datetime, until: dt.datetime) -> float:
    total = (until - since).total_seconds()
    if total <= 0:
        return 0.0
    covered = sum((e - s).total_seconds() for s, e, _ in merge([(s, e, "x") for s, e, _ in entries]))
    return round(100.0 * covered / total, 2)
