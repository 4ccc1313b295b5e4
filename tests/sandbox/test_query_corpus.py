"""The monitor query grammar accepts every real-world query in the corpus and rejects only what
Datadog rejects, with Datadog's text (tests/fixtures/queries/monitor_queries.yaml, sources inside)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml
from datadog_api_client import ApiClient
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.evaluate import query

CORPUS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "fixtures" / "queries" / "monitor_queries.yaml").read_text()
)


def test_corpus_is_large_and_sourced() -> None:
    assert len(CORPUS) >= 300
    assert all(item["source"]["repo"] and item["source"]["path"] for item in CORPUS)


def test_corpus_is_understood_not_merely_accepted() -> None:
    """Acceptance alone would hold for any well-formed text (accept and record); every real query
    should also fall inside the known grammar. `no_query` is the placeholder Datadog keeps for a
    synthetics alert, whose query it owns."""
    outside = [
        (item["type"], item["query"])
        for item in CORPUS
        if item["query"] != "no_query" and not query.parse(item["type"], item["query"]).understood
    ]
    assert outside == []


@pytest.mark.parametrize("item", CORPUS, ids=[f"{i}-{item['type']}" for i, item in enumerate(CORPUS)])
def test_real_query_is_accepted(item: dict[str, Any]) -> None:
    query.parse(item["type"], item["query"])


@pytest.mark.parametrize(
    ("monitor_type", "text"),
    [
        # The two valid monitors issue 14 saw rejected.
        ("metric alert", "change(avg(last_5m),last_5m):avg:a.b{env:prod} + avg:c.d{env:prod} + sum:e.f{*} > 10"),
        ("service check", '"check".by("*").last(2).count_by_status()'),
        (
            "query alert",
            "avg(last_5m):avg:a{env:prod AND host IN (a,b) AND NOT region NOT IN (x)} by {host}.as_rate() > 1",
        ),
        (
            "query alert",
            "pct_change(avg(last_1h),last_1d):sum:requests{*}.as_count() / sum:hits{*}.as_count() * 100 < -5",
        ),
        ("query alert", "avg(last_1h):outliers(avg:cpu{*} by {host}, 'dbscan', 3) > 0"),
        ("query alert", "max(next_1w):forecast(avg:disk.used{*} by {host}, 'linear', 1) >= 90"),
        ("query alert", "avg(last_5m):avg:a{*}.rollup(sum, 60) - 3 * avg:b{*} > 0"),
        # A space aggregation over a grouped query, regrouped by a tag set (integrations-core sqlserver).
        ("query alert", "max(last_5m):sum(max:a{r:p} by {s,g}.rollup(max, 60), { g }) > 1"),
    ],
)
def test_documented_forms_are_understood(monitor_type: str, text: str) -> None:
    assert query.parse(monitor_type, text).understood


def test_unknown_but_well_formed_is_accepted_and_recorded(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=query.__name__)
    parsed = query.parse("query alert", "avg(last_5m):avg:a{*} ^ 2 > 1")
    assert not parsed.understood
    assert "outside the known grammar" in caplog.text


@pytest.mark.parametrize(
    ("monitor_type", "text", "message"),
    [
        # Recorded: v1/test_validate_a_monitor_returns_invalid_json_response.yaml
        ("log alert", "query", "The value provided for parameter 'query' is invalid: invalid operator specified: "),
        # Recorded: DataDog/datadogpy tests/integration/api/cassettes/TestDatadog.test_monitor_validate.yaml
        ("metric alert", "THIS IS A BAD QUERY", "The value provided for parameter 'query' is invalid"),
        ("metric alert", "avg(last_5m):avg:a{*}", "invalid operator specified: "),
        ("metric alert", "avg(last_5x):avg:a{*} > 1", "invalid time window 'last_5x'"),
        ("metric alert", "avg(last_5m):avg:a{* > 1", "unbalanced"),
        ("metric alert", "nonsense > 3", "unable to parse metric query"),
        ("composite", "1 && foo", "composite queries"),
        ("slo alert", 'burn_rate("x") > 1', "SLO alert queries"),
    ],
)
def test_invalid_queries_keep_datadogs_messages(monitor_type: str, text: str, message: str) -> None:
    with pytest.raises(query.QueryError) as exc:
        query.parse(monitor_type, text)
    assert message in str(exc.value)


def test_threshold_mismatch_keeps_datadogs_exact_text(dd: ApiClient) -> None:
    """Recorded (DataDog/datadogpy tests/integration/api/cassettes/TestDatadog.test_monitor_validate.yaml):
    the error is the bare sentence, without the "parameter 'query' is invalid" prefix."""
    body = {
        "type": "metric alert",
        "query": "avg(last_1h):sum:system.net.bytes_rcvd{host:host0} > 200",
        "options": {"thresholds": {"critical": 90.0}},
    }
    with pytest.raises(ApiException) as exc:
        MonitorsApi(dd).validate_monitor(body=body)
    assert exc.value.status == 400
    answer = exc.value.body
    errors = (json.loads(answer) if isinstance(answer, (str, bytes)) else answer)["errors"]
    assert errors == ["Alert threshold (90.0) does not match that used in the query (200.0)."]
