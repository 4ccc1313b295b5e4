"""Per schedule, two weeks of on-call as a Mermaid Gantt chart: each layer's turns, and who is on call.

The two weeks start at the schedule's latest layer start in the definitions (the moment every layer is in force),
never at today's date, so the document is the same whenever it is rendered; the chart says so. Turns follow
PagerDuty's rules as the evaluator reads them (``compiler.evaluate.oncall``): members take turns of the layer's
rotation counted from its start on the schedule's wall clock, restrictions keep a layer to their intervals
(``compiler.coverage.layer_coverage``), and where layers overlap the later layer wins. Times are shown on the
schedule's wall clock, in its time zone.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from compiler.coverage import layer_coverage, schedule_gaps
from compiler.definitions import models as m
from compiler.diagrams.mermaid import block, plain
from compiler.evaluate.oncall import Interval

HORIZON = timedelta(weeks=2)
_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Shift:
    start: datetime
    end: datetime
    person: str


def _turns(layer: m.Layer, zone: ZoneInfo, window: Interval) -> list[Shift]:
    """The layer's turns within ``window``: hand-offs at the same wall-clock time, whatever daylight saving does."""
    first = layer.start.astimezone(zone).replace(tzinfo=None)
    turn = timedelta(seconds=layer.rotation.seconds)
    begin = window[0].astimezone(zone).replace(tzinfo=None)
    index = max(0, int((begin - first) / turn))
    out: list[Shift] = []
    while True:
        start = (first + index * turn).replace(tzinfo=zone)
        end = (first + (index + 1) * turn).replace(tzinfo=zone)
        if start >= window[1]:
            return out
        if end > window[0]:
            out.append(Shift(max(start, window[0]), min(end, window[1]), layer.members[index % len(layer.members)]))
        index += 1


def layer_shifts(layer: m.Layer, zone: str, window: Interval) -> list[Shift]:
    """Who the layer puts on call when, within ``window`` (restrictions and the layer's own end applied)."""
    tz = ZoneInfo(zone)
    covered = layer_coverage(layer, zone, window)
    out = []
    for turn in _turns(layer, tz, window):
        for start, end in covered:
            if start < turn.end and end > turn.start:
                out.append(Shift(max(start, turn.start), min(end, turn.end), turn.person))
    return out


def on_call(per_layer: list[list[Shift]]) -> list[Shift]:
    """The final schedule: at each moment the last layer with someone on call; nobody where none has."""
    cuts = sorted({t for shifts in per_layer for s in shifts for t in (s.start, s.end)})
    out: list[Shift] = []
    for start, end in itertools.pairwise(cuts):
        person = next(
            (s.person for shifts in reversed(per_layer) for s in shifts if s.start <= start and end <= s.end), None
        )
        if person is None:
            continue
        if out and out[-1].person == person and out[-1].end == start:
            out[-1] = Shift(out[-1].start, end, person)
        else:
            out.append(Shift(start, end, person))
    return out


def window_of(schedule: m.Schedule) -> Interval:
    start = max(layer.start for layer in schedule.layers)
    return start, start + HORIZON


def _task(shift: Shift, zone: ZoneInfo) -> str:
    start = shift.start.astimezone(zone).strftime(_FORMAT)
    end = shift.end.astimezone(zone).strftime(_FORMAT)
    return f"    {plain(shift.person)} :{start}, {end}"


def schedule_gantt(schedule: m.Schedule) -> list[str]:
    """The chart (a fenced block) and the sentence saying which two weeks it shows."""
    zone = ZoneInfo(schedule.time_zone)
    window = window_of(schedule)
    per_layer = [layer_shifts(layer, schedule.time_zone, window) for layer in schedule.layers]
    gaps = schedule_gaps(schedule, window[0], HORIZON)
    lines = [
        "gantt",
        f"  title {plain(schedule.title or schedule.name)} ({schedule.time_zone})",
        "  dateFormat YYYY-MM-DD HH:mm",
        "  axisFormat %a %d",
        "  todayMarker off",
    ]
    for layer, shifts in zip(schedule.layers, per_layer, strict=True):
        lines.append(f"  section {plain(layer.name)}")
        lines += [_task(s, zone) for s in shifts]
    if len(per_layer) > 1:  # one layer is its own final schedule
        lines.append("  section On call")
        lines += [_task(s, zone) for s in on_call(per_layer)]
    shown = window[0].astimezone(zone)
    note = (
        f"Two weeks from {shown.strftime(_FORMAT)} {schedule.time_zone}: the latest layer start in the definitions "
        "(not today's date), times on the schedule's wall clock"
        + (f"; {len(gaps)} gap(s) with nobody on call." if gaps else "; someone is on call throughout.")
    )
    return [note, "", *block(lines)]
