"""Compiled Datadog monitors: query, thresholds, routing, message, tags."""

from __future__ import annotations

from compiler.compile import CompileResult
from compiler.compile.monitors import recipients
from compiler.compile.routing import rate_monitor
from compiler.definitions.loader import Definitions


def _monitor(compiled: CompileResult, name: str) -> dict[str, object]:
    resource = compiled.resources.get(f"datadog:monitor/{name}")
    assert resource is not None
    return resource.body


def test_query_carries_window_aggregation_and_the_critical_threshold(compiled: CompileResult) -> None:
    body = _monitor(compiled, "auth-too-early")
    assert body["query"] == (
        "sum(last_5m):sum:vets_api.statsd.api_auth_login_callback_failed"
        "{error:auth_too_early,env:eks-prod}.as_count() >= 3"
    )
    options = body["options"]
    assert isinstance(options, dict)
    assert options["thresholds"] == {"critical": 3.0, "critical_recovery": 2.0}


def test_paging_monitor_notifies_pagerduty_and_channel_outside_is_alert(compiled: CompileResult) -> None:
    message = str(_monitor(compiled, "ssoe-success-rate")["message"])
    last_line = message.splitlines()[-1]
    assert last_line == "@pagerduty-ssoe @slack-va-identity-alerts @pagerduty-status-ssoe"
    # recipients are not inside an {{#is_alert}} block, so PagerDuty gets the recovery and auto-resolves
    assert message.rfind("{{/is_alert}}") < message.rfind("@pagerduty-ssoe")


def test_p1_message_asks_to_declare_and_update_on_cadence(compiled: CompileResult) -> None:
    message = str(_monitor(compiled, "sis-latency")["message"])
    assert "P1 requires a declared incident" in message
    assert "in #identity-support every 30m" in message
    assert "Respond within 1h, 24x7." in message


def test_non_paging_monitor_notifies_the_channel_only(compiled: CompileResult) -> None:
    body = _monitor(compiled, "sis-staging-success-rate")
    message = str(body["message"])
    assert message.splitlines()[-1] == "@slack-va-identity-alerts"
    assert "@pagerduty" not in message
    assert "declared incident" not in message
    assert "Respond within 1 business day (business hours)." in message
    options = body["options"]
    assert isinstance(options, dict)
    assert "renotify_interval" not in options


def test_paging_monitor_renotifies_on_the_update_cadence(compiled: CompileResult) -> None:
    options = _monitor(compiled, "ssoe-success-rate")["options"]
    assert isinstance(options, dict)
    assert options["renotify_interval"] == 30
    assert "post a status update in #identity-support" in str(options["escalation_message"])
    assert options["notify_no_data"] is True
    assert options["no_data_timeframe"] == 30


def test_tags_and_priority(compiled: CompileResult) -> None:
    body = _monitor(compiled, "dslogon-success-rate")
    assert body["priority"] == 2
    assert body["tags"] == [
        "banner:dslogon",
        "env:production",
        "priority:p2",
        "service:sign-in-service",
        "severity:sev2",
        "team:identity",
    ]


def test_slack_account_gives_datadogs_full_handle(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    team = example_definitions.teams[0]
    with_account = team.model_copy(update={"slack": team.slack.model_copy(update={"account": "vagov"})})
    service = next(s for s in example_definitions.services if s.name == "ssoe")
    monitor = next(mon for mon in example_definitions.monitors if mon.name == "ssoe-success-rate")
    rating = rate_monitor(process, monitor, service)
    assert recipients(monitor, service, with_account, rating) == [
        "@pagerduty-ssoe",
        "@slack-vagov-va-identity-alerts",
        "@pagerduty-status-ssoe",
    ]
