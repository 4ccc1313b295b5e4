"""The evaluator against the examples Datadog, PagerDuty and Prometheus document, each with its page.

Every case here restates a worked example of the documentation (its numbers and its answer), so a regression in
the evaluator shows as a disagreement with the vendor's own text.
"""

from __future__ import annotations

import pytest

from compiler.evaluate.metric_query import SKIP, evaluate, frequency, parse_metric_query
from compiler.evaluate.series import SeriesSet
from compiler.evaluate.slo import Sli
from tests.evaluate.helpers import minute, monitor, one, series

# The aggregator guide's series: one value a minute from 3:00 to 3:10, evaluated at 3:10 over the last 10 minutes.
GUIDE_VALUES = [10, 15, 12, 8, 11, 14, 13, 25, 37, 45, 50]


@pytest.mark.parametrize(
    ("aggregation", "comparison", "answer"),
    [
        ("avg", "> 30", "ok"),  # the average is below 30: OK
        ("max", "> 40", "alert"),  # 45 and 50 are above 40: ALERT
        ("max", "> 50", "ok"),  # nothing is above 50: OK
        ("sum", "> 250", "ok"),  # the sum stays below 250: OK
    ],
)
def test_aggregator_guide(aggregation: str, comparison: str, answer: str) -> None:
    """The guide's ten minutes (10, 15, 12, 8, 11, 14, 13, 25, 37, 45, 50) under each aggregator.
    https://docs.datadoghq.com/monitors/guide/monitor_aggregators/
    """
    result = one(monitor(f"{aggregation}(last_10m):avg:m{{*}} {comparison}"), [series("m", GUIDE_VALUES)], 600)
    assert minute(result, 10) == answer


def test_as_count_guide_gives_both_documented_results() -> None:
    """Errors 1..5 over totals of 5: the classic path sums the ratios (3), the as_count path divides the sums (0.6).
    https://docs.datadoghq.com/monitors/guide/as-count-in-monitor-evaluations/
    """
    data = SeriesSet([series("requests.error", [1, 2, 3, 4, 5]), series("requests.total", [5, 5, 5, 5, 5])])
    classic = parse_metric_query("sum(last_5m):sum:requests.error{*}.as_rate() / sum:requests.total{*}.as_rate() > 1")
    counted = parse_metric_query("sum(last_5m):sum:requests.error{*}.as_count() / sum:requests.total{*}.as_count() > 1")
    assert not classic.as_count_path and counted.as_count_path
    assert evaluate(classic, data, [240]).values["*"] == [pytest.approx(3.0)]
    assert evaluate(counted, data, [240]).values["*"] == [pytest.approx(0.6)]


@pytest.mark.parametrize(
    ("comparator", "critical", "recovery", "values", "expected"),
    [
        # > alert threshold recovers at <= the recovery threshold
        (">", 80, 70, [85, 75, 71, 70], ["alert", "alert", "alert", "ok"]),
        # >= recovers at <
        (">=", 80, 70, [80, 75, 70, 69], ["alert", "alert", "alert", "ok"]),
        # < recovers at >=
        ("<", 50, 56, [40, 52, 55.9, 56], ["alert", "alert", "alert", "ok"]),
        # <= recovers at >
        ("<=", 50, 56, [50, 53, 56, 56.1], ["alert", "alert", "alert", "ok"]),
    ],
)
def test_recovery_threshold_table(
    comparator: str, critical: float, recovery: float, values: list[float], expected: list[str]
) -> None:
    """The alert condition → recovery condition table, one row each.
    https://docs.datadoghq.com/monitors/guide/recovery-thresholds/
    """
    body = monitor(
        f"avg(last_1m):avg:m{{*}} {comparator} {critical}",
        thresholds={"critical": critical, "critical_recovery": recovery},
    )
    result = one(body, [series("m", values)], 60 * (len(values) - 1))
    assert [minute(result, i) for i in range(len(values))] == expected


