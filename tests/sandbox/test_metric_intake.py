"""Metric intake (issue 24): the documented bodies, the API key alone, and Datadog's accepted time range."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.metrics_api import MetricsApi

from compiler.sandbox import SandboxHandle, start_embedded
from tests.sandbox.conftest import datadog_client

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_embedded(Path(tmp_path_factory.mktemp("intake")) / "state") as handle:
        handle.set_clock(NOW)
        yield handle


def _post(handle: SandboxHandle, path: str, body: object, *, app_key: bool = False) -> tuple[int, object]:
    headers = {"DD-API-KEY": handle.credentials["datadog_api_key"], "Content-Type": "application/json"}
    if app_key:
        headers["DD-APPLICATION-KEY"] = handle.credentials["datadog_app_key"]
    status, raw = handle.call("POST", path, headers, json.dumps(body).encode())
    return status, json.loads(raw) if raw else None


def _stored(handle: SandboxHandle) -> dict[str, list[list[float]]]:
    objects = handle.dump()["objects"]
    return {
        f"{o['body']['metric']}{o['body']['tags']}": o["body"]["points"]
        for o in objects
        if o["kind"] == "dd_metric_series"
    }


def test_v2_and_v1_bodies_are_stored_per_series_with_the_api_key_alone(sandbox: SandboxHandle) -> None:
    at = int(NOW.timestamp())
    v2 = {"series": [{"metric": "a.b", "type": 1, "tags": ["Env:Prod"], "points": [{"timestamp": at, "value": 2}]}]}
    assert _post(sandbox, "/api/v2/series", v2) == (202, {"errors": []})
    v1 = {"series": [{"metric": "a.b", "host": "web-1", "points": [[at - 60, 1.5]], "tags": ["env:prod"]}]}
    assert _post(sandbox, "/api/v1/series", v1, app_key=True) == (202, {"status": "ok"})
    stored = _stored(sandbox)
    assert stored["a.b['env:prod']"] == [[at, 2.0]]  # tags normalized as Datadog does
    assert stored["a.b['env:prod', 'host:web-1']"] == [[at - 60, 1.5]]


def test_points_outside_datadogs_range_are_dropped_but_the_payload_is_accepted(sandbox: SandboxHandle) -> None:
    at = int(NOW.timestamp())
    points = [{"timestamp": at + 601, "value": 1}, {"timestamp": at - 3601, "value": 1}, {"timestamp": at, "value": 3}]
    assert _post(sandbox, "/api/v2/series", {"series": [{"metric": "c.d", "points": points}]})[0] == 202
    assert _stored(sandbox)["c.d[]"] == [[at, 3.0]]


def test_a_wrong_key_is_forbidden(sandbox: SandboxHandle) -> None:
    status, raw = sandbox.call("POST", "/api/v2/series", {"DD-API-KEY": "0" * 32}, b'{"series": []}')
    assert (status, json.loads(raw)) == (403, {"errors": ["Forbidden"]})


def test_a_metric_query_reads_the_submitted_points_with_the_official_client(sandbox: SandboxHandle) -> None:
    at = int(NOW.timestamp())
    body = {
        "series": [
            {
                "metric": "q.hits",
                "tags": ["env:prod", f"host:{host}"],
                "points": [{"timestamp": at - 60 * i, "value": v}],
            }
            for host, v in (("a", 1.0), ("b", 3.0))
            for i in range(3)
        ]
    }
    assert _post(sandbox, "/api/v2/series", body)[0] == 202
    with datadog_client(sandbox) as api:
        answer = MetricsApi(api).query_metrics(_from=at - 600, to=at, query="sum:q.hits{env:prod} by {host} * 2")
    series = {s.scope: [p.value[1] for p in s.pointlist] for s in answer.series}
    assert series == {"host:a": [2.0, 2.0, 2.0], "host:b": [6.0, 6.0, 6.0]}
    with datadog_client(sandbox) as api, pytest.raises(ApiException) as refused:
        MetricsApi(api).query_metrics(_from=at - 600, to=at, query="anomalies(avg:q.hits{*}, 'basic', 2)")
    assert refused.value.status == 400
