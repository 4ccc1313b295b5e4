"""On-call coverage: which minutes a schedule (or an escalation policy) leaves without anyone to page.

Layers are rendered the way PagerDuty renders them: a layer covers all of
its active span unless it has restrictions, in which case only the restricted
intervals, placed on the wall clock of the schedule's time zone (so a daily
09:00 restriction is 09:00 local on both sides of a DST change) and lasting
their absolute duration. Coverage is the union of the layers; a gap is any
part of the window that no layer covers. Time is always an argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from compiler.definitions import models as m
from compiler.definitions.types import WEEKDAYS, clock_minutes
from compiler.evaluate.oncall import Interval, restriction_intervals

DEFAULT_HORIZON = timedelta(weeks=4)


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime

    def describe(self, zone: str) -> str:
        tz = ZoneInfo(zone)
        hours = (self.end - self.start).total_seconds() / 3600
        return f"{self.start.astimezone(tz).isoformat()} to {self.end.astimezone(tz).isoformat()} ({hours:g} h, {zone})"


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def gaps(covered: Iterable[Interval], window: Interval) -> list[Gap]:
    cursor, end = window
    holes: list[Gap] = []
    for start, stop in merge(covered):
        if stop <= cursor:
            continue
        if start > cursor:
            holes.append(Gap(cursor, min(start, end)))
        cursor = max(cursor, stop)
        if cursor >= end:
            break
    if cursor < end:
        holes.append(Gap(cursor, end))
    return [g for g in holes if g.start < g.end]


def _restriction_intervals(r: m.Restriction, zone: ZoneInfo, window: Interval) -> list[Interval]:
    """The restriction on the zone's wall clock: the evaluator's rule (``compiler.evaluate.oncall``), one for both."""
    weekday = WEEKDAYS.index(r.start_day) if r.start_day is not None else None
    return restriction_intervals(r.type, clock_minutes(r.start_time), r.duration.seconds, weekday, zone, window)


def layer_coverage(layer: m.Layer, zone: str, window: Interval) -> list[Interval]:
    active_start = max(layer.start, window[0])
    active_end = min(layer.end, window[1]) if layer.end else window[1]
    if active_start >= active_end:
        return []
    if not layer.restrictions:
        return [(active_start, active_end)]
    tz = ZoneInfo(zone)
    pieces = [
        (max(s, active_start), min(e, active_end))
        for r in layer.restrictions
        for s, e in _restriction_intervals(r, tz, window)
    ]
    return merge(pieces)


def schedule_coverage(schedule: m.Schedule, window: Interval) -> list[Interval]:
    return merge(i for layer in schedule.layers for i in layer_coverage(layer, schedule.time_zone, window))


def schedule_gaps(schedule: m.Schedule, start: datetime, horizon: timedelta = DEFAULT_HORIZON) -> list[Gap]:
    window = (start, start + horizon)
    return gaps(schedule_coverage(schedule, window), window)


def policy_gaps(
    policy: m.EscalationPolicy, schedules: dict[str, m.Schedule], start: datetime, horizon: timedelta = DEFAULT_HORIZON
) -> list[Gap]:
    """Minutes when no rule of the policy has anyone to page (a user target covers all the time)."""
    window = (start, start + horizon)
    covered: list[Interval] = []
    for rule in policy.rules:
        for target in rule.targets:
            if target.user is not None:
                return []
            if target.schedule is not None and target.schedule in schedules:
                covered += schedule_coverage(schedules[target.schedule], window)
    return gaps(covered, window)
