"""``GET /api/v1/query``, ``POST /api/v2/query/timeseries`` and ``/scalar``: metric queries over the submitted
points, by the evaluator's own reading of a query.

The query is a metric expression (``avg:api.errors{env:prod} by {host}``, arithmetic between terms, ``abs``) read
by ``compiler.evaluate.expression`` and computed by ``compiler.evaluate.metric_query.combine``, the same code that
gives a monitor its values, so what a query shows is what a monitor sees. The values are then rolled up as Datadog
answers a query: averaged per interval (a ``.rollup(method, seconds)``'s seconds, else the smallest interval giving
at most 300 points over the span, ``default_interval``), at each interval's start. A query the evaluator does not
compute answers 400 with the reason, as Datadog answers a query it cannot parse.

The v2 timeseries query (the formula-and-function form dashboards use) names its queries and combines them in
formulas (``a / b * 100``); a formula is read as the expression its names stand for, so it is computed by the same
code. Shapes follow Datadog's recorded answers (datadog-api-client-python's ``test_timeseries_cross_product_query_*``
cassettes, 2024-2026): ``data.id`` "0", one series per formula (or per query when there are none) and group, with
``group_tags``, ``query_index`` and ``unit: null``; ``times`` in milliseconds, the union of every series' points
(bucketed to ``interval``, or to the default interval), and ``values`` aligned to them (null where a series has no
point).
Other data sources (logs, rum, apm_metrics, ...) are accepted and answer no series, as Datadog answers a source
without data; a query ending beyond metric retention (15 months) is refused with Datadog's text.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from compiler.evaluate.expression import Metric, Number, Unknown, metrics_in, parse
from compiler.evaluate.metric_query import check_supported, combine
from compiler.evaluate.series import ALL, SeriesSet, Unsupported, percentile
from compiler.sandbox.datadog.common import bad, int_arg, is_number
from compiler.sandbox.errors import ApiError
from compiler.sandbox.evaluation.engine import SERIES, stored_series
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

FAMILY = "metrics_query"


# Rollup intervals (seconds) a query's points are bucketed to: the smallest giving at most MAX_POINTS over the
# queried span. Recorded: a 20-minute span answered 5 s buckets (datadogpy TestDatadog.test_metrics_simple, 2020),
# a day 300 s buckets of 288 points (the official client's test_query_timeseries_points_returns_ok_response, 2022).
INTERVALS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 14400, 28800, 43200, 86400)
MAX_POINTS = 300


def default_interval(span_s: int) -> int:
    return next((i for i in INTERVALS if span_s / i <= MAX_POINTS), INTERVALS[-1])


def _explicit_rollup(tree: Any) -> int | None:
    """The seconds of a `.rollup(method, seconds)` on the query's single term, which Datadog then answers in."""
    terms = metrics_in(tree)
    for method in terms[0].methods if len(terms) == 1 else ():
        if method.name == "rollup" and len(method.args) == 2 and isinstance(method.args[1], Number):
            return int(method.args[1].value)
    return None


def _written_aggregator(text: str, term: Metric) -> str | None:
    """The space aggregator the query names (`avg:x{*}`), None for a bare `x{*}` (recorded: `aggr: null`)."""
    return term.space if f"{term.space}:{term.name}" in text else None