def test_recovery_thresholds_api_example() -> None:
    """Critical 80, warning 60, critical_recovery 70, warning_recovery 50.
    https://docs.datadoghq.com/monitors/guide/recovery-thresholds/
    """
    thresholds = {"critical": 80, "warning": 60, "critical_recovery": 70, "warning_recovery": 50}
    values = [85, 75, 65, 55, 45]
    result = one(monitor("avg(last_1m):avg:m{*} > 80", thresholds=thresholds), [series("m", values)], 240)
    assert [minute(result, i) for i in range(5)] == ["alert", "alert", "warn", "warn", "ok"]


@pytest.mark.parametrize(
    ("filled", "full"),
    [
        ([1] * 12, True),  # case 1: every bucket has data
        ([0] + [1] * 11, False),  # case 2: the first bucket is empty
        ([1, 1, 0, 0, 0] + [1] * 7, True),  # case 3: three empty buckets, the first full
        ([1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1], False),  # case 4: five empty buckets
    ],
)
def test_full_window_cases(filled: list[int], full: bool) -> None:
    """A 2h window is 12 buckets of 10 minutes; the documented four cases.
    https://docs.datadoghq.com/monitors/types/metric/#data-window
    """
    values: list[float | None] = []
    for bucket in filled:
        values += [1.0 if bucket else None] * 10
    data = SeriesSet([series("m", values)])
    query = parse_metric_query("avg(last_2h):avg:m{*} > 0")
    evaluated = evaluate(query, data, [119 * 60], full_window=True).values["*"][0]
    assert (evaluated != SKIP) is full


@pytest.mark.parametrize(
    ("window", "every"), [(15 * 60, 60), (23 * 3600, 60), (24 * 3600, 600), (47 * 3600, 600), (48 * 3600, 1800)]
)
def test_evaluation_frequency_table(window: int, every: int) -> None:
    """< 24h every minute, < 48h every 10 minutes, beyond every 30.
    https://docs.datadoghq.com/monitors/configuration/#evaluation-frequency
    """
    assert frequency(window) == every


@pytest.mark.parametrize(("delay", "included"), [(900, (20, 25)), (300, (30, 35))])
def test_evaluation_delay_examples(delay: int, included: tuple[int, int]) -> None:
    """A delay of 900 s at 7:00 over the last 5 minutes reads 6:40 to 6:45 (the configuration page); 300 s reads
    6:50 to 6:55 (the API options page). Minute 0 here is 6:20, so 7:00 is minute 40.
    https://docs.datadoghq.com/monitors/configuration/#evaluation-delay
    https://docs.datadoghq.com/monitors/guide/monitor_api_options/
    """
    values = [0.0] * 41
    for m in range(included[0] + 1, included[1] + 1):
        values[m] = 1.0
    query = parse_metric_query("min(last_5m):avg:m{*} > 0")
    assert evaluate(query, SeriesSet([series("m", values)]), [40 * 60], delay=delay).values["*"] == [1.0]


def test_burn_rate_is_the_error_rate_over_the_budget() -> None:
    """A 99.9% SLO at a 1% error rate burns at 10 ((10)(0.001) = 0.01).
    https://docs.datadoghq.com/service_management/service_level_objectives/burn_rate/
    """
    slo = {"type": "metric", "query": {"numerator": "sum:good{*}.as_count()", "denominator": "sum:total{*}.as_count()"}}
    sli = Sli(slo, SeriesSet([series("good", [990] * 60), series("total", [1000] * 60)]))
    rate = sli.error_rate(59 * 60, 3600)
    assert rate is not None and rate / 0.001 == pytest.approx(10)


def test_maximum_burn_rate_of_a_96_percent_target() -> None:
    """The maximum burn rate is 1 / (1 - target); for 96% it is 25.
    https://docs.datadoghq.com/service_management/service_level_objectives/burn_rate/
    """
    slo = {"type": "metric", "query": {"numerator": "sum:good{*}.as_count()", "denominator": "sum:total{*}.as_count()"}}
    sli = Sli(slo, SeriesSet([series("good", [0] * 60), series("total", [100] * 60)]))
    rate = sli.error_rate(59 * 60, 3600)
    assert rate is not None and rate / 0.04 == pytest.approx(25)


