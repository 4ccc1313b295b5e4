"""Benchmark: the evaluator over 1,000 monitors and one day of one-minute series (issue 23: at most 5 s).

Usage: python -m bench.evaluate_benchmark [--monitors 1000] [--hours 24] [--runs 3]

The monitors are the shapes the examples compile to, in equal parts: a success-rate ratio summed on the
``.as_count()`` path and grouped by three CSPs, a p95 latency averaged over 5 minutes with a warning, an error count
summed over 5 minutes, and an ``.as_rate()`` ratio averaged over 15 minutes; every fifth one has an hour-long
outage, so transitions, notifications, PagerDuty incidents, escalations and pages are part of what is timed. What is
measured is ``compiler.evaluate.run.run`` (every monitor evaluated every minute, then PagerDuty), best of
``--runs``; building the series is not. No test asserts the figure: it goes to the README.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from typing import Any

from compiler.evaluate.run import run
from compiler.evaluate.series import Series, SeriesSet
from compiler.evaluate.world import MonitorObject, PagerDutyService, World

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
MESSAGE = (
    "{{#is_alert}}@pagerduty-api{{/is_alert}}\n{{#is_alert_recovery}}@pagerduty-api{{/is_alert_recovery}}\n"
    "@slack-alerts"
)


def _world() -> World:
    world = World(handles={"@pagerduty-api": "P1"})
    world.services["P1"] = PagerDutyService(
        "P1",
        "api",
        {"escalation_policy": {"id": "EP"}, "incident_urgency_rule": {"type": "constant", "urgency": "high"}},
    )
    world.escalation_policies["EP"] = {
        "num_loops": 1,
        "escalation_rules": [
            {"escalation_delay_in_minutes": 30, "targets": [{"id": "S", "type": "schedule_reference"}]}
        ],
    }
    layer = {
        "start": "2026-01-05T09:00:00Z",
        "rotation_virtual_start": "2026-01-05T09:00:00Z",
        "rotation_turn_length_seconds": 604800,
        "users": [{"user": {"id": u, "type": "user_reference"}} for u in ("ann", "bob")],
    }
    world.schedules["S"] = {"time_zone": "Etc/UTC", "schedule_layers": [layer]}
    return world


def _monitor(query: str, **options: Any) -> dict[str, Any]:
    return {"type": "query alert", "query": query, "message": MESSAGE, "tags": [], "options": options}


def _shape(i: int, minutes: int, outage: bool) -> tuple[dict[str, Any], list[Series]]:
    bad = range(600, 660) if outage else range(0)
    step = 60
    times = list(range(0, minutes * step, step))

    def values(normal: float, broken: float) -> list[float]:
        return [broken if m in bad else normal for m in range(minutes)]

    scope = f"env:prod,svc:s{i}"
    tags = {"env": "prod", "svc": f"s{i}"}
    shape = i % 4
    if shape == 0:
        query = (
            f"sum(last_15m):sum:ok{i}{{{scope}}} by {{type}}.as_count() / sum:all{i}{{{scope}}} by {{type}}.as_count()"
            " * 100 < 50"
        )
        series = []
        for csp in ("idme", "logingov", "dslogon"):
            series.append(Series(f"all{i}", {**tags, "type": csp}, times, values(100, 100), step))
            series.append(Series(f"ok{i}", {**tags, "type": csp}, times, values(98, 10 if csp == "idme" else 98), step))
        return _monitor(query, thresholds={"critical": 50, "critical_recovery": 56}, renotify_interval=15), series
    if shape == 1:
        query = f"avg(last_5m):p95:latency{i}{{{scope}}} > 5"
        body = _monitor(query, thresholds={"critical": 5, "warning": 2.43, "critical_recovery": 4})
        return body, [Series(f"latency{i}", tags, times, values(0.4, 7.0), step)]
    if shape == 2:
        query = f"sum(last_5m):sum:errors{i}{{{scope}}}.as_count() >= 50"
        body = _monitor(query, thresholds={"critical": 50, "critical_recovery": 30})
        return body, [Series(f"errors{i}", tags, times, values(2, 40), step)]
    query = f"avg(last_15m):sum:good{i}{{{scope}}}.as_rate() / sum:total{i}{{{scope}}}.as_rate() * 100 < 90"
    body = _monitor(query, notify_no_data=True, no_data_timeframe=30)
    series = [
        Series(f"total{i}", tags, times, values(100, 100), step),
        Series(f"good{i}", tags, times, values(99, 50), step),
    ]
    return body, series


def build(monitors: int, hours: int) -> tuple[World, SeriesSet]:
    world = _world()
    series: list[Series] = []
    for i in range(monitors):
        body, data = _shape(i, hours * 60, outage=i % 5 == 0)
        world.monitors[f"m{i}"] = MonitorObject(f"m{i}", body)
        series += data
    return world, SeriesSet(series, start_epoch=int(START.timestamp()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    world, _ = build(args.monitors, args.hours)
    best = cpu = float("inf")
    summary = ""
    for _ in range(args.runs):
        _, data = build(args.monitors, args.hours)  # fresh series: nothing computed is reused across runs
        started, started_cpu = time.perf_counter(), time.process_time()
        timeline = run(world, data, start=START, duration=args.hours * 3600 - 60)
        best = min(best, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
        evaluations = sum(len(r.times) * max(1, len(r.groups)) for r in timeline.monitors.values())
        summary = (
            f"{evaluations:,} group evaluations, {len(timeline.notifications):,} notifications, "
            f"{len(timeline.pagerduty.incidents):,} incidents, {len(timeline.pagerduty.pages):,} pages"
        )
    points = sum(len(s.times) for s in build(args.monitors, args.hours)[1].series)
    print(
        f"evaluate {args.monitors:,} monitors x {args.hours} h of one-minute series ({points:,} points): "
        f"{best:.2f} s ({cpu:.2f} s CPU)"
    )
    print(f"  {summary}; best of {args.runs}")


if __name__ == "__main__":
    main()
