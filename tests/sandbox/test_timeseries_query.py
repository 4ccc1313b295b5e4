"""`POST /api/v2/query/timeseries` (the formula-and-function query) over submitted points, driven by the official
client's `MetricsApi.query_timeseries_data`; answers shaped like Datadog's recorded ones
(datadog-api-client-python's `test_timeseries_cross_product_query_*` cassettes)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v2.api.metrics_api import MetricsApi
from datadog_api_client.v2.model.formula_limit import FormulaLimit
from datadog_api_client.v2.model.metrics_data_source import MetricsDataSource
from datadog_api_client.v2.model.metrics_timeseries_query import MetricsTimeseriesQuery
from datadog_api_client.v2.model.query_formula import QueryFormula
from datadog_api_client.v2.model.query_sort_order import QuerySortOrder
from datadog_api_client.v2.model.timeseries_formula_query_request import TimeseriesFormulaQueryRequest
from datadog_api_client.v2.model.timeseries_formula_request import TimeseriesFormulaRequest
from datadog_api_client.v2.model.timeseries_formula_request_attributes import TimeseriesFormulaRequestAttributes
from datadog_api_client.v2.model.timeseries_formula_request_type import TimeseriesFormulaRequestType

from compiler.sandbox import SandboxHandle, start_embedded
from tests.sandbox.conftest import datadog_client

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
AT = int(NOW.timestamp())


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_embedded(Path(tmp_path_factory.mktemp("timeseries")) / "state") as handle:
        handle.set_clock(NOW)
        series = [
            {"metric": metric, "tags": ["env:prod", f"host:{host}"], "points": [{"timestamp": AT - 60 * i, "value": v}]}
            for metric, host, v in (("q.errors", "a", 1.0), ("q.errors", "b", 3.0), ("q.hits", "a", 10.0))
            for i in range(3)
        ]
        headers = {"DD-API-KEY": handle.credentials["datadog_api_key"], "Content-Type": "application/json"}
        assert handle.call("POST", "/api/v2/series", headers, json.dumps({"series": series}).encode())[0] == 202
        yield handle


def _request(queries: dict[str, str], formulas: list[QueryFormula] | None = None, **extra: Any) -> Any:
    attributes = TimeseriesFormulaRequestAttributes(
        _from=(AT - 600) * 1000,
        to=(AT + 1) * 1000,
        queries=[
            MetricsTimeseriesQuery(data_source=MetricsDataSource.METRICS, name=n, query=q) for n, q in queries.items()
        ],
        **({"formulas": formulas} if formulas else {}),
        **extra,
    )
    body = TimeseriesFormulaRequest(attributes=attributes, type=TimeseriesFormulaRequestType.TIMESERIES_REQUEST)
    return TimeseriesFormulaQueryRequest(data=body)


def test_a_formula_over_named_queries_with_the_official_client(sandbox: SandboxHandle) -> None:
    queries = {"a": "sum:q.errors{env:prod} by {host}", "b": "sum:q.hits{env:prod}"}
    with datadog_client(sandbox) as api:
        answer = MetricsApi(api).query_timeseries_data(_request(queries, [QueryFormula(formula="a * 100 / b")]))
    assert answer.to_dict()["data"]["type"] == "timeseries_response"
    attrs = answer.to_dict()["data"]["attributes"]  # the client's list models read best as plain data
    assert attrs["series"] == [
        {"group_tags": ["host:a"], "query_index": 0, "unit": None},
        {"group_tags": ["host:b"], "query_index": 0, "unit": None},
    ]
    assert attrs["times"] == [(AT - 120) * 1000, (AT - 60) * 1000, AT * 1000]
    assert attrs["values"] == [[10.0, 10.0, 10.0], [30.0, 30.0, 30.0]]


def test_without_formulas_each_query_is_a_series_and_interval_buckets_the_points(sandbox: SandboxHandle) -> None:
    queries = {"a": "avg:q.errors{*}", "b": "sum:q.hits{host:a}"}
    with datadog_client(sandbox) as api:
        answer = MetricsApi(api).query_timeseries_data(_request(queries, interval=300_000))
    attrs = answer.to_dict()["data"]["attributes"]
    assert [(s["group_tags"], s["query_index"]) for s in attrs["series"]] == [([], 0), ([], 1)]
    buckets = sorted({(AT - 60 * i) * 1000 // 300_000 * 300_000 for i in range(3)})
    assert attrs["times"] == buckets
    assert all(len(v) == len(buckets) for v in attrs["values"])
    assert attrs["values"][0][-1] == 2.0  # avg of hosts a (1) and b (3)


def test_a_formula_limit_keeps_the_top_series(sandbox: SandboxHandle) -> None:
    limit = FormulaLimit(count=1, order=QuerySortOrder.DESC)
    request = _request({"a": "sum:q.errors{*} by {host}"}, [QueryFormula(formula="a", limit=limit)])
    with datadog_client(sandbox) as api:
        answer = MetricsApi(api).query_timeseries_data(request)
    assert [s["group_tags"] for s in answer.to_dict()["data"]["attributes"]["series"]] == [["host:b"]]


def _raw(sandbox: SandboxHandle, body: Any, kind: str = "timeseries") -> tuple[int, Any]:
    headers = {
        "DD-API-KEY": sandbox.credentials["datadog_api_key"],
        "DD-APPLICATION-KEY": sandbox.credentials["datadog_app_key"],
        "Content-Type": "application/json",
    }
    status, raw = sandbox.call("POST", f"/api/v2/query/{kind}", headers, json.dumps(body).encode())
    return status, json.loads(raw)


def test_other_data_sources_answer_no_series_as_datadog_does(sandbox: SandboxHandle) -> None:
    """Recorded: apm_metrics, slo, process, ... queries answer 200 with empty series where there is no data."""
    query = {"data_source": "apm_metrics", "name": "a", "stat": "hits", "service": "web", "group_by": ["resource_name"]}
    attrs = {"from": (AT - 600) * 1000, "to": AT * 1000, "interval": 5000, "queries": [query]}
    attrs["formulas"] = [{"formula": "a", "limit": {"count": 10, "order": "desc"}}]
    empty = {"series": [], "times": [], "values": []}
    assert _raw(sandbox, {"data": {"type": "timeseries_request", "attributes": attrs}}) == (
        200,
        {"data": {"id": "0", "type": "timeseries_response", "attributes": empty}},
    )


def test_strict_where_datadog_is(sandbox: SandboxHandle) -> None:
    query = {"data_source": "metrics", "name": "a", "query": "avg:q.errors{*}"}
    good = {"from": (AT - 600) * 1000, "to": AT * 1000, "queries": [query]}
    assert _raw(sandbox, {"data": {"type": "timeseries_rquest", "attributes": good}}) == (
        400,
        {"errors": ['API input validation failed: Invalid type. Expected "timeseries_request".']},
    )
    for missing in ("from", "to", "queries"):
        attrs = {k: v for k, v in good.items() if k != missing}
        assert _raw(sandbox, {"data": {"type": "timeseries_request", "attributes": attrs}}) == (
            400,
            {"errors": [f"API input validation failed: {missing} is required"]},
        )
    old = {**good, "from": 1568899800000, "to": 1568923200000}  # 2019: beyond metric retention (recorded text)
    assert _raw(sandbox, {"data": {"type": "timeseries_request", "attributes": old}}) == (
        400,
        {"errors": ["Queries ending outside the retention date are invalid"]},
    )
    unknown = {**good, "formulas": [{"formula": "a + b"}]}
    assert _raw(sandbox, {"data": {"type": "timeseries_request", "attributes": unknown}})[0] == 400
    with datadog_client(sandbox) as api, pytest.raises(ApiException) as refused:
        MetricsApi(api).query_timeseries_data(_request({"a": "anomalies(avg:q.errors{*}, 'basic', 2)"}))
    assert refused.value.status == 400


def test_the_v1_query_rolls_up_like_datadog_and_reads_a_bare_metric(sandbox: SandboxHandle) -> None:
    """datadogpy TestDatadog.test_metrics_simple (20 minutes: 5 s buckets, `aggr: null` for `metric{scope}`) and the
    official client's test_query_timeseries_points_returns_ok_response (a day: 300 s buckets)."""
    headers = {
        "DD-API-KEY": sandbox.credentials["datadog_api_key"],
        "DD-APPLICATION-KEY": sandbox.credentials["datadog_app_key"],
    }
    target = f"/api/v1/query?from={AT - 1200}&to={AT}&query=q.errors%7Bhost%3Ab%7D"
    status, raw = sandbox.call("GET", target, headers, None)
    [series] = json.loads(raw)["series"]
    assert status == 200 and series["interval"] == 5 and series["aggr"] is None and series["metric"] == "q.errors"
    assert series["pointlist"][-1] == [AT * 1000 // 5000 * 5000, 3.0]
    assert series["end"] == series["pointlist"][-1][0] + 4000
    target = f"/api/v1/query?from={AT - 86400}&to={AT}&query=sum:q.errors%7B*%7D.rollup(sum,%20600)"
    assert json.loads(sandbox.call("GET", target, headers, None)[1])["series"][0]["interval"] == 600
    target = f"/api/v1/query?from={AT - 86400}&to={AT}&query=avg:q.errors%7B*%7D"
    [day] = json.loads(sandbox.call("GET", target, headers, None)[1])["series"]
    assert AT % 300 == 0 and day["interval"] == 300 and day["aggr"] == "avg"
    assert day["pointlist"] == [[(AT - 300) * 1000, 2.0], [AT * 1000, 2.0]]  # AT-120 and AT-60 share a bucket


def test_formula_numbers_and_quoted_arguments_are_not_query_names(sandbox: SandboxHandle) -> None:
    query = {"data_source": "metrics", "name": "a", "query": "sum:q.hits{*}"}
    attrs = {"from": (AT - 600) * 1000, "to": (AT + 1) * 1000, "queries": [query], "formulas": [{"formula": "a * 1e3"}]}
    status, answer = _raw(sandbox, {"data": {"type": "timeseries_request", "attributes": attrs}})
    assert status == 200 and answer["data"]["attributes"]["values"][0][-1] == 10_000.0


def test_the_scalar_query_reduces_each_group_by_its_aggregator(sandbox: SandboxHandle) -> None:
    """`POST /api/v2/query/scalar`, shaped as the official client's `test_scalar_cross_product_query_*` answers."""
    query = {"data_source": "metrics", "name": "a", "query": "sum:q.errors{*} by {host}", "aggregator": "max"}
    attrs = {"from": (AT - 600) * 1000, "to": (AT + 1) * 1000, "queries": [query], "formulas": [{"formula": "a * 2"}]}
    status, answer = _raw(sandbox, {"data": {"type": "scalar_request", "attributes": attrs}}, "scalar")
    assert status == 200 and answer["data"]["type"] == "scalar_response"
    assert answer["data"]["attributes"]["columns"] == [
        {"name": "host", "type": "group", "values": [["a"], ["b"]]},
        {"name": "a * 2", "values": [2.0, 6.0], "type": "number", "meta": {"unit": None}},
    ]
    empty = {**attrs, "queries": [{**query, "query": "sum:nothing.here{*}"}]}
    status, answer = _raw(sandbox, {"data": {"type": "scalar_request", "attributes": empty}}, "scalar")
    assert answer["data"]["attributes"]["columns"] == [
        {"name": "a * 2", "values": [], "type": "number", "meta": {"unit": None}}
    ]
    wrong = _raw(sandbox, {"data": {"type": "timeseries_request", "attributes": attrs}}, "scalar")
    assert wrong == (400, {"errors": ['API input validation failed: Invalid type. Expected "scalar_request".']})
