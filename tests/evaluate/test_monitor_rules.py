"""Each documented monitor rule the evaluator follows, with the page that states it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from compiler.evaluate.run import MonitorRun
from compiler.evaluate.world import DowntimeObject, World
from tests.evaluate.helpers import START, minute, monitor, one, play, series


def _events(result: MonitorRun, group: str = "*") -> list[tuple[int, str, str, bool]]:
    return [(e.time // 60, e.cause, e.after, e.silenced_by is None) for e in result.groups[group].events]


def test_no_data_after_the_timeframe_and_only_for_a_group_that_reported() -> None:
    """https://docs.datadoghq.com/monitors/guide/monitor_api_options/ (no_data_timeframe) and
    https://docs.datadoghq.com/monitors/configuration/#no-data (the monitor must have evaluated data first)."""
    body = monitor("avg(last_5m):avg:m{*} > 10", notify_no_data=True, no_data_timeframe=10)
    values: list[float | None] = [1.0] * 10 + [None] * 20
    result = one(body, [series("m", values)], 29 * 60)
    # last point at minute 9; no data for 10 minutes at minute 19
    assert minute(result, 18) == "ok" and minute(result, 19) == "no data"
    never = one(body, [series("other", [1.0])], 30 * 60)
    assert never.groups == {}


def test_no_data_timeframe_defaults_to_twice_the_window() -> None:
    """https://docs.datadoghq.com/monitors/guide/monitor_api_options/: 'If omitted, 2x the evaluation timeframe'."""
    body = monitor("avg(last_5m):avg:m{*} > 10", notify_no_data=True)
    result = one(body, [series("m", [1.0] * 5 + [None] * 20)], 24 * 60)
    assert minute(result, 13) == "ok" and minute(result, 14) == "no data"


def test_without_notify_no_data_an_empty_window_keeps_the_state() -> None:
    """https://docs.datadoghq.com/monitors/configuration/#no-data: no data without notify leaves the last status."""
    result = one(monitor("avg(last_2m):avg:m{*} > 10"), [series("m", [20.0] * 3 + [None] * 10)], 12 * 60)
    assert minute(result, 12) == "alert"


def test_new_group_waits_the_new_group_delay() -> None:
    """https://docs.datadoghq.com/monitors/configuration/#new-group-delay: a new group is evaluated only after the
    delay (default 60 s); groups reporting from the start are not new."""
    old = series("m", [20.0] * 10, {"host": "a"})
    new = series("m", [None] * 5 + [20.0] * 5, {"host": "b"})
    body = monitor("max(last_1m):avg:m{*} by {host} > 10", new_group_delay=180)
    result = one(body, [old, new], 9 * 60)
    assert minute(result, 0, "host:a") == "alert"
    assert minute(result, 7, "host:b") == "ok" and minute(result, 8, "host:b") == "alert"


def test_renotify_interval_statuses_and_occurrences() -> None:
    """https://docs.datadoghq.com/monitors/notify/#renotify: 'stop renotifying after 1 occurrence to receive a
    single escalation message after the main alert'."""
    body = monitor(
        "max(last_1m):avg:m{*} > 10", renotify_interval=15, renotify_occurrences=1, renotify_statuses=["alert"]
    )
    result = one(body, [series("m", [20.0] * 61)], 60 * 60)
    assert _events(result) == [(0, "transition", "alert", True), (15, "renotify", "alert", True)]