def query(world: World, req: Request, _: dict[str, str]) -> Response:
    """The v1 answer as recorded: points bucketed to the rollup interval (their average, at the bucket's start),
    `start`/`end` the first bucket and the last bucket's last second, `attributes: {}`, `unit: null` (the sandbox
    keeps no metric metadata), `display_name` the metric, `resp_version: 1`."""
    begin, end, text = int_arg(req, "from", None), int_arg(req, "to", None), req.arg("query")
    if begin is None or end is None or not text:
        raise bad("from, to and query are required")
    try:
        tree = parse(text).tree
        check_supported(tree)
        data = SeriesSet(stored_series(world.store.list(SERIES), begin, end), start_epoch=begin)
        result = combine(tree, data)
    except (Unknown, Unsupported, ValueError) as exc:
        raise bad(f"Error parsing query: {exc}") from None
    terms = metrics_in(tree)
    interval = _explicit_rollup(tree) or default_interval(max(end - begin, 1))
    groups = {} if isinstance(result, float) else result
    series: list[dict[str, Any]] = []
    for group, (times, values) in sorted(groups.items()):
        buckets = _bucketed(begin, times, values, interval * 1000)
        points = [[float(at), v] for at, v in sorted(buckets.items())]
        if not points:
            continue
        series.append(
            {
                "aggr": _written_aggregator(text, terms[0]) if len(terms) == 1 else None,
                "display_name": terms[0].name if len(terms) == 1 else text,
                "expression": text,
                "metric": terms[0].name if len(terms) == 1 else text,
                "scope": terms[0].scope if group == ALL else group,
                "tag_set": [] if group == ALL else group.split(","),
                "pointlist": points,
                "length": len(points),
                "start": int(points[0][0]),
                "end": int(points[-1][0]) + (interval - 1) * 1000,
                "interval": interval,
                "query_index": 0,
                "attributes": {},
                "unit": None,
            }
        )
    group_by = sorted({tag for term in terms for tag in term.group_by})
    body = {
        "status": "ok",
        "res_type": "time_series",
        "resp_version": 1,
        "from_date": begin * 1000,
        "to_date": end * 1000,
        "query": text,
        "message": "",
        "group_by": group_by,
        "series": series,
        "times": [],
        "values": [],
    }
    return Response(200, body)


TIMESERIES_FAMILY = "timeseries_query"
# Metrics are kept 15 months (Datadog's data collection, resolution and retention guide).
RETENTION_S = 15 * 30 * 86400
# Data sources the packaged spec's `TimeseriesQuery` knows; Datadog serves more (recorded: apm_metrics, audit, spans,
# slo, process, ...), so a body naming another one skips the spec gate and is judged here.
SPEC_SOURCES = {"metrics", "cloud_cost", "logs", "rum", "dora"}
REQUIRED = {"from", "to", "queries"}
# A formula's tokens that are not query names: quoted arguments and numbers (`top(a, 10, 'mean', 'desc')`, `1e3`).
_FORMULA_TOKEN = re.compile(r"""'[^']*'|"[^"]*"|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|(?P<name>[A-Za-z_]\w*)""")


def _off_spec(kind: str) -> Callable[[Any], bool]:
    return lambda body: _judged_here(kind, body)


def _judged_here(kind: str, body: Any) -> bool:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return False
    attrs = data.get("attributes")
    if data.get("type") != f"{kind}_request" or not isinstance(attrs, dict) or not set(attrs) >= REQUIRED:
        return True  # Datadog's own input-validation messages, in _request
    queries = attrs.get("queries")
    return isinstance(queries, list) and any(
        isinstance(q, dict) and q.get("data_source") not in SPEC_SOURCES for q in queries
    )


def _invalid(detail: str) -> ApiError:
    return bad(f"API input validation failed: {detail}")


def _request(req: Request, kind: str) -> tuple[int, int, int | None, list[dict[str, Any]], list[dict[str, Any]]]:
    body = req.json(bad)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("type") != f"{kind}_request":
        raise _invalid(f'Invalid type. Expected "{kind}_request".')  # recorded for timeseries
    attrs = data.get("attributes")
    if not isinstance(attrs, dict):
        raise _invalid("attributes is required")
    for key in sorted(REQUIRED):
        if key not in attrs:
            raise _invalid(f"{key} is required")
    begin, end, interval = attrs["from"], attrs["to"], attrs.get("interval")
    if not is_number(begin) or not is_number(end) or (interval is not None and not is_number(interval)):
        raise _invalid("from, to and interval are integers (milliseconds)")
    queries, formulas = attrs["queries"], attrs.get("formulas") or []
    if not isinstance(queries, list) or not all(isinstance(q, dict) for q in queries):
        raise _invalid("queries is a list of queries")
    if not isinstance(formulas, list) or not all(
        isinstance(f, dict) and isinstance(f.get("formula"), str) for f in formulas
    ):
        raise _invalid("formulas is a list of {formula}")
    return int(begin), int(end), (int(interval) if interval else None), queries, formulas


