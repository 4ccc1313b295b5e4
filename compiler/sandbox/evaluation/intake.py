"""Metric intake and queries over what was submitted: ``POST /api/v2/series``, ``POST /api/v1/series``,
``GET /api/v1/query`` and ``POST /api/v2/query/timeseries``.

Points are kept per series (metric and tag set), as Datadog keys a timeseries. Datadog documents that a point may be
at most ten minutes in the future and one hour in the past (MetricSeries.points in the v2 spec); it still answers
202 to a payload carrying such points and drops them, and so does the sandbox, judged by its clock. Submission needs
the API key only (the spec's ``security: apiKeyAuth``); queries need the key pair.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from compiler.sandbox.datadog.common import bad, body_object, normalize_tag
from compiler.sandbox.evaluation.engine import SERIES as KIND
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

INTAKE_FAMILY = "metrics_intake"  # API key only (datadog.handle)
QUERY_FAMILY = "metrics_query"
FUTURE_S = 600  # ten minutes ahead
PAST_S = 3600  # one hour back


def series_id(metric: str, tags: list[str]) -> str:
    return hashlib.sha256(json.dumps([metric, sorted(tags)]).encode()).hexdigest()[:24]


def _tags(raw: Any, *extra: str) -> list[str]:
    tags = [normalize_tag(str(t)) for t in raw or [] if isinstance(t, str)]
    return sorted(dict.fromkeys([*tags, *extra]))


def _keep(world: World, metric: str, tags: list[str], points: list[tuple[int, float]], interval: int | None) -> int:
    """Store the points within the accepted range; how many were kept."""
    now = world.now().timestamp()
    kept = [(t, v) for t, v in points if now - PAST_S <= t <= now + FUTURE_S and math.isfinite(v)]
    if not kept:
        return 0
    key = series_id(metric, tags)
    existing = world.store.get(KIND, key) or {"metric": metric, "tags": tags, "points": [], "interval": interval}
    merged = {int(t): float(v) for t, v in existing["points"]}
    merged.update(kept)
    existing["points"] = sorted([t, v] for t, v in merged.items())
    if interval:
        existing["interval"] = interval
    world.store.put(KIND, key, existing)
    return len(kept)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad(f"Invalid {what}: expected a number")
    return float(value)


Point = tuple[int, float]


def _v2_points(s: dict[str, Any]) -> tuple[list[str], list[Point]]:
    """A v2 series' host tags (from its ``resources``) and points (``{"timestamp", "value"}`` objects)."""
    hosts = [f"host:{r['name']}" for r in s.get("resources") or [] if isinstance(r, dict) and r.get("type") == "host"]
    points = [
        (int(_number(p.get("timestamp"), "timestamp")), _number(p.get("value"), "value"))
        for p in s.get("points") or []
        if isinstance(p, dict)
    ]
    return hosts, points


def _v1_points(s: dict[str, Any]) -> tuple[list[str], list[Point]]:
    """A v1 series' host tag (``host``) and points (``[timestamp, value]`` pairs)."""
    hosts = [f"host:{s['host']}"] if isinstance(s.get("host"), str) and s["host"] else []
    points = [
        (int(_number(p[0], "timestamp")), _number(p[1], "value"))
        for p in s.get("points") or []
        if isinstance(p, list) and len(p) == 2
    ]
    return hosts, points


def _submit(world: World, req: Request, read: Callable[[dict[str, Any]], tuple[list[str], list[Point]]]) -> None:
    body = body_object(req)
    series = body.get("series")
    if not isinstance(series, list):
        raise bad("series is required")
    with world.store.transaction():
        for s in series:
            if not isinstance(s, dict) or not isinstance(s.get("metric"), str):
                raise bad("each series needs a metric name")
            hosts, points = read(s)
            interval = s.get("interval") if isinstance(s.get("interval"), int) else None
            _keep(world, s["metric"], _tags(s.get("tags"), *hosts), points, interval)


def submit_v2(world: World, req: Request, _: dict[str, str]) -> Response:
    _submit(world, req, _v2_points)
    return Response(202, {"errors": []})


def submit_v1(world: World, req: Request, _: dict[str, str]) -> Response:
    _submit(world, req, _v1_points)
    return Response(202, {"status": "ok"})


ROUTES = [
    route("POST", "/api/v2/series", submit_v2, INTAKE_FAMILY),
    route("POST", "/api/v1/series", submit_v1, INTAKE_FAMILY),
]
