"""``GET /api/v1/query``: a metric query over the submitted points, by the evaluator's own reading of a query.

The query is a metric expression (``avg:api.errors{env:prod} by {host}``, arithmetic between terms, ``abs``) read
by ``compiler.evaluate.expression`` and computed by ``compiler.evaluate.metric_query.combine``, the same code that
gives a monitor its values, so what a query shows is what a monitor sees. Points are the submitted ones in
``[from, to]`` at their own timestamps (no rollup to a display interval). A query the evaluator does not compute
answers 400 with the reason, as Datadog answers a query it cannot parse.
"""

from __future__ import annotations

from typing import Any

from compiler.evaluate.expression import Unknown, metrics_in, parse
from compiler.evaluate.metric_query import check_supported, combine
from compiler.evaluate.series import ALL, SeriesSet, Unsupported
from compiler.sandbox.datadog.common import bad, int_arg
from compiler.sandbox.evaluation.engine import SERIES, stored_series
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

FAMILY = "metrics_query"


def query(world: World, req: Request, _: dict[str, str]) -> Response:
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
    groups = {} if isinstance(result, float) else result
    series: list[dict[str, Any]] = []
    for group, (times, values) in sorted(groups.items()):
        points = [[float((begin + t) * 1000), v] for t, v in zip(times, values, strict=True)]
        series.append(
            {
                "aggr": terms[0].space if len(terms) == 1 else None,
                "display_name": text,
                "expression": text,
                "metric": terms[0].name if len(terms) == 1 else text,
                "scope": terms[0].scope if group == ALL else group,
                "tag_set": [] if group == ALL else group.split(","),
                "pointlist": points,
                "length": len(points),
                "start": int(points[0][0]) if points else None,
                "end": int(points[-1][0]) if points else None,
                "interval": 60,
                "query_index": 0,
            }
        )
        series[-1] = {k: v for k, v in series[-1].items() if v is not None}  # absent rather than null
    group_by = sorted({tag for term in terms for tag in term.group_by})
    body = {
        "status": "ok",
        "res_type": "time_series",
        "from_date": begin * 1000,
        "to_date": end * 1000,
        "query": text,
        "message": "",
        "group_by": group_by,
        "series": series,
    }
    return Response(200, body)


ROUTES = [route("GET", "/api/v1/query", query, FAMILY)]
