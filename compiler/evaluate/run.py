"""One run of the evaluator: a world, its input series and the acknowledgements → the timeline of what happens.

Datadog evaluates every monitor on its own (``metric_query``, ``slo``, ``states``), each notification is rendered
and routed (``notifications``), and what reaches PagerDuty is replayed there (``pagerduty``). Datadog never hears
back from PagerDuty, so the two sides run one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from compiler.evaluate.expression import metrics_in
from compiler.evaluate.metric_query import Evaluated, Value, evaluate, frequency, parse_metric_query
from compiler.evaluate.notifications import Notification, notification
from compiler.evaluate.pagerduty import Acknowledgement, InboundEvent, Outcome, Simulation, service_status
from compiler.evaluate.scope import ScopeError, parse_scope, parse_tags
from compiler.evaluate.series import ALL, SeriesSet, Unsupported
from compiler.evaluate.slo import evaluate_slo_alert, parse_slo_query
from compiler.evaluate.states import (
    GroupHistory,
    Silence,
    SilenceLookup,
    State,
    Thresholds,
    behaviour,
    overall,
    run_group,
)
from compiler.evaluate.world import DowntimeObject, MonitorObject, World

METRIC_TYPES = ("metric alert", "query alert")


@dataclass(frozen=True)
class Issue:
    """Something the evaluator cannot compute, named: ``monitor 'x': cannot evaluate <construct>``."""

    subject: str  # "monitor 'ssoe-latency'", "downtime 'x'"
    construct: str

    def describe(self) -> str:
        return f"{self.subject}: cannot evaluate {self.construct}"


@dataclass
class MonitorRun:
    key: str
    times: list[int] = field(default_factory=list)
    values: dict[str, list[Value]] = field(default_factory=dict)
    groups: dict[str, GroupHistory] = field(default_factory=dict)
    silences: SilenceLookup | None = None
    unmatched: list[str] = field(default_factory=list)  # terms no series matched while another term's did

    def silenced_at(self, when: int) -> bool:
        """Whether a downtime is in force for any of its groups (or for the monitor, before any group reports)."""
        if self.silences is None:
            return False
        return any(self.silences(group, when) is not None for group in (list(self.groups) or [ALL]))

    def state_at(self, when: int, group: str | None = None) -> State:
        """The group's state (the overall state without a group) after the last evaluation at or before ``when``."""
        index = _last_index(self.times, when)
        if index < 0:
            return "ok"
        if group is not None:
            history = self.groups.get(group)
            return history.states[index] if history is not None else "ok"
        return overall({g: h.states[index] for g, h in self.groups.items()})


def _last_index(times: Sequence[int], when: int) -> int:
    lo, hi = 0, len(times)
    while lo < hi:
        mid = (lo + hi) // 2
        if times[mid] <= when:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@dataclass
class Timeline:
    start: datetime
    duration: int
    monitors: dict[str, MonitorRun]
    notifications: list[Notification]
    unrouted: list[tuple[Notification, str]]  # a @pagerduty- handle no service object answers
    pagerduty: Outcome
    simulation: Simulation
    issues: list[Issue]

    def service_status(self, service_id: str, when: int) -> str:
        return service_status(self.pagerduty, self.simulation, service_id, when)


def _downtime_window(downtime: DowntimeObject, start: datetime) -> tuple[int, int | None]:
    schedule = downtime.body.get("schedule") or {}
    if schedule.get("recurrences"):
        raise Unsupported("a recurring downtime (rrule)")
    begin = schedule.get("start")
    end = schedule.get("end")

    def offset(value: Any) -> int:
        return int((datetime.fromisoformat(str(value).replace("Z", "+00:00")) - start).total_seconds())

    return (offset(begin) if begin else -(10**9)), (offset(end) if end else None)


def _silences(monitor: MonitorObject, world: World, start: datetime, issues: list[Issue]) -> SilenceLookup | None:
    tags = set(monitor.body.get("tags") or [])
    found: list[tuple[int, int | None, Any, Silence]] = []
    for downtime in world.downtimes:
        identifier = downtime.body.get("monitor_identifier") or {}
        wanted = identifier.get("monitor_tags")
        if wanted is not None and not set(wanted) <= tags:
            continue
        if "monitor_id" in identifier and str(identifier["monitor_id"]) not in (
            monitor.key,
            str(monitor.body.get("id")),
        ):
            continue
        try:
            begin, end = _downtime_window(downtime, start)
            scope = parse_scope(str(downtime.body.get("scope") or "*"))
        except (Unsupported, ScopeError) as exc:
            issues.append(Issue(f"downtime '{downtime.key}'", str(exc)))
            continue
        ends = downtime.body.get("notify_end_types") or ["expired"]
        states = (
            frozenset(downtime.body.get("notify_end_states") or ["alert", "no data", "warn"])
            if "expired" in ends
            else frozenset()
        )
        mute = bool(downtime.body.get("mute_first_recovery_notification"))
        found.append((begin, end, scope, Silence(downtime.key, end, states, mute)))
    if not found:
        return None

    def lookup(group: str, when: int) -> Silence | None:
        group_tags = parse_tags("" if group == ALL else group)
        for begin, end, scope, silence in found:
            if begin <= when and (end is None or when < end) and scope.matches(group_tags):
                return silence
        return None

    return lookup


