"""Small builders for evaluator tests: a monitor body, series on a minute grid, one run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from compiler.evaluate.run import MonitorRun, Timeline, run
from compiler.evaluate.series import Series, SeriesSet
from compiler.evaluate.world import MonitorObject, World

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York


def series(
    metric: str, values: Sequence[float | None], tags: Mapping[str, str] | None = None, step: int = 60
) -> Series:
    times = [i * step for i, v in enumerate(values) if v is not None]
    return Series(metric, dict(tags or {}), times, [float(v) for v in values if v is not None], step)


def monitor(query: str, message: str = "", **options: Any) -> dict[str, Any]:
    return {"type": "query alert", "query": query, "message": message, "tags": [], "options": options}


def world_of(monitors: Mapping[str, dict[str, Any]], **parts: Any) -> World:
    world = World(**parts)
    world.monitors = {k: MonitorObject(k, body) for k, body in monitors.items()}
    return world


def play(
    monitors: Mapping[str, dict[str, Any]],
    data: Sequence[Series],
    duration: int,
    world: World | None = None,
    **kwargs: Any,
) -> Timeline:
    w = world or World()
    w.monitors.update({k: MonitorObject(k, body) for k, body in monitors.items()})
    return run(w, SeriesSet(data, start_epoch=int(START.timestamp())), start=START, duration=duration, **kwargs)


def one(body: dict[str, Any], data: Sequence[Series], duration: int) -> MonitorRun:
    return play({"m": body}, data, duration).monitors["m"]


def minute(result: MonitorRun, at_minute: int, group: str | None = None) -> str:
    return result.state_at(at_minute * 60, group)