@pytest.mark.parametrize(
    ("timeframe_days", "burn", "long_hours", "consumed_percent"),
    [
        (7, 16.8, 1, 10),
        (7, 5.6, 6, 20),
        (7, 2.8, 24, 40),
        (30, 14.4, 1, 2),
        (30, 6, 6, 5),
        (30, 3, 24, 10),
        (90, 21.6, 1, 1),
        (90, 10.8, 6, 3),
        (90, 4.5, 24, 5),
    ],
)
def test_recommended_burn_rates_consume_the_documented_budget(
    timeframe_days: int, burn: float, long_hours: int, consumed_percent: float
) -> None:
    """Each recommended (burn rate, long window) spends the table's share of the error budget, with traffic constant
    over the timeframe (the table's theoretical consumption).
    https://docs.datadoghq.com/service_management/service_level_objectives/burn_rate/
    """
    budget = 0.001  # the tables assume a 99.9% target
    minutes = timeframe_days * 1440
    bad_minutes = long_hours * 60
    error = burn * budget  # the error rate of a burn at that rate
    total = [1000.0] * minutes
    good = [1000.0] * (minutes - bad_minutes) + [1000.0 * (1 - error)] * bad_minutes
    slo = {"type": "metric", "query": {"numerator": "sum:good{*}.as_count()", "denominator": "sum:total{*}.as_count()"}}
    sli = Sli(slo, SeriesSet([series("good", good), series("total", total)]))
    end = (minutes - 1) * 60
    long_rate = sli.error_rate(end, long_hours * 3600)
    spent = sli.error_rate(end, timeframe_days * 86400)
    assert long_rate is not None and long_rate / budget == pytest.approx(burn)
    assert spent is not None and spent / budget * 100 == pytest.approx(consumed_percent)


def test_time_slice_overall_uptime_counts_any_group_down() -> None:
    """Staging and dev each down 5 minutes of a day, at different times: each group is 1435/1440 up, overall 1430/1440
    (any group down is overall downtime).
    https://docs.datadoghq.com/service_management/service_level_objectives/time_slice/
    """
    day = 1440
    staging = [1.0] * day
    dev = [1.0] * day
    for m in range(100, 105):
        staging[m] = 9.0
    for m in range(700, 705):
        dev[m] = 9.0
    slo = {
        "type": "time_slice",
        "sli_specification": {
            "time_slice": {
                "comparator": "<",
                "threshold": 5,
                "query_interval_seconds": 60,
                "query": {
                    "formulas": [{"formula": "query1"}],
                    "queries": [{"name": "query1", "data_source": "metrics", "query": "avg:latency{*} by {env}"}],
                },
            }
        },
    }
    data = SeriesSet([series("latency", staging, {"env": "staging"}), series("latency", dev, {"env": "dev"})])
    rate = Sli(slo, data).error_rate((day - 1) * 60, day * 60)
    assert rate is not None and (1 - rate) * 100 == pytest.approx((1440 - 10) / 1440 * 100)


def test_time_slice_missing_data_is_uptime() -> None:
    """A slice without data counts as uptime.
    https://docs.datadoghq.com/service_management/service_level_objectives/time_slice/#missing-data
    """
    slo = {
        "type": "time_slice",
        "sli_specification": {
            "time_slice": {
                "comparator": "<",
                "threshold": 5,
                "query_interval_seconds": 60,
                "query": {
                    "formulas": [{"formula": "query1"}],
                    "queries": [{"name": "query1", "data_source": "metrics", "query": "avg:latency{*}"}],
                },
            }
        },
    }
    values: list[float | None] = [1.0] * 30 + [None] * 30
    assert Sli(slo, SeriesSet([series("latency", values)])).error_rate(59 * 60, 3600) == 0
