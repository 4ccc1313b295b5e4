"""The notification simulator against Datadog's documented conditional variables, on hand-written messages."""

from __future__ import annotations

from typing import Any

import pytest

from compiler.notify.explain import describe_changes, explain_table
from compiler.notify.simulate import Target, simulate, urgency_of
from compiler.notify.template import TemplateError, handles, render

HIGH = {"type": "constant", "urgency": "high"}
TARGETS = {
    "@pagerduty-api": Target("service", "api", HIGH),
    "@pagerduty-status-sis": Target("banner", "sis"),
}
WARNS = {"thresholds": {"critical": 5.0, "warning": 2.0}}


def _body(message: str, **options: Any) -> dict[str, Any]:
    return {"name": "m", "message": message, "options": {**WARNS, **options}}


def test_blocks_show_only_when_their_variable_holds() -> None:
    template = 'a {{#is_alert}}b{{/is_alert}}{{^is_alert}}c{{/is_alert}} {{#is_match "type" "idme"}}d{{/is_match}}'
    assert render(template, frozenset({"is_alert"})) == "a b d"
    assert render(template, frozenset({"is_warning"})) == "a c d"  # context tests are assumed to allow the text


@pytest.mark.parametrize("template", ["{{#is_alert}}x", "x{{/is_alert}}", "{{#is_alert}}x{{/is_warning}}"])
def test_unbalanced_blocks_are_an_error(template: str) -> None:
    with pytest.raises(TemplateError):
        render(template, frozenset())


def test_handles_need_whitespace_before_them() -> None:
    assert handles("x @slack-a\n@pagerduty-b mail@example.com {{value}}@slack-c") == ["@slack-a", "@pagerduty-b"]


def test_unconditional_pagerduty_handle_pages_on_a_warning() -> None:
    """The defect of issue 13: handles outside every block page the on-call when the monitor warns."""
    outcomes = simulate(_body("x @pagerduty-api @slack-team"), TARGETS)
    assert [e.describe() for e in outcomes["ok_to_warn"].pagerduty] == ["api: trigger (high urgency)"]


def test_alert_only_handles_page_on_alert_and_resolve_on_alert_recovery_and_alert_to_warning() -> None:
    message = (
        "x\n{{#is_alert}}@pagerduty-api @pagerduty-status-sis{{/is_alert}}\n"
        "{{#is_alert_recovery}}@pagerduty-api @pagerduty-status-sis{{/is_alert_recovery}}\n@slack-team"
    )
    outcomes = simulate(_body(message, renotify_interval=30, renotify_statuses=["alert"]), TARGETS)
    cell = {key: [e.describe() for e in o.pagerduty] for key, o in outcomes.items()}
    assert cell == {
        "ok_to_warn": [],
        "ok_to_alert": ["api: trigger (high urgency)", "banner sis: raised"],
        "warn_to_alert": ["api: trigger (high urgency)", "banner sis: raised"],
        "alert_to_warn": ["api: resolve", "banner sis: cleared"],
        "alert_to_ok": ["api: resolve", "banner sis: cleared"],
        "warn_to_ok": [],
        "renotify_alert": ["api: re-trigger (appended to the open incident)", "banner sis: raised"],
    }
    assert outcomes["ok_to_warn"].notified == ("@slack-team",)
    assert outcomes["renotify_alert"].transition.renotify_after == 30


def test_is_recovery_covers_every_return_to_ok_but_is_alert_recovery_only_alert() -> None:
    outcomes = simulate(
        _body("{{#is_recovery}}@slack-r{{/is_recovery}}{{#is_alert_recovery}} @slack-ar{{/is_alert_recovery}}"),
        TARGETS,
    )
    assert outcomes["alert_to_ok"].notified == ("@slack-r", "@slack-ar")
    assert outcomes["warn_to_ok"].notified == ("@slack-r",)


def test_no_data_transitions_exist_only_when_the_monitor_notifies_on_no_data() -> None:
    message = (
        "{{#is_no_data}}@pagerduty-api{{/is_no_data}}{{#is_no_data_recovery}} @pagerduty-api{{/is_no_data_recovery}}"
    )
    assert "ok_to_no_data" not in simulate(_body(message), TARGETS)
    outcomes = simulate(_body(message, notify_no_data=True), TARGETS)
    assert [e.action for e in outcomes["ok_to_no_data"].pagerduty] == ["trigger"]
    assert [e.action for e in outcomes["no_data_to_ok"].pagerduty] == ["resolve"]


def test_severity_based_urgency_still_opens_a_low_urgency_incident_on_a_warning() -> None:
    """Why alertc routes by conditional blocks instead: a warning would still open an incident."""
    severity_based = {"type": "constant", "urgency": "severity_based"}
    targets = {"@pagerduty-api": Target("service", "api", severity_based)}
    outcomes = simulate(_body("x @pagerduty-api"), targets)
    assert [e.describe() for e in outcomes["ok_to_warn"].pagerduty] == ["api: trigger (low urgency)"]
    assert [e.describe() for e in outcomes["ok_to_alert"].pagerduty] == ["api: trigger (high urgency)"]
    support = {
        "type": "use_support_hours",
        "during_support_hours": {"type": "constant", "urgency": "high"},
        "outside_support_hours": {"type": "constant", "urgency": "low"},
    }
    assert urgency_of(support, "alert") == "high in support hours, low outside"


def test_escalation_message_goes_with_renotifications_only() -> None:
    body = _body(
        "x @slack-team", renotify_interval=30, escalation_message="still bad @pagerduty-api", notify_no_data=True
    )
    outcomes = simulate(body, TARGETS)
    assert "still bad" in outcomes["renotify_alert"].text and "still bad" not in outcomes["ok_to_alert"].text
    assert "renotify_no_data" in outcomes  # Datadog's default renotify statuses are alert and no data...
    assert "renotify_warn" not in outcomes  # ...never warn unless asked


def test_the_change_sentences_name_what_moves() -> None:
    before = _body(
        "x {{#is_alert}}@pagerduty-api{{/is_alert}}{{#is_alert_recovery}} @pagerduty-api{{/is_alert_recovery}}"
    )
    after = _body("x @pagerduty-api")
    assert describe_changes(before, after, TARGETS) == [
        "this change makes OK → warn send api: trigger (high urgency)",
        "this change makes alert → warn send api: trigger (high urgency)",
        "alert → warn no longer sends api: resolve",
        "this change makes warn → OK send api: resolve",
    ]
    assert describe_changes(after, after, TARGETS) == []


def test_table_lists_every_transition() -> None:
    body = _body("x {{#is_alert}}@pagerduty-api{{/is_alert}} @slack-team")
    assert explain_table("m", body, TARGETS).splitlines() == [
        "m: m",
        "",
        "transition    notified                    PagerDuty",
        "------------  --------------------------  ---------",
        "OK → warn     @slack-team                 none",
        "OK → alert    @pagerduty-api @slack-team  api: trigger (high urgency)",
        "warn → alert  @pagerduty-api @slack-team  api: trigger (high urgency)",
        "alert → warn  @slack-team                 none",
        "alert → OK    @slack-team                 none",
        "warn → OK     @slack-team                 none",
    ]
