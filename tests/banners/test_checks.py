"""Banner checks: a definitions change that would route a SiS monitor to SSOe's status service fails."""

from __future__ import annotations

from datetime import UTC, datetime

from compiler.checks import banners as banner_rules
from compiler.checks.findings import Finding
from compiler.checks.lint import lint
from compiler.checks.registry import rules_of
from compiler.definitions import Definitions
from tests.banners.conftest import EditExamples


def check_banners(d: Definitions) -> list[Finding]:
    """The banner-chain rules alone (they read no clock)."""
    return lint(d, datetime(2026, 11, 23, tzinfo=UTC), rules_of(banner_rules))


SIS_SUCCESS = "    severity: sev1\n    banner_key: sis\n"
SSOE_LATENCY = "    thresholds: {critical: 5, warning: 2.43, recovery: 4}\n    severity: sev1\n    banner_key: ssoe\n"


def _rendered(d: Definitions) -> list[str]:
    return [f.render() for f in sorted(check_banners(d), key=lambda f: f.sort_key())]


def test_the_examples_are_clean(example_definitions: Definitions) -> None:
    assert check_banners(example_definitions) == []


def test_a_sis_monitor_driving_the_ssoe_banner_is_an_error_naming_both(edited_examples: EditExamples) -> None:
    d = edited_examples({"monitors.yaml": (SIS_SUCCESS, "    severity: sev1\n    banner_key: ssoe\n")})
    assert _rendered(d) == [
        "definitions/banners.yaml:33:10: warning: [B404] no monitor drives banner key 'sis': its banner shows "
        "only for an incident opened by hand on 'External: Sign-in Service' or a maintenance window\n"
        "  hint: set banner_key: sis on the monitor that detects an outage of Sign-in Service",
        "definitions/banners.yaml:98:11: [B403] no monitor drives a banner key of auth method 'sis' (sis): "
        "an outage of 'sis' would show its users no banner\n"
        "  hint: set banner_key: sis on the monitor of service 'sign-in-service' that detects the outage",
        "definitions/monitors.yaml:53:17: [B401] monitor 'sis-overall-success-rate' of auth method 'sis' drives "
        "banner key 'ssoe', which only auth method 'ssoe' depends on\n"
        "  hint: 'sis' users would never see this banner, and 'ssoe' users would see an outage of 'sis'; "
        "drive one of 'sis' instead",
    ]


def test_an_explicit_status_handle_is_checked_like_banner_key(edited_examples: EditExamples) -> None:
    sis_latency = "    thresholds: {critical: 2.4, warning: 1.2}\n    severity: sev1\n\n  - name: sis-token"
    d = edited_examples(
        {
            "monitors.yaml": (
                sis_latency,
                "    thresholds: {critical: 2.4, warning: 1.2}\n    severity: sev1\n"
                "    notify: {handles: ['@pagerduty-status-ssoe', '@pagerduty-status-nope']}\n\n  - name: sis-token",
            )
        }
    )
    assert [f.render().splitlines()[0] for f in check_banners(d)] == [
        "definitions/monitors.yaml:76:24: [B401] monitor 'sis-latency' of auth method 'sis' drives banner key 'ssoe', "
        "which only auth method 'ssoe' depends on",
        "definitions/monitors.yaml:76:50: [B402] handle '@pagerduty-status-nope' names unknown dependency key 'nope'",
    ]


def test_an_ssoe_monitor_driving_the_sis_banner_is_an_error_too(edited_examples: EditExamples) -> None:
    d = edited_examples({"monitors.yaml": (SSOE_LATENCY, SSOE_LATENCY.replace("ssoe", "sis"))})
    errors = [f.message for f in check_banners(d) if f.severity == "error"]
    assert errors == [
        "monitor 'ssoe-latency' of auth method 'ssoe' drives banner key 'sis', which only auth method 'sis' depends on"
    ]


def test_shared_keys_may_be_driven_from_either_method(edited_examples: EditExamples) -> None:
    d = edited_examples({"monitors.yaml": (SSOE_LATENCY, SSOE_LATENCY.replace("ssoe", "idme"))})
    assert [f for f in check_banners(d) if f.severity == "error"] == []


