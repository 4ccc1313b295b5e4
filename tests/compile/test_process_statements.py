"""The seeds' process, statement by statement, against the compiled example definitions.

Each test quotes the seed statement it covers (``seeds/NNN``) and asserts the
Datadog or PagerDuty fields that implement it, over every object the statement
is about rather than one sample, so a new monitor or service that breaks the
process fails here. Statements already pinned elsewhere in ``tests/compile``
are not repeated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from compiler.compile import CompileResult
from compiler.compile.routing import priority_for, tier_of
from compiler.coverage import policy_gaps
from compiler.definitions import Definitions
from compiler.notify.explain import targets_from
from compiler.notify.simulate import Outcome, simulate
from compiler.notify.template import handles
from compiler.resources import Resource

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)


def _monitors(compiled: CompileResult) -> list[Resource]:
    return compiled.resources.by_kind("datadog", "monitor")


def _body(compiled: CompileResult, address: str) -> dict[str, Any]:
    resource = compiled.resources.get(address)
    assert resource is not None, address
    return resource.body


def _tag(body: dict[str, Any], name: str) -> str:
    values = [str(t).split(":", 1)[1] for t in body["tags"] if str(t).startswith(f"{name}:")]
    assert len(values) == 1, (body["name"], name, values)
    return values[0]


def _recipients(body: dict[str, Any]) -> list[str]:
    """Every handle the message can notify, whatever the transition (the conditional tags taken out, as
    rendering does: a handle right after ``{{#is_alert}}`` is one)."""
    return handles(re.sub(r"\{\{[^}]*\}\}", " ", str(body["message"])))


def _on(compiled: CompileResult, body: dict[str, Any], transition: str) -> Outcome:
    """What the notification simulator says this alert does on one transition."""
    return simulate(body, targets_from(compiled.resources, compiled.banner_targets))[transition]


def _paging(compiled: CompileResult) -> list[Resource]:
    """Monitors whose alert pages someone (a PagerDuty trigger on a paging service)."""
    return [r for r in _monitors(compiled) if _on(compiled, r.body, "ok_to_alert").pages()]


def _production_services(d: Definitions) -> list[str]:
    assert d.process is not None
    process = d.process
    return sorted(s.name for s in d.services if tier_of(process, s.environment).production)


def test_every_alert_states_its_severity_and_priority(compiled: CompileResult) -> None:
    """seeds/002: "If a production monitor or alert has triggered, first, the severity of the incident must be
    determined."

    Every monitor and SLO alert carries exactly one severity and one priority tag, the Datadog priority field
    agrees with the tag, and the monitor's message says the same to the person paged.
    """
    alerts = [*_monitors(compiled), *compiled.resources.by_kind("datadog", "slo_alert")]
    assert len(alerts) == 24
    for alert in alerts:
        severity, priority = _tag(alert.body, "severity"), _tag(alert.body, "priority")
        assert alert.body["priority"] == int(priority.removeprefix("p")), alert.key
        if alert.kind == "monitor" or ".burn-" in alert.key:
            assert (
                f"({severity}), " in alert.body["message"] and f"Priority: {priority.upper()}." in alert.body["message"]
            ), alert.key


def test_priorities_are_p1_to_p4(compiled: CompileResult) -> None:
    """seeds/002: "Incident priorities are organized using P1, P2, P3, P4 levels"

    The process defines P1-P4 as Datadog monitor priorities 1-4; the example monitors use P1-P3 by the one
    priority rule (tier × users/hour; an explicit severity stands for its band: sev2 → up to 1,000 users/hour →
    P2), and the staging monitor is P3 as the declaration guideline lists it.
    """
    used = {r.key: r.body["priority"] for r in _monitors(compiled)}
    assert set(used.values()) == {1, 2, 3}
    assert used["sis-success-rate"] == 1
    assert used["dslogon-success-rate"] == 2
    assert used["auth-too-late"] == 2
    assert used["sis-staging-success-rate"] == 3


def test_p4_is_a_staging_problem_of_at_most_50_users(example_definitions: Definitions) -> None:
    """seeds/002: "Incident priorities are organized using P1, P2, P3, P4 levels" (the guideline's matrix)

    P4 exists, as Datadog priority 4, and is what the matrix gives a staging problem of at most 50 users/hour: the
    matrix's columns are the SLA ladder's breakpoints (1,000 and 50 users/hour), so one severity is one priority.
    """
    process = example_definitions.process
    assert process is not None
    assert [(p.name, p.datadog_priority) for p in process.priorities] == [("P1", 1), ("P2", 2), ("P3", 3), ("P4", 4)]
    staging = tier_of(process, "staging")
    assert [priority_for(process, staging, users).name for users in (1001, 51, 50, 1)] == ["P2", "P3", "P4", "P4"]


def test_production_paging_alerts_require_a_declared_incident_once_they_last_15_minutes(
    example_definitions: Definitions, compiled: CompileResult
) -> None:
    """seeds/002: "P1 level incidents require an official incident declaration" and "Incident management is
    performed through Datadog Incidents"; the declaration guidelines it links: "If a production alert for SSOe
    or SiS is active for 15 minutes or longer, it qualifies as a P1"

    Every production paging alert (monitors and burn-rate alerts) tells the on-call to declare, with the
    incidents link of the Datadog site, in its first re-notification (30 minutes, at or after the 15-minute
    rule) and never in the alert itself; non-paging alerts never ask.
    """
    declare = "requires a declared incident"
    production = set(_production_services(example_definitions))
    alerts = [*_monitors(compiled), *compiled.resources.by_kind("datadog", "slo_alert")]
    asking = []
    for alert in alerts:
        assert declare not in _on(compiled, alert.body, "ok_to_alert").text, alert.key
        renotify = simulate(alert.body, targets_from(compiled.resources, compiled.banner_targets)).get("renotify_alert")
        if renotify is not None and declare in renotify.text:
            assert renotify.transition.renotify_after is not None and renotify.transition.renotify_after >= 15
            assert "Declare it in Datadog Incidents: https://vagov.datadoghq.com/incidents" in renotify.text
            asking.append(alert.key)
    paging_production = [
        a.key for a in alerts if _tag(a.body, "service") in production and _on(compiled, a.body, "ok_to_alert").pages()
    ]
    assert sorted(asking) == sorted(paging_production)
    # 9 paging monitors (the four CSP monitors leave the page to their group of the per-CSP monitor), 6 burn tiers
    assert len(asking) == 9 + 6


def test_unresolved_incidents_are_updated_every_30_minutes_toward_identity_support(compiled: CompileResult) -> None:
    """seeds/002: "Every 30 minutes, if the incident is not resolved, create a notification in the Datadog
    Incident. Performing this action will post a message in the `#identity-support` Slack channel"

    The 30-minute cadence belongs to the declared incident, not to the monitor (issue 25 item 1): every paging
    monitor and burn-rate alert re-notifies once, at the 15-minute declaration rule, and that prompt tells the
    responder to post a status update to #identity-support every 30 minutes; the alert itself does not.
    """
    paging = [
        r
        for r in [*_monitors(compiled), *compiled.resources.by_kind("datadog", "slo_alert")]
        if _on(compiled, r.body, "ok_to_alert").pages()
    ]
    assert len(paging) == 15
    update = "post a status update from the incident's Notifications to #identity-support every 30m"
    for alert in paging:
        options = alert.body["options"]
        assert options["renotify_interval"] == 15 and options["renotify_occurrences"] == 1, alert.key
        assert "alert" in options["renotify_statuses"], alert.key
        assert update in _on(compiled, alert.body, "renotify_alert").text, alert.key
        assert update not in _on(compiled, alert.body, "ok_to_alert").text, alert.key


@pytest.mark.parametrize(
    ("monitor", "severity", "users", "respond"),
    [
        ("idme-success-rate", "sev1", "3000 users/hour = 6000 users/hour of sign-in-service × 0.5 failing", "1h"),
        ("logingov-success-rate", "sev1", "2400 users/hour = 6000 users/hour of sign-in-service × 0.4 failing", "1h"),
        ("dslogon-success-rate", "sev2", "300 users/hour (declared impact)", "4h"),
        ("mhv-success-rate", "sev2", "300 users/hour (declared impact)", "4h"),
    ],
)
def test_severity_and_response_time_follow_users_affected_per_hour(
    compiled: CompileResult, monitor: str, severity: str, users: str, respond: str
) -> None:
    """seeds/001 (from the SLA): "Severity 1 | Impacting more than 1,000 VA.gov users per hour | 1 hour" and
    "Severity 2 | Impacting more than 50 VA.gov users per hour | 4 hours"

    Monitors that state their impact instead of a severity get the SLA's severity, its response time and the
    arithmetic in the message.
    """
    body = _body(compiled, f"datadog:monitor/{monitor}")
    assert _tag(body, "severity") == severity
    lines = str(body["message"]).splitlines()
    assert lines[2].startswith(f"Severity: Severity {severity[-1]} ({severity}), {users}. Priority: ")
    assert lines[3] == f"Respond within {respond}, 24x7."


def test_non_production_problems_are_severity_3_handled_in_business_hours(
    example_definitions: Definitions, compiled: CompileResult
) -> None:
    """seeds/001 (from the SLA): "Severity 3 | Impacting less than 50 VA.gov users per hour. Includes
    non-production issues. | 1 business day"

    Every monitor on a non-production service is sev3, answers within one business day, and pages nobody:
    the staging service has no PagerDuty service at all.
    """
    production = set(_production_services(example_definitions))
    others = [r for r in _monitors(compiled) if _tag(r.body, "service") not in production]
    assert [r.key for r in others] == ["sis-staging-success-rate"]
    for monitor in others:
        assert _tag(monitor.body, "severity") == "sev3"
        assert "Respond within 1 business day (business hours)." in monitor.body["message"]
        assert not [h for h in _recipients(monitor.body) if h.startswith("@pagerduty-")]
    assert "pagerduty:service/sign-in-service-staging" not in compiled.resources


def test_urgent_means_production_and_production_pages_at_high_urgency_around_the_clock(
    example_definitions: Definitions, compiled: CompileResult
) -> None:
    """seeds/001: "Urgent requests are defined as issues impacting VA.gov users on production servers." and
    "If you need assistance with an urgent request during weekends, holidays, or outside of regular business
    hours, email: ...@dsva.pagerduty.com"

    Every production service is a PagerDuty service whose incidents are high urgency at all hours (no
    support-hours split), on the team's escalation policy.
    """
    production = _production_services(example_definitions)
    assert production == ["sign-in-service", "ssoe"]
    for name in production:
        body = _body(compiled, f"pagerduty:service/{name}")
        assert body["incident_urgency_rule"] == {"type": "constant", "urgency": "high"}, name
        assert "support_hours" not in body and "scheduled_actions" not in body, name
        assert body["escalation_policy"]["id"] == "${pagerduty:escalation_policy/identity-escalation}", name


def test_on_call_covers_every_minute_of_the_next_four_weeks(
    example_definitions: Definitions, compiled: CompileResult
) -> None:
    """seeds/001: "The OCTO Identity team monitors system performance and inbound communications 24x7 via Pager
    Duty"

    The compiled schedule is an unrestricted, open-ended weekly rotation, and the escalation policy the
    production services page leaves no uncovered minute in four weeks.
    """
    schedule = _body(compiled, "pagerduty:schedule/identity-primary")
    assert [(layer["restrictions"], layer["end"]) for layer in schedule["schedule_layers"]] == [([], None)]
    policy = next(p for p in example_definitions.escalation_policies if p.name == "identity-escalation")
    schedules = {s.name: s for s in example_definitions.schedules}
    only_the_rotation = policy.model_copy(update={"rules": policy.rules[:1]})  # the lead's user target hides gaps
    assert policy_gaps(only_the_rotation, schedules, MONDAY, timedelta(weeks=4)) == []


def test_the_on_call_has_30_minutes_to_acknowledge_before_the_lead_is_paged(
    example_definitions: Definitions, compiled: CompileResult
) -> None:
    """seeds/001: "...and responds within 30 minutes to any alerts."

    The first escalation rule pages the on-call schedule and escalates to the engineering lead after 30
    minutes. The 30 minutes are a time to acknowledge, not a re-page: an acknowledged incident stays with its
    acknowledger (PagerDuty's acknowledgement timeout is off unless the process opts in).
    """
    rules = _body(compiled, "pagerduty:escalation_policy/identity-escalation")["escalation_rules"]
    assert [(r["escalation_delay_in_minutes"], [t["id"] for t in r["targets"]]) for r in rules] == [
        (30, ["${pagerduty:schedule/identity-primary}"]),
        (30, ["${lookup:user/identity-lead@example.com}"]),
    ]
    for name in _production_services(example_definitions):
        assert _body(compiled, f"pagerduty:service/{name}")["acknowledgement_timeout"] is None, name


def test_an_alert_goes_to_slack_and_pages_the_on_call_and_resolves_in_pagerduty(compiled: CompileResult) -> None:
    """seeds/001: "Monitor alert triggered. / Slack notification sent. / Pager Duty alert sent to on-call
    developer." and "the on-call developer resolves the incident in both Datadog and Pager Duty"

    Every paging monitor's alert notifies the team's alert channel and its service's PagerDuty service through
    a Datadog service object wired to that service's Datadog integration, and its recovery (by the simulator
    of Datadog's conditional variables) resolves the PagerDuty incident too.
    """
    paging = _paging(compiled)
    assert len(paging) == 9  # one page per outage: the CSP monitors' failures page through sis-success-rate
    for monitor in paging:
        service = _tag(monitor.body, "service")
        alert = _on(compiled, monitor.body, "ok_to_alert")
        assert "@slack-va-identity-alerts" in alert.notified, monitor.key
        assert [e.handle for e in alert.pages()] == [f"@pagerduty-{service}"], monitor.key
        recovery = _on(compiled, monitor.body, "alert_to_ok")
        assert [(e.handle, e.action) for e in recovery.pagerduty if e.target.is_paging_service] == [
            (f"@pagerduty-{service}", "resolve")
        ], monitor.key
        assert f"datadog:pagerduty_service_object/{service}" in monitor.depends_on, monitor.key
        assert _body(compiled, f"datadog:pagerduty_service_object/{service}")["service_key"] == (
            f"${{pagerduty:integration/{service}#integration_key}}"
        )
        integration = _body(compiled, f"pagerduty:integration/{service}")
        assert integration["service"]["id"] == f"${{pagerduty:service/{service}}}"
        assert integration["vendor"]["id"] == "PAM4FGS"  # Datadog


def test_banners_fire_by_authentication_method(example_definitions: Definitions, compiled: CompileResult) -> None:
    """seeds/000 and seeds/001: "Update the downtime banners to fire based on authentication method, either SiS
    or SSOe. Today the banner shows if the SSOe service is down even if a user is trying to login with SiS
    (oauth=true param set)"

    SSOe and SiS each have their own status service, and no monitor of one method raises the other's: an
    SSOe outage never reaches the key SiS users' banner is read from, and vice versa.
    """
    assert _body(compiled, "pagerduty:service/status-ssoe")["name"] == "External: SSOe"
    assert _body(compiled, "pagerduty:service/status-sis")["name"] == "External: Sign-in Service"
    methods = {a.service: set(a.depends_on) for a in example_definitions.auth_methods}
    status = re.compile(r"^@pagerduty-status-(.+)$")
    raised: dict[str, set[str]] = {}
    for monitor in _monitors(compiled):
        keys = {mt.group(1) for h in _recipients(monitor.body) if (mt := status.match(h))}
        # the keys referencing existing status services are driven through their existing Datadog handles
        keys |= {key for h in _recipients(monitor.body) if (key := compiled.banner_targets.get(h))}
        raised.setdefault(_tag(monitor.body, "service"), set()).update(keys)
    assert raised["ssoe"] == {"ssoe"}
    assert raised["sign-in-service"] == {"sis", "idme", "logingov", "dslogon", "mhv", "mvi"}
    # the whole-SiS key is driven by the ungrouped SiS monitor only, never by the per-CSP multi-alert one
    assert [r.key for r in _monitors(compiled) if "@pagerduty-status-sis" in _recipients(r.body)] == [
        "sis-overall-success-rate"
    ]
    for service, keys in raised.items():
        if service in methods:
            assert keys <= methods[service], service
    assert "sis" not in methods["ssoe"] and "ssoe" not in methods["sign-in-service"]


@pytest.mark.parametrize(("slo", "service"), [("sis-availability", "sign-in-service"), ("ssoe-availability", "ssoe")])
def test_failing_the_sla_pages_before_the_monthly_budget_is_gone(
    compiled: CompileResult, slo: str, service: str
) -> None:
    """seeds/001: "What is an incident, anyways? / Failing to meet SLA" (the SLA it links: "monthly system
    availability percentage of at least 99.9%")

    The SLA is a 99.9% 30-day Datadog SLO; burning its budget in about two days (1 h window) or five (6 h)
    pages the service's on-call, a ten-day burn only tells the channel.
    """
    body = _body(compiled, f"datadog:slo/{slo}")
    assert (body["target_threshold"], body["timeframe"]) == (99.9, "30d")
    routed = {
        window: (
            list(_on(compiled, _body(compiled, f"datadog:slo_alert/{slo}.burn-{window}"), "ok_to_alert").notified),
            text,
        )
        for window, text in (("1h", "~2 days"), ("6h", "~5 days"), ("1d", "~10 days"))
    }
    assert routed["1h"][0] == routed["6h"][0] == [f"@pagerduty-{service}", "@slack-va-identity-alerts"]
    assert routed["1d"][0] == ["@slack-va-identity-alerts"]
    for window, (_handles, text) in routed.items():
        message = _body(compiled, f"datadog:slo_alert/{slo}.burn-{window}")["message"]
        assert f"the 30-day error budget is gone in {text}" in message, window


def test_sign_in_failures_are_severity_1_and_page_at_once(compiled: CompileResult) -> None:
    """seeds/004 (another team's protocol, the same rule): "Severity 1: Critical ... Some examples include:
    Customers not being able to log in." and "Members must respond to severity 1 incidents immediately."

    The sign-in success-rate monitors of both methods are sev1 and page a high-urgency PagerDuty service.
    """
    for key, service in (("ssoe-success-rate", "ssoe"), ("sis-success-rate", "sign-in-service")):
        body = _body(compiled, f"datadog:monitor/{key}")
        assert (_tag(body, "severity"), body["priority"]) == ("sev1", 1)
        assert [e.handle for e in _on(compiled, body, "ok_to_alert").pages()] == [f"@pagerduty-{service}"]
        assert _body(compiled, f"pagerduty:service/{service}")["incident_urgency_rule"]["urgency"] == "high"


def test_a_production_sign_in_outage_of_15_minutes_is_p1(compiled: CompileResult) -> None:
    """seeds/002 links the declaration guidelines, which say: "If a production alert for SSOe or SiS is active
    for 15 minutes or longer, it qualifies as a P1"

    The SSOe and SiS success-rate monitors evaluate the last 15 minutes, are P1, and alert on missing data
    (a total outage reports nothing).
    """
    for key in ("ssoe-success-rate", "sis-success-rate", "sis-overall-success-rate"):
        body = _body(compiled, f"datadog:monitor/{key}")
        assert "(last_15m):" in body["query"], key
        assert (body["priority"], _tag(body, "priority")) == (1, "p1"), key
        assert body["options"]["notify_no_data"] is True, key


def test_external_credential_providers_have_status_services(
    example_definitions: Definitions, compiled: CompileResult
) -> None:
    """seeds/003: "External Dependency Maintenance Window Service: ... [ID.me], [MHV], [DSLogon]" (PagerDuty
    services that carry each provider's outages and maintenance windows)

    VA's account has these services (issue 12: "External: ID.me" PVWB4R8, "External: MHV" PP2ZZ2V, "External: DS
    Logon" P9DJJAV, "External: Login.gov" P2SHMM9): each credential provider's banner key references its
    service by id, alertc creates none, and its monitor raises the banner through the Datadog handle that
    already reaches that service. (The maintenance window on it is pinned by test_banners_compile.py.)
    """
    dependencies = {dep.key: dep for dep in example_definitions.dependencies}
    expected = {"idme": "PVWB4R8", "mhv": "PP2ZZ2V", "dslogon": "P9DJJAV", "logingov": "P2SHMM9"}
    for key, service_id in expected.items():
        assert dependencies[key].pagerduty_service == service_id
        assert f"pagerduty:service/status-{key}" not in compiled.resources, key
        handle = f"@pagerduty-{dependencies[key].datadog_handle}"
        assert compiled.banner_targets[handle] == key
        monitor = _body(compiled, f"datadog:monitor/{key}-success-rate")
        assert _on(compiled, monitor, "ok_to_alert").banners_raised() == [key]
