"""The banner (B4xx) and SLO burn-rate (S5xx) rules, until they move next to their checks.

The reading (D1xx), schema (D2xx) and reference (R3xx) rules are in their
families (``files``, ``schema``, ``references``); the process-lint rules are
registered by ``compiler/process_lint.py``; ``compiler.checks.registry``
merges them all for ``alertc validate --explain``.
"""

from __future__ import annotations

from compiler.checks.findings import Finding, Location
from compiler.checks.rule import Rule


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.id: r for r in rules}


def finding(
    rule_id: str, location: Location | None, message: str, hint: str | None = None, *, where: str | None = None
) -> Finding:
    """A finding of a catalogued rule, with the rule's severity (an unknown id is a programming error)."""
    return CATALOG[rule_id].finding(location, message, hint, where=where)


CATALOG: dict[str, Rule] = _rules(
    Rule(
        "B401",
        "error",
        "A monitor drives another auth method's banner key",
        "A monitor of one sign-in method routed to a key only another method depends on shows that method's "
        "users an outage that is not theirs (the SSOe-shown-to-SiS defect), and its own users nothing.\n"
        "Fix: drive one of the method's own keys (banner_key or @pagerduty-status-<key>).",
    ),
    Rule(
        "B402",
        "error",
        "A status handle names an unknown dependency key",
        "@pagerduty-status-<key> must name a defined dependency key, or the page goes nowhere.\n"
        "Fix: correct the key in the handle.",
    ),
    Rule(
        "B403",
        "error",
        "No monitor drives an auth method's banner keys",
        "An outage of the method would show its users no banner, undoing the split of banners by method.\n"
        "Fix: set banner_key on the monitor that detects the outage.",
    ),
    Rule(
        "B404",
        "warning",
        "No monitor drives a dependency key",
        "The key's status service exists, so its banner can still be shown by an incident opened by hand or a "
        "maintenance window, but nothing shows it automatically.\nFix: set banner_key on a monitor.",
    ),
    Rule(
        "B405",
        "error",
        "Two dependencies would share a PagerDuty status service",
        "PagerDuty service names are unique; two dependencies with the same title would fight over one status "
        "service.\nFix: give each dependency its own title.",
    ),
    Rule(
        "B406",
        "error",
        "A dependency's status service has no escalation policy",
        "PagerDuty services need an escalation policy; it is taken from the service implementing the dependency "
        "or from a service of an auth method depending on it.\n"
        "Fix: set 'service' on the dependency to a service with pagerduty routing.",
    ),
    Rule(
        "B407",
        "error",
        "A PagerDuty service name starts with the status prefix",
        "The banner backend reads every service whose name starts with the status prefix as a banner status; "
        "an ordinary service named so would show banners.\nFix: rename the service.",
    ),
    Rule(
        "B408",
        "error",
        "A monitor drives a banner key whose existing status service has no Datadog handle named",
        "A key with pagerduty_service names a status service alertc does not create; without datadog_handle "
        "alertc has no Datadog route to it (and never adds an integration to a service it does not own), so the "
        "banner would never be driven.\n"
        "Fix: set datadog_handle on the dependency to the service_name Datadog's PagerDuty integration has for "
        "that service, or drop pagerduty_service.",
    ),
    Rule(
        "B409",
        "error",
        "Two dependencies reference the same existing PagerDuty service",
        "The banner backend maps each status service id to one banner key; two keys on one service would show "
        "both banners for one outage.\nFix: give each key its own service.",
    ),
    Rule(
        "S501",
        "error",
        "An SLO burn-rate tier is invalid",
        "Datadog accepts burn-rate alerts with a long window of 1h-48h and a burn rate at most 1/(1-target). "
        "With alerting.on_invalid_tier: error (the default) such a tier fails validation.\n"
        "Fix: lower the burn rate or the target, or set alerting.on_invalid_tier: drop|clamp.",
    ),
    Rule(
        "S502",
        "warning",
        "An invalid SLO burn-rate tier was dropped or clamped",
        "With alerting.on_invalid_tier: drop the tier is not compiled; with clamp its burn rate is lowered to "
        "the largest Datadog accepts. Either way the alerting differs from what the tier says.\n"
        "Fix: change the tier so it is valid.",
    ),
)
