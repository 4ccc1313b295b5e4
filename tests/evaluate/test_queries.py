"""Scopes, terms and queries: what the evaluator computes, and what it names instead of guessing."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.evaluate.expression import parse
from compiler.evaluate.metric_query import _positions, evaluate, parse_metric_query
from compiler.evaluate.scope import ScopeError, parse_scope
from compiler.evaluate.series import SeriesSet, Unsupported
from tests.evaluate.helpers import series


@pytest.mark.parametrize(
    ("scope", "tags", "selected"),
    [
        ("*", {"env": "prod"}, True),
        ("env:prod,type:idme", {"env": "prod", "type": "idme"}, True),
        ("env:prod,type:idme", {"env": "prod", "type": "mhv"}, False),
        ("env:prod AND NOT type:idme", {"env": "prod", "type": "mhv"}, True),
        ("type:idme OR type:mhv", {"type": "mhv"}, True),
        ("context IN (mhv,idme),env:eks-prod", {"context": "idme", "env": "eks-prod"}, True),
        ("context NOT IN (mhv,idme)", {"context": "idme"}, False),
        ("!http.status_code:5*", {"http.status_code": "503"}, False),
        ("!http.status_code:5*", {"http.status_code": "200"}, True),
        ("resource_name:v1::sessionscontroller*", {"resource_name": "v1::sessionscontroller_new"}, True),
        ("host", {"host": "a"}, True),
        ("(env:prod OR env:stage) AND team:id", {"env": "stage", "team": "id"}, True),
    ],
)
def test_scope_grammar(scope: str, tags: dict[str, str], selected: bool) -> None:
    """https://docs.datadoghq.com/metrics/advanced-filtering/: commas and AND, OR, NOT, IN lists, wildcards."""
    assert parse_scope(scope).matches(tags) is selected


def test_an_unreadable_scope_is_an_error_not_a_guess() -> None:
    with pytest.raises(ScopeError):
        parse_scope("env:prod AND")


def test_terms_group_space_aggregate_and_modify() -> None:
    """https://docs.datadoghq.com/metrics/#time-and-space-aggregation and the type modifiers: a series without the
    group tag is in no group; .as_rate() divides a count by the interval in seconds."""
    data = SeriesSet(
        [
            series("hits", [60, 120], {"type": "idme", "host": "a"}),
            series("hits", [60, 0], {"type": "idme", "host": "b"}),
            series("hits", [600, 600], {"host": "c"}),  # no type: in no group
        ]
    )
    term = parse("sum:hits{*} by {type}.as_rate()").tree
    assert data.term(term) == {"type:idme": ([0, 60], [2.0, 2.0])}  # type: ignore[arg-type]
    rolled = parse("sum:hits{*}.rollup(sum, 120)").tree
    assert data.term(rolled) == {"*": ([0], [1440.0])}  # type: ignore[arg-type]


def test_grouped_arithmetic_matches_groups_and_applies_ungrouped_terms_to_all() -> None:
    data = SeriesSet(
        [
            series("ok", [45], {"type": "idme"}),
            series("ok", [10], {"type": "mhv"}),
            series("all", [50], {"type": "idme"}),
            series("all", [50], {"type": "mhv"}),
        ]
    )
    query = parse_metric_query(
        "sum(last_1m):sum:ok{*} by {type}.as_count() / sum:all{*} by {type}.as_count() * 100 < 50"
    )
    assert query.as_count_path and query.grouped
    values = evaluate(query, data, [0]).values
    assert values == {"type:idme": [pytest.approx(90.0)], "type:mhv": [pytest.approx(20.0)]}


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("avg(last_1h):anomalies(avg:cpu{*}, 'basic', 2) >= 1", "the function anomalies()"),
        ("avg(last_5m):avg:cpu{*}.fill(zero) > 1", "the .fill() modifier"),
        ("avg(last_5m):sum:a{*}.as_count() / sum:b{*}.as_count() > 1", "'avg' over .as_count() arithmetic"),
        ("avg(last_5m):avg:cpu{env:prod AND} > 1", "the scope"),
        ("change(last_15m):avg:cpu{*} > 1", "the time aggregation of 'change(last_15m)'"),
    ],
)
def test_what_cannot_be_evaluated_is_named(query: str, named: str) -> None:
    with pytest.raises(Unsupported) as exc:
        evaluate(parse_metric_query(query), SeriesSet([series("cpu", [1.0])]), [0])
    assert named in str(exc.value)


def test_change_alert_compares_with_the_earlier_window() -> None:
    """https://docs.datadoghq.com/monitors/types/change-alert/: the window's aggregate minus the same aggregate the
    comparison window earlier; pct_change in percent."""
    data = SeriesSet([series("q", [10.0] * 5 + [15.0] * 5)])
    change = parse_metric_query("change(avg(last_5m),last_5m):avg:q{*} > 4")
    pct = parse_metric_query("pct_change(avg(last_5m),last_5m):avg:q{*} > 40")
    assert evaluate(change, data, [540]).values["*"] == [pytest.approx(5.0)]
    assert evaluate(pct, data, [540]).values["*"] == [pytest.approx(50.0)]


@given(
    first=st.integers(-600, 600),
    step=st.sampled_from([30, 60, 120, 300]),
    count=st.integers(0, 40),
    cut_start=st.integers(-3000, 3000),
    stride=st.sampled_from([60, 120, 300, 600, 45]),
    cuts=st.integers(0, 40),
)
def test_window_positions_agree_with_bisection(
    first: int, step: int, count: int, cut_start: int, stride: int, cuts: int
) -> None:
    """The closed form used for evenly spaced samples is bisection, exactly."""
    ts = [first + i * step for i in range(count)]
    points = [cut_start + k * stride for k in range(cuts)]
    assert _positions(ts, points) == [bisect.bisect_right(ts, c) for c in points]