def _evaluated(
    monitor: MonitorObject, world: World, data: SeriesSet, duration: int
) -> tuple[Evaluated, list[int], Thresholds, int, bool]:
    body = monitor.body
    monitor_type = str(body.get("type"))
    options: Mapping[str, Any] = body.get("options") or {}
    query = str(body.get("query", ""))
    if monitor_type in METRIC_TYPES:
        parsed = parse_metric_query(query)
        step = frequency(parsed.window)
        times = list(range(0, duration + 1, step))
        delay = int(options.get("evaluation_delay") or 0)
        full = bool(options.get("require_full_window"))
        values = evaluate(parsed, data, times, delay=delay, full_window=full)
        thresholds = Thresholds.from_options(parsed.op, parsed.threshold, options)
        return values, times, thresholds, parsed.window, parsed.grouped
    if monitor_type == "slo alert":
        slo_query = parse_slo_query(query)
        slo = world.slos.get(slo_query.slo_id)
        if slo is None:
            raise Unsupported(f"the SLO {slo_query.slo_id}, which is not among the evaluated objects")
        times = list(range(0, duration + 1, 60))
        values = evaluate_slo_alert(slo_query, slo, data, times)
        op = ">=" if slo_query.function == "burn_rate" else slo_query.op  # the documented burn-rate formula
        return values, times, Thresholds.from_options(op, slo_query.threshold, options), slo_query.long_window, False
    raise Unsupported(f"a '{monitor_type}' monitor")


def _unmatched_terms(monitor: MonitorObject, data: SeriesSet) -> list[str]:
    """The metric terms of a metric monitor that select no series, when others do: why it never had a value."""
    if str(monitor.body.get("type")) not in METRIC_TYPES:
        return []
    terms = metrics_in(parse_metric_query(str(monitor.body.get("query", ""))).tree)
    empty = [t for t in terms if not data.term(t)]
    if not empty or len(empty) == len(terms):
        return []
    return [f"{t.space}:{t.name}{{{t.scope}}}" for t in empty]


def run_monitor(
    monitor: MonitorObject, world: World, data: SeriesSet, start: datetime, duration: int, issues: list[Issue]
) -> MonitorRun:
    result = MonitorRun(monitor.key)
    try:
        evaluated, times, thresholds, window, multi = _evaluated(monitor, world, data, duration)
    except Unsupported as exc:
        issues.append(Issue(f"monitor '{monitor.key}'", str(exc)))
        return result
    result.unmatched = _unmatched_terms(monitor, data)
    rules = behaviour(thresholds, monitor.body.get("options") or {}, window=window, multi=multi)
    silenced = _silences(monitor, world, start, issues)
    result.silences = silenced
    result.times = times
    result.values = evaluated.values
    for group, values in evaluated.values.items():
        result.groups[group] = run_group(group, times, values, evaluated.data_times.get(group, []), rules, silenced)
    return result


def run(
    world: World,
    data: SeriesSet,
    *,
    start: datetime,
    duration: int,
    acknowledgements: Iterable[Acknowledgement] = (),
    monitors: Iterable[str] | None = None,
) -> Timeline:
    """Evaluate ``monitors`` (every one by default) from ``start`` for ``duration`` seconds."""
    issues: list[Issue] = []
    runs: dict[str, MonitorRun] = {}
    notes: list[Notification] = []
    for key in monitors if monitors is not None else sorted(world.monitors):
        monitor = world.monitors[key]
        runs[key] = result = run_monitor(monitor, world, data, start, duration, issues)
        for history in result.groups.values():
            notes.extend(notification(key, monitor.body, e) for e in history.events if e.notifies)
    notes.sort(key=lambda n: (n.time, n.monitor, n.group))
    inbound: list[InboundEvent] = []
    unrouted: list[tuple[Notification, str]] = []
    for note in notes:
        for event in note.pagerduty:
            service_id = world.handles.get(event.handle)
            if service_id is None:
                unrouted.append((note, event.handle))
                continue
            source = note.monitor if note.group == ALL else f"{note.monitor} {{{note.group}}}"
            inbound.append(
                InboundEvent(note.time, service_id, event.action, event.dedup_key, event.severity, source, note.monitor)
            )
    simulation = Simulation(world, start)
    outcome = simulation.run(inbound, acknowledgements, duration)
    return Timeline(start, duration, runs, notes, unrouted, outcome, simulation, issues)