def test_renotify_repeats_without_a_limit_and_defaults_to_alert_and_no_data() -> None:
    """https://docs.datadoghq.com/monitors/guide/monitor_api_options/: renotify_statuses defaults to alert and no
    data; without renotify_occurrences there is no limit."""
    body = monitor(
        "max(last_1m):avg:m{*} > 10", warning=5, thresholds={"critical": 10, "warning": 5}, renotify_interval=10
    )
    warn = one(body, [series("m", [7.0] * 31)], 30 * 60)
    assert [e.cause for e in warn.groups["*"].events] == ["transition"]  # warn is not re-notified by default
    alert = one(body, [series("m", [20.0] * 31)], 30 * 60)
    assert [e.time // 60 for e in alert.groups["*"].events if e.cause == "renotify"] == [10, 20, 30]


def test_renotifications_stop_thirty_hours_after_the_first_alert() -> None:
    """https://docs.datadoghq.com/monitors/notify/#renotify: 'By default, the renotifications will stop 30 hours
    after the first alert.'"""
    body = monitor("max(last_1m):avg:m{*} > 10", renotify_interval=600)
    result = one(body, [series("m", [20.0] * (40 * 60 + 1))], 40 * 3600)
    times = [e.time // 3600 for e in result.groups["*"].events if e.cause == "renotify"]
    assert times == [10, 20, 30]


def _downtime(start_minute: int, end_minute: int, **extra: Any) -> DowntimeObject:
    schedule = {
        "start": (START + timedelta(minutes=start_minute)).isoformat(),
        "end": (START + timedelta(minutes=end_minute)).isoformat(),
    }
    body = {"scope": "*", "monitor_identifier": {"monitor_tags": ["team:a"]}, "schedule": schedule, **extra}
    return DowntimeObject("dt", body)


def _tagged(query: str, **options: Any) -> dict[str, Any]:
    body = monitor(query, **options)
    body["tags"] = ["team:a"]
    return body


def test_downtime_silences_an_alert_and_notifies_when_it_expires_still_alerting() -> None:
    """https://docs.datadoghq.com/monitors/downtimes/#expiration Example 1: alert before the downtime, still alerting
    when it expires: silenced during it, a notification when it ends."""
    world = World(downtimes=[_downtime(5, 20)])
    timeline = play({"m": _tagged("max(last_1m):avg:m{*} > 10")}, [series("m", [20.0] * 31)], 30 * 60, world)
    events = [(e.time // 60, e.cause, e.silenced_by is None) for e in timeline.monitors["m"].groups["*"].events]
    assert events == [(0, "transition", True), (20, "downtime_end", True)]


def test_downtime_muting_from_ok_and_the_first_recovery() -> None:
    """https://docs.datadoghq.com/monitors/downtimes/: transitions from OK during a downtime notify nobody; a group
    alerting before it that recovers during it sends its first recovery (Example 2) unless
    mute_first_recovery_notification."""
    values = [20.0] * 5 + [1.0] * 5 + [20.0] * 5 + [1.0] * 5
    world = World(downtimes=[_downtime(3, 30)])
    timeline = play({"m": _tagged("max(last_1m):avg:m{*} > 10")}, [series("m", values)], 19 * 60, world)
    events = [(e.time // 60, e.after, e.silenced_by is None) for e in timeline.monitors["m"].groups["*"].events]
    assert events == [(0, "alert", True), (5, "ok", True), (10, "alert", False), (15, "ok", False)]
    muted = World(downtimes=[_downtime(3, 30, mute_first_recovery_notification=True)])
    timeline = play({"m": _tagged("max(last_1m):avg:m{*} > 10")}, [series("m", values)], 19 * 60, muted)
    assert [e.silenced_by is None for e in timeline.monitors["m"].groups["*"].events] == [True, False, False, False]


def test_downtime_group_scope_silences_only_that_group() -> None:
    """https://docs.datadoghq.com/monitors/downtimes/#downtime-scope: a multi alert is silenced only for the groups
    the scope covers."""
    world = World(downtimes=[_downtime(0, 60, scope="host:x")])
    data = [series("m", [20.0] * 5, {"host": "x"}), series("m", [20.0] * 5, {"host": "y"})]
    timeline = play({"m": _tagged("max(last_1m):avg:m{*} by {host} > 10")}, data, 4 * 60, world)
    groups = timeline.monitors["m"].groups
    assert groups["host:x"].events[0].silenced_by == "dt" and groups["host:y"].events[0].silenced_by is None
