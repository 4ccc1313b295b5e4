"""Compiled Datadog monitors: query, thresholds, routing, message, tags."""

from __future__ import annotations

from compiler.compile import CompileResult
from compiler.compile.monitors import recipients
from compiler.compile.routing import Declaration, rate_monitor, renotify_options
from compiler.definitions import Definitions
from compiler.definitions.types import Duration


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


def test_paging_monitor_pages_on_alert_resolves_on_recovery_and_tells_the_channel_always(
    compiled: CompileResult,
) -> None:
    message = str(_monitor(compiled, "ssoe-success-rate")["message"])
    assert message.splitlines()[-5:] == [
        "{{#is_alert}}@pagerduty-ssoe @pagerduty-status-ssoe{{/is_alert}}",
        "{{#is_alert_recovery}}@pagerduty-ssoe @pagerduty-status-ssoe{{/is_alert_recovery}}",
        "{{#is_no_data}}@pagerduty-ssoe{{/is_no_data}}",
        "{{#is_no_data_recovery}}@pagerduty-ssoe{{/is_no_data_recovery}}",
        "@slack-va-identity-alerts",
    ]


def test_p1_message_asks_to_declare_on_renotification_and_update_on_cadence(compiled: CompileResult) -> None:
    message = str(_monitor(compiled, "sis-latency")["message"])
    start = message.index("{{#is_renotify}}")
    renotify = message[start : message.index("{{/is_renotify}}", start)]
    assert "now P1 and requires a declared incident" in renotify
    assert "to #identity-support every 30m" in renotify
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


def test_paging_monitor_prompts_the_declaration_once_at_incident_after(compiled: CompileResult) -> None:
    """Issue 25 item 1: one re-notification, at exactly the 15m rule (not the 30m status cadence)."""
    options = _monitor(compiled, "ssoe-success-rate")["options"]
    assert isinstance(options, dict)
    assert options["renotify_interval"] == 15
    assert options["renotify_occurrences"] == 1
    assert options["renotify_statuses"] == ["alert", "no data"]
    assert "escalation_message" not in options  # the re-notification text is the message's {{#is_renotify}}
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


def test_grouped_monitor_names_its_group_and_every_message_shows_value_and_threshold(compiled: CompileResult) -> None:
    grouped = str(_monitor(compiled, "sis-success-rate")["message"])
    assert "Group: type {{type.name}} (only this group is affected)." in grouped
    for resource in compiled.resources.by_kind("datadog", "monitor"):
        assert "{{value}}" in resource.body["message"] and "{{threshold}}" in resource.body["message"], resource.key


def test_monitors_of_a_team_share_one_object_per_tag(compiled: CompileResult) -> None:
    """Tags repeat across monitors; one object each keeps a large set's compiled and live lists small."""
    bodies = [r.body for r in compiled.resources if r.kind == "monitor"]
    firsts: dict[str, object] = {}
    for body in bodies:
        tags = body["tags"]
        assert isinstance(tags, list)
        for tag in tags:
            assert firsts.setdefault(tag, tag) is tag, tag
    assert len(bodies) > 1 and any(tag.startswith("team:") for tag in firsts)


def test_reminders_are_opt_in_and_follow_the_declaration_rule(example_definitions: Definitions) -> None:
    """Issue 25 item 1: without `alert_reminders` a paging alert re-notifies once, for the declaration prompt; with
    it, the prompt repeats every `incident_after` (Datadog re-notifies on one cadence), and without a duration rule
    the reminders keep their own cadence."""
    process = example_definitions.process
    assert process is not None
    declaration = Declaration(process.priorities[0], process.incident_after)
    assert renotify_options(process, declaration, no_data=False) == {
        "renotify_interval": 15,
        "renotify_statuses": ["alert"],
        "renotify_occurrences": 1,
    }
    reminding = process.model_copy(update={"alert_reminders": Duration.parse("15m")})
    assert renotify_options(reminding, declaration, no_data=True) == {
        "renotify_interval": 15,
        "renotify_statuses": ["alert", "no data"],
    }
    immediate = Declaration(process.priorities[0], None)
    assert renotify_options(process, immediate, no_data=False) == {}
    every_hour = process.model_copy(update={"alert_reminders": Duration.parse("1h")})
    assert renotify_options(every_hour, immediate, no_data=False) == {
        "renotify_interval": 60,
        "renotify_statuses": ["alert"],
    }