def test_an_undriven_csp_is_a_warning_only(edited_examples: EditExamples) -> None:
    d = edited_examples({"monitors.yaml": ("    banner_key: dslogon\n", "")})
    findings = check_banners(d)
    assert [(f.severity, f.message.split(":")[0]) for f in findings] == [
        ("warning", "no monitor drives banner key 'dslogon'")
    ]


def test_status_service_names_must_be_unique_and_not_taken_by_team_services(edited_examples: EditExamples) -> None:
    d = edited_examples(
        {
            "banners.yaml": (
                "    title: SSOe\n    kind: identity\n",
                "    title: Sign-in Service\n    kind: identity\n",
            ),
            "services.yaml": ("service: OCTO Identity - Sign-in Service\n", "service: 'External: Sign-in'\n"),
        }
    )
    messages = [f.message for f in check_banners(d) if f.severity == "error"]
    assert (
        "dependencies 'sis' and 'ssoe' would share the PagerDuty status service 'External: Sign-in Service'" in messages
    )
    assert (
        "PagerDuty service 'External: Sign-in' of service 'sign-in-service' starts with the status prefix 'External: '"
        in messages
    )


def test_a_key_without_any_escalation_policy_is_an_error(edited_examples: EditExamples) -> None:
    vaprofile = (
        "  - key: vaprofile\n    title: VA Profile\n    banner:\n"
        "      headline: You may have trouble using your profile\n      body: VA Profile is having problems.\n\n"
        "auth_methods:\n"
    )
    d = edited_examples({"banners.yaml": ("\nauth_methods:\n", "\n" + vaprofile)})
    assert _rendered(d) == [
        "definitions/banners.yaml:97:10: [B406] dependency 'vaprofile' has no escalation policy for its PagerDuty "
        "status service: neither its service nor a service of an auth method depending on it pages anyone\n"
        "  hint: set 'service' on the dependency to a service with pagerduty.escalation_policy, or give the service "
        "of an auth method that depends on it a pagerduty routing",
        "definitions/banners.yaml:97:10: warning: [B404] no monitor drives banner key 'vaprofile': its banner shows "
        "only for an incident opened by hand on 'External: VA Profile' or a maintenance window\n"
        "  hint: set banner_key: vaprofile on the monitor that detects an outage of VA Profile",
    ]


DSLOGON_HANDLE = "    datadog_handle: placeholder-external-dslogon\n"


def test_an_undriven_key_referencing_an_existing_service_without_a_handle_is_not_a_finding(
    edited_examples: EditExamples,
) -> None:
    """Its owners' monitors drive an existing service we have no handle for, so no warning either."""
    d = edited_examples({"monitors.yaml": ("    banner_key: dslogon\n", ""), "banners.yaml": (DSLOGON_HANDLE, "")})
    assert check_banners(d) == []


def test_an_undriven_referenced_key_with_a_handle_is_a_warning_naming_its_id(edited_examples: EditExamples) -> None:
    """Naming a handle says our monitors are meant to drive the key: none doing so is worth a warning."""
    d = edited_examples({"monitors.yaml": ("    banner_key: dslogon\n", "")})
    assert [(f.severity, f.message) for f in check_banners(d)] == [
        (
            "warning",
            "no monitor drives banner key 'dslogon': its banner shows only for an incident opened by hand on "
            "P9DJJAV or a maintenance window",
        )
    ]


def test_an_explicit_referenced_handle_drives_its_key(edited_examples: EditExamples) -> None:
    d = edited_examples(
        {
            "monitors.yaml": (
                "    banner_key: dslogon\n",
                "    notify: {handles: ['@pagerduty-placeholder-external-dslogon']}\n",
            )
        }
    )
    assert check_banners(d) == []


def test_a_monitor_cannot_drive_a_referenced_key_without_its_handle(edited_examples: EditExamples) -> None:
    d = edited_examples({"banners.yaml": ("    datadog_handle: placeholder-external-logingov\n", "")})
    [finding] = [f for f in check_banners(d) if f.severity == "error"]
    assert finding.render().startswith(
        "definitions/monitors.yaml:111:17: [B408] monitor 'logingov-success-rate' drives banner key 'logingov', "
        "whose status service is the existing PagerDuty service P2SHMM9, and the dependency names no Datadog handle "
        "for it\n"
        "  hint: set datadog_handle on dependency 'logingov'"
    )
