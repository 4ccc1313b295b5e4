"""What a monitor event sends: rendered through Datadog's conditional variables, routed to PagerDuty."""

from __future__ import annotations

from compiler.evaluate.world import PagerDutyService, World
from tests.evaluate.helpers import monitor, play, series

MESSAGE = (
    "{{#is_warning}}warning only{{/is_warning}}\n"
    "{{#is_alert}}@pagerduty-api{{/is_alert}}\n"
    "{{#is_alert_recovery}}@pagerduty-api{{/is_alert_recovery}}\n"
    "@slack-alerts"
)


def _world() -> World:
    world = World(handles={"@pagerduty-api": "P1"})
    world.services["P1"] = PagerDutyService(
        "P1", "api", {"incident_urgency_rule": {"type": "constant", "urgency": "high"}}
    )
    return world


def test_warning_notifies_the_channel_and_pages_nobody() -> None:
    """https://docs.datadoghq.com/monitors/notify/variables/: handles inside {{#is_alert}} are not notified on a
    warning."""
    body = monitor("max(last_1m):avg:m{*} > 10", MESSAGE, thresholds={"critical": 10, "warning": 5})
    timeline = play({"m": body}, [series("m", [7.0] * 5)], 240, _world())
    (note,) = timeline.notifications
    assert note.handles == ("@slack-alerts",) and note.pagerduty == ()
    assert "warning only" in note.text


def test_alert_triggers_and_alert_to_warning_resolves() -> None:
    """https://docs.datadoghq.com/monitors/notify/variables/ (is_alert_recovery recipients are notified on ALERT →
    WARNING) and https://docs.datadoghq.com/integrations/pagerduty/: the resolve closes the incident."""
    body = monitor("max(last_1m):avg:m{*} > 10", MESSAGE, thresholds={"critical": 10, "warning": 5})
    timeline = play({"m": body}, [series("m", [20.0] * 3 + [7.0] * 3)], 300, _world())
    actions = [(n.time // 60, [e.action for e in n.pagerduty]) for n in timeline.notifications]
    assert actions == [(0, ["trigger"]), (3, ["resolve"])]
    (incident,) = timeline.pagerduty.incidents
    assert incident.status == "resolved" and timeline.pagerduty.status_at("P1", 120) == "triggered"


def test_renotification_keeps_one_incident_per_group() -> None:
    """A re-notification triggers again with the group's deduplication key: appended, no second incident."""
    body = monitor("max(last_1m):avg:m{*} by {host} > 10", MESSAGE, renotify_interval=5)
    data = [series("m", [20.0] * 12, {"host": "a"}), series("m", [20.0] * 12, {"host": "b"})]
    timeline = play({"m": body}, data, 11 * 60, _world())
    assert len(timeline.pagerduty.incidents) == 2  # one per group
    assert {i.dedup_key for i in timeline.pagerduty.incidents} == {"m|host:a", "m|host:b"}
    assert sum(1 for n in timeline.notifications if n.event.cause == "renotify") == 4


def test_a_handle_no_service_object_answers_is_reported() -> None:
    body = monitor("max(last_1m):avg:m{*} > 10", "{{#is_alert}}@pagerduty-nowhere{{/is_alert}}")
    timeline = play({"m": body}, [series("m", [20.0])], 0, _world())
    assert [handle for _, handle in timeline.unrouted] == ["@pagerduty-nowhere"]