def _expression(formula: str, queries: list[dict[str, Any]]) -> str | None:
    """The metric expression a formula stands for (None when it reads a source without metric data)."""
    named = {q["name"]: q for q in queries if isinstance(q.get("name"), str)}
    pieces: list[str] = []
    pos = 0
    for m in _FORMULA_TOKEN.finditer(formula):
        word = m.group("name")
        if word is None or formula[m.end() :].lstrip().startswith("("):  # not a name; a function: abs(a)
            continue
        if word not in named:
            raise bad(f"Formula '{formula}' references an unknown query '{word}'")
        q = named[word]
        if q.get("data_source") != "metrics" or not isinstance(q.get("query"), str):
            return None
        pieces += [formula[pos : m.start()], f"({q['query']})"]
        pos = m.end()
    return "".join([*pieces, formula[pos:]])


def _computed(text: str, data: SeriesSet) -> dict[str, tuple[list[int], list[float]]]:
    try:
        tree = parse(text).tree
        check_supported(tree)
        result = combine(tree, data)
    except (Unknown, Unsupported, ValueError) as exc:
        raise bad(f"Error parsing query: {exc}") from None
    return {} if isinstance(result, float) else {g: (list(t), list(v)) for g, (t, v) in result.items()}


def _bucketed(begin_s: int, times: list[int], values: list[float], interval: int | None) -> dict[int, float]:
    """Milliseconds → value; with an interval, the points of each interval averaged at its start."""
    if not interval:
        return {(begin_s + t) * 1000: v for t, v in zip(times, values, strict=True)}
    buckets: dict[int, list[float]] = defaultdict(list)
    for t, v in zip(times, values, strict=True):
        buckets[(begin_s + t) * 1000 // interval * interval].append(v)
    return {at: sum(vs) / len(vs) for at, vs in buckets.items()}


def _limited(found: list[tuple[list[str], dict[int, float]]], limit: Any) -> list[tuple[list[str], dict[int, float]]]:
    """A formula's `limit`: its top `count` series by average, `order` desc (default) or asc."""
    if not isinstance(limit, dict) or not isinstance(limit.get("count"), int):
        return found
    ranked = sorted(found, key=lambda s: sum(s[1].values()) / max(len(s[1]), 1), reverse=limit.get("order") != "asc")
    return ranked[: limit["count"]]


Outputs = list[tuple[int, list[str], dict[int, float]]]  # (formula or query index, group tags, ms -> value)


def _outputs(world: World, req: Request, kind: str) -> tuple[Outputs, list[dict[str, Any]], list[dict[str, Any]]]:
    """Each formula's (or, without formulas, each metric query's) series over the request's window."""
    begin_ms, end_ms, interval, queries, formulas = _request(req, kind)
    if end_ms // 1000 < world.now().timestamp() - RETENTION_S:
        raise bad("Queries ending outside the retention date are invalid")  # recorded (v2 scalar query)
    begin, end = begin_ms // 1000, (end_ms - 1) // 1000  # `to` is exclusive
    default_ms = default_interval(max(end - begin, 1)) * 1000  # "a reasonable interval for the timeframe"
    data = SeriesSet(stored_series(world.store.list(SERIES), begin, end), start_epoch=begin)
    if formulas:
        outputs = [(_expression(f["formula"], queries), f.get("limit")) for f in formulas]
    else:
        outputs = [(q.get("query") if q.get("data_source") == "metrics" else None, None) for q in queries]
    series: list[tuple[int, list[str], dict[int, float]]] = []
    for index, (text, limit) in enumerate(outputs):
        if not isinstance(text, str):
            continue
        found = [
            ([] if group == ALL else group.split(","), _bucketed(begin, times, values, interval or default_ms))
            for group, (times, values) in sorted(_computed(text, data).items())
        ]
        series += [(index, tags, points) for tags, points in _limited([f for f in found if f[1]], limit)]
    return series, queries, formulas


def timeseries(world: World, req: Request, _: dict[str, str]) -> Response:
    series = _outputs(world, req, "timeseries")[0]
    times = sorted({at for _, _, points in series for at in points})
    attributes = {
        "series": [{"group_tags": tags, "query_index": index, "unit": None} for index, tags, _ in series],
        "times": times,
        "values": [[points.get(at) for at in times] for _, _, points in series],
    }
    body = {"data": {"id": "0", "type": "timeseries_response", "attributes": attributes}}
    return Response(200, body, content_type="application/vnd.api+json")


# The scalar reducers of a metrics query's `aggregator` (the spec's MetricsAggregator); `percentile` reads p95.
REDUCERS: dict[str, Callable[[list[float]], float]] = {
    "avg": lambda vs: sum(vs) / len(vs),
    "mean": lambda vs: sum(vs) / len(vs),
    "min": min,
    "max": max,
    "sum": sum,
    "area": sum,
    "last": lambda vs: vs[-1],
    "l2norm": lambda vs: math.sqrt(sum(v * v for v in vs)),
    "percentile": lambda vs: percentile(vs, 95),
}


def scalar(world: World, req: Request, _: dict[str, str]) -> Response:
    """`POST /api/v2/query/scalar`: each output's series reduced to one value per group by the aggregator of its
    (first) query, in columns as recorded (`test_scalar_cross_product_query_*`: a `number` column named after the
    formula or query, `meta.unit` null, no values without data; `group` columns per group-by tag)."""
    series, queries, formulas = _outputs(world, req, "scalar")
    names = [f.get("alias") or f["formula"] for f in formulas] or [str(q.get("name") or "") for q in queries]
    aggregators = [_aggregator(f["formula"], queries) for f in formulas] or [q.get("aggregator") for q in queries]
    rows = sorted({tuple(tags) for _, tags, _ in series})
    keys = sorted({tag.split(":", 1)[0] for row in rows for tag in row})
    columns: list[dict[str, Any]] = [
        {
            "name": key,
            "type": "group",
            "values": [[t.split(":", 1)[1] for t in row if t.startswith(key + ":")] for row in rows],
        }
        for key in keys
    ]
    for index, name in enumerate(names):
        reducer = REDUCERS.get(str(aggregators[index] or "avg"), REDUCERS["avg"])
        found = {
            tuple(tags): reducer([points[at] for at in sorted(points)]) for i, tags, points in series if i == index
        }
        values = [found.get(row) for row in rows] if found else []
        columns.append({"name": name, "values": values, "type": "number", "meta": {"unit": None}})
    body = {"data": {"id": "0", "type": "scalar_response", "attributes": {"columns": columns}}}
    return Response(200, body, content_type="application/vnd.api+json")


def _aggregator(formula: str, queries: list[dict[str, Any]]) -> Any:
    named = {q.get("name"): q for q in queries}
    for m in _FORMULA_TOKEN.finditer(formula):
        if m.group("name") in named:
            return named[m.group("name")].get("aggregator")
    return None


ROUTES = [
    route("GET", "/api/v1/query", query, FAMILY),
    route("POST", "/api/v2/query/timeseries", timeseries, TIMESERIES_FAMILY, unspecified=_off_spec("timeseries")),
    route("POST", "/api/v2/query/scalar", scalar, TIMESERIES_FAMILY, unspecified=_off_spec("scalar")),
]
