"""Issue 13's "done when", on every compiled monitor and burn-rate alert of the example, by the simulator.

Each test walks all alerts (not a sample) and reads what Datadog would do on each transition from the
notification simulator (Datadog's conditional variables), so a new monitor that pages on a warning, raises a
banner early, leaves an incident open or declares too soon fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.cli import run
from compiler.compile import CompileResult, compile_definitions
from compiler.compile.messages import MESSAGE_LIMIT
from compiler.definitions import Definitions
from compiler.notify.explain import targets_from
from compiler.notify.simulate import Outcome, simulate
from compiler.resources import Resource

ROOT = Path(__file__).resolve().parents[2]


def _alerts(compiled: CompileResult) -> list[Resource]:
    alerts = [
        *compiled.resources.by_kind("datadog", "monitor"),
        *[r for r in compiled.resources.by_kind("datadog", "slo_alert") if ".burn-" in r.key],
    ]
    assert len(alerts) == 14 + 10
    return alerts


def _outcomes(compiled: CompileResult, alert: Resource) -> dict[str, Outcome]:
    return simulate(alert.body, targets_from(compiled.resources, compiled.banner_targets))


def _service(alert: Resource) -> str:
    return next(str(t).split(":", 1)[1] for t in alert.body["tags"] if str(t).startswith("service:"))


def _pages(compiled: CompileResult, alert: Resource) -> bool:
    return bool(_outcomes(compiled, alert)["ok_to_alert"].pages())


def test_a_warning_pages_nobody_and_raises_no_banner(compiled: CompileResult) -> None:
    warned = 0
    for alert in _alerts(compiled):
        for key, outcome in _outcomes(compiled, alert).items():
            if outcome.transition.to_status != "warn":
                continue
            warned += 1
            assert outcome.pages() == [], (alert.key, key)
            assert outcome.banners_raised() == [], (alert.key, key)
            assert "@slack-va-identity-alerts" in outcome.notified, (alert.key, key)  # warnings go to the team
    assert warned == 6  # ssoe-latency, sis-latency, sis-token-latency: OK → warn and alert → warn


def test_an_alert_pages_exactly_its_services_handle(compiled: CompileResult) -> None:
    paging = 0
    for alert in _alerts(compiled):
        pages = [e.handle for e in _outcomes(compiled, alert)["ok_to_alert"].pages()]
        severity = next(str(t) for t in alert.body["tags"] if str(t).startswith("severity:"))
        paged_by_group = alert.key in {f"{csp}-success-rate" for csp in ("dslogon", "idme", "logingov", "mhv")}
        if severity in ("severity:sev1", "severity:sev2") and _service(alert) != "sign-in-service-staging":
            if paged_by_group:  # one page per outage: sis-success-rate's group for the CSP pages
                assert pages == [], alert.key
                continue
            paging += 1
            assert pages == [f"@pagerduty-{_service(alert)}"], alert.key
        else:
            assert pages == [], alert.key
    assert paging == 9 + 6


def test_a_recovery_resolves_every_incident_and_banner_the_alert_opened(compiled: CompileResult) -> None:
    for alert in _alerts(compiled):
        outcomes = _outcomes(compiled, alert)
        opened = {e.handle for e in outcomes["ok_to_alert"].pagerduty}
        for leaving in ("alert_to_ok", "alert_to_warn"):
            if leaving in outcomes:
                resolved = {e.handle for e in outcomes[leaving].pagerduty if e.action == "resolve"}
                assert resolved == opened, (alert.key, leaving)
        if "ok_to_no_data" in outcomes:
            opened = {e.handle for e in outcomes["ok_to_no_data"].pagerduty}
            resolved = {e.handle for e in outcomes["no_data_to_ok"].pagerduty if e.action == "resolve"}
            assert resolved == opened, alert.key


def test_no_data_raises_no_banner_unless_the_monitor_opts_in(compiled: CompileResult) -> None:
    for alert in _alerts(compiled):
        outcome = _outcomes(compiled, alert).get("ok_to_no_data")
        if outcome is not None:
            assert outcome.banners_raised() == [], alert.key
            assert "No data for 30m" in outcome.text, alert.key


def test_a_production_paging_alert_asks_to_declare_at_exactly_15_minutes_and_not_before(
    compiled: CompileResult,
) -> None:
    declare = "requires a declared incident"
    for alert in _alerts(compiled):
        if not _pages(compiled, alert):
            continue
        outcomes = _outcomes(compiled, alert)
        for key, outcome in outcomes.items():
            if outcome.transition.renotify_after is None:
                assert declare not in outcome.text, (alert.key, key)
        renotify = outcomes["renotify_alert"]
        assert renotify.transition.renotify_after == 15 and renotify.transition.occurrences == 1, alert.key
        assert declare in renotify.text, alert.key
        assert "P1" in renotify.text and "SEV-1" in renotify.text and "SEV-2" in renotify.text, alert.key


def test_paging_alerts_renotify_once_for_the_declaration_and_no_more(compiled: CompileResult) -> None:
    """The 30-minute status cadence belongs to the declared incident, not to the monitor (issue 25 item 1)."""
    for alert in _alerts(compiled):
        renotify = _outcomes(compiled, alert).get("renotify_alert")
        if _pages(compiled, alert):
            assert renotify is not None and renotify.transition.renotify_after == 15, alert.key
            assert renotify.transition.occurrences == 1, alert.key
            assert [e.action for e in renotify.pagerduty if e.target.is_paging_service] == ["re-trigger"], alert.key
        else:
            assert renotify is None, alert.key


def test_every_message_fits_datadogs_limit_in_every_transition(compiled: CompileResult) -> None:
    for alert in _alerts(compiled):
        assert len(alert.body["message"]) < MESSAGE_LIMIT, alert.key
        for outcome in _outcomes(compiled, alert).values():
            assert len(outcome.text) < MESSAGE_LIMIT, alert.key


def test_links_follow_the_targets_datadog_site(example_definitions: Definitions) -> None:
    gov = compile_definitions(example_definitions, datadog_site="ddog-gov.com")
    body = gov.resources.get("datadog:monitor/ssoe-latency")
    assert body is not None
    assert "Declare it in Datadog Incidents: https://vagov.ddog-gov.com/incidents" in body.body["message"]
    burn = gov.resources.get("datadog:slo_alert/ssoe-latency.burn-6h")
    assert burn is not None
    assert "SLO: https://vagov.ddog-gov.com/slo/manage?slo_id=${datadog:slo/ssoe-latency}" in burn.body["message"]
    assert burn.body["message"][0].isupper()


def test_messages_carry_the_banner_effect_the_failover_rule_and_the_no_data_meaning(compiled: CompileResult) -> None:
    latency = compiled.resources.get("datadog:monitor/ssoe-latency")
    success = compiled.resources.get("datadog:monitor/ssoe-success-rate")
    assert latency is not None and success is not None
    on_alert = simulate(latency.body, targets_from(compiled.resources, compiled.banner_targets))["ok_to_alert"].text
    assert (
        'Banner: raises "Our sign in process isn\'t working right now" (ssoe) for users signing in with SSOe '
        "(oauth=false)." in on_alert
    )
    assert "switch VA.gov sign-in to 100% SiS" in success.body["message"]
    no_data = simulate(success.body, targets_from(compiled.resources, compiled.banner_targets))["ok_to_no_data"].text
    assert "either traffic stopped entirely (a total outage) or the metrics pipeline is broken" in no_data


def test_explain_monitor_prints_the_transition_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", "monitor", "ssoe-latency", "-d", str(ROOT / "definitions")]) == 0
    rows = {
        cells[0]: cells[1:] for line in capsys.readouterr().out.splitlines() if (cells := re.split(r"\s{2,}", line))
    }
    assert rows["transition"] == ["notified", "PagerDuty"]
    assert rows["OK → warn"] == ["@slack-va-identity-alerts", "none"]
    assert rows["OK → alert"] == [
        "@pagerduty-ssoe @pagerduty-status-ssoe @slack-va-identity-alerts",
        "ssoe: trigger (high urgency); banner ssoe: raised",
    ]
    assert rows["alert → warn"][1] == "ssoe: resolve; banner ssoe: cleared"
    assert rows["alert → OK"][1] == "ssoe: resolve; banner ssoe: cleared"
    assert rows["warn → OK"] == ["@slack-va-identity-alerts", "none"]
    assert rows["alert for 15m (re-notification, once)"][1] == (
        "ssoe: re-trigger (appended to the open incident); banner ssoe: raised"
    )


def test_explain_monitor_names_the_known_alerts_when_the_name_is_wrong(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", "monitor", "nope", "-d", str(ROOT / "definitions")]) == 1
    err = capsys.readouterr().err
    assert "no monitor or SLO alert named 'nope'" in err
    assert "hint: one of auth-too-early" in err
