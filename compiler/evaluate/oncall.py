"""Who is on call on a PagerDuty schedule at an instant, from its layers as the API has them.

PagerDuty's rules (https://support.pagerduty.com/main/docs/schedule-basics,
https://support.pagerduty.com/main/docs/schedule-restrictions):

* a layer is in force from its ``start`` until its ``end`` (none: for ever);
* its users take turns of ``rotation_turn_length_seconds`` counted from ``rotation_virtual_start``, in the order
  listed; hand-offs stay at the same wall-clock time of the schedule's time zone across daylight-saving changes;
* restrictions limit a layer to intervals of the day (``daily_restriction``) or of the week
  (``weekly_restriction``, ``start_day_of_week`` 1 = Monday), placed on the wall clock of the schedule's time zone
  and lasting their absolute duration; outside them the layer covers nothing;
* with several layers, the later layer in the schedule (lower in PagerDuty's editor) wins where they overlap: the
  layers here are in the order the API is sent them (POST/PUT), the lowest first; a GET lists them the other way
  round, so a caller reading a live schedule reverses them;
* only one user per schedule is on call at a time, and nobody may be.

``restriction_intervals`` is also what ``compiler.coverage`` uses to find on-call gaps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


def restriction_intervals(
    restriction_type: str,
    minute_of_day: int,
    duration_seconds: int,
    weekday: int | None,
    zone: ZoneInfo,
    window: Interval,
) -> list[Interval]:
    """The intervals one restriction allows within ``window`` (``weekday`` 0 = Monday, for weekly ones)."""
    at = time(minute_of_day // 60, minute_of_day % 60)
    first = (window[0].astimezone(zone) - timedelta(days=8)).date()
    last = window[1].astimezone(zone).date()
    out: list[Interval] = []
    day = first
    while day <= last:
        if restriction_type == "daily" or day.weekday() == weekday:
            start = datetime.combine(day, at, tzinfo=zone)
            out.append((start, start + timedelta(seconds=duration_seconds)))
        day += timedelta(days=1)
    return out


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _restricted(layer: Mapping[str, Any], zone: ZoneInfo, when: datetime) -> bool:
    """True when the layer's restrictions allow ``when`` (or it has none)."""
    restrictions = layer.get("restrictions") or []
    if not restrictions:
        return True
    window = (when - timedelta(seconds=1), when + timedelta(seconds=1))
    for r in restrictions:
        hours, minutes, *_ = (int(p) for p in str(r["start_time_of_day"]).split(":"))
        restriction_type = "weekly" if r.get("type") == "weekly_restriction" else "daily"
        weekday = int(r["start_day_of_week"]) - 1 if restriction_type == "weekly" else None
        for start, end in restriction_intervals(
            restriction_type, hours * 60 + minutes, int(r["duration_seconds"]), weekday, zone, window
        ):
            if start <= when < end:
                return True
    return False


def _wall_seconds(moment: datetime, zone: ZoneInfo) -> float:
    """Seconds on the local wall clock (daylight saving changes do not move hand-offs)."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    return (local - datetime(1970, 1, 1)).total_seconds()


def layer_user(layer: Mapping[str, Any], zone: ZoneInfo, when: datetime) -> str | None:
    """The user id the layer puts on call at ``when``, or None."""
    start = _parse(str(layer["start"]))
    end = _parse(str(layer["end"])) if layer.get("end") else None
    users = [u["user"]["id"] for u in layer.get("users") or []]
    if not users or when < start or (end is not None and when >= end) or not _restricted(layer, zone, when):
        return None
    virtual = _parse(str(layer.get("rotation_virtual_start") or layer["start"]))
    turn = int(layer["rotation_turn_length_seconds"])
    turns = int((_wall_seconds(when, zone) - _wall_seconds(virtual, zone)) // turn)
    return str(users[turns % len(users)])


def on_call(schedule: Mapping[str, Any], when: datetime) -> str | None:
    """The user id on call on the schedule at ``when`` (layers lowest first, the later one winning)."""
    zone = ZoneInfo(str(schedule.get("time_zone") or "Etc/UTC"))
    layers: Sequence[Mapping[str, Any]] = schedule.get("schedule_layers") or []
    for layer in reversed(layers):
        user = layer_user(layer, zone, when)
        if user is not None:
            return user
    return None
