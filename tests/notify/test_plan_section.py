"""The markdown plan says what a monitor change means for the on-call."""

from __future__ import annotations

from compiler.notify.plan_section import body_before, notification_lines
from compiler.outputs.classes import MarkdownOutput
from compiler.plan import Change, FieldChange, Plan

OLD = "SSOe latency\n@pagerduty-ssoe @pagerduty-status-ssoe @slack-team"
NEW = (
    "SSOe latency\n{{#is_alert}}@pagerduty-ssoe @pagerduty-status-ssoe{{/is_alert}}\n"
    "{{#is_alert_recovery}}@pagerduty-ssoe @pagerduty-status-ssoe{{/is_alert_recovery}}\n@slack-team"
)
OPTIONS = {"thresholds": {"critical": 5.0, "warning": 2.43}}


def _plan() -> Plan:
    change = Change(
        action="update",
        address="datadog:monitor/ssoe-latency",
        provider="datadog",
        kind="monitor",
        key="ssoe-latency",
        desired={"name": "m", "message": NEW, "options": OPTIONS},
        fields=[FieldChange("message", OLD, NEW), FieldChange("options.renotify_interval", 30, "(absent)")],
    )
    return Plan(created_at="2026-11-23T00:00:00+00:00", definitions_digest="x", target={}, changes=[change])


def test_the_body_before_is_rebuilt_from_the_field_changes() -> None:
    before = body_before(_plan().changes[0])
    assert before["message"] == OLD
    assert before["options"] == {**OPTIONS, "renotify_interval": 30}


def test_the_section_names_what_stops_paging() -> None:
    lines = notification_lines(_plan())
    assert lines[:3] == ["", "**Notifications** (who a changed monitor notifies, by the notification simulator):", ""]
    assert "- `datadog:monitor/ssoe-latency`: OK → warn no longer sends ssoe: trigger" in lines
    assert "- `datadog:monitor/ssoe-latency`: OK → warn no longer sends banner ssoe: raised" in lines
    assert "- `datadog:monitor/ssoe-latency`: this change makes alert → warn send ssoe: resolve" in lines
    assert (
        "- `datadog:monitor/ssoe-latency`: alert for 30m (re-notification) no longer sends ssoe: re-trigger "
        "(appended to the open incident)" in lines
    )
    assert "**Notifications**" in MarkdownOutput().plan(_plan())


def test_no_section_without_a_notification_change() -> None:
    plan = _plan()
    plan.changes[0].fields = [FieldChange("name", "old", "m")]
    assert notification_lines(plan) == []


def test_a_change_without_a_desired_body_compares_the_changed_fields_only() -> None:
    plan = _plan()
    plan.changes[0].desired = None
    plan.changes[0].fields = [FieldChange("message", OLD.replace("SSOe latency", "SSOe p95"), OLD)]
    assert notification_lines(plan) == []  # the handles did not move
    plan.changes[0].fields = [FieldChange("message", OLD, NEW), FieldChange("options.thresholds.warning", 2.0, 2.43)]
    assert "- `datadog:monitor/ssoe-latency`: OK → warn no longer sends ssoe: trigger" in notification_lines(plan)
