"""Severity and priority from the process tables (the SLA's severity ladder, the declaration matrix)."""

from __future__ import annotations

import pytest

from compiler.compile import CompileResult
from compiler.compile.monitors import compile_monitor
from compiler.compile.routing import band_users, priority_for, rate_monitor, rate_severity, severity_for_users, tier_of
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.notify.explain import targets_from
from compiler.notify.simulate import simulate


@pytest.mark.parametrize(
    ("users", "expected"),
    [(5000, "sev1"), (1001, "sev1"), (1000, "sev2"), (51, "sev2"), (50, "sev3"), (0, "sev3")],
)
def test_severity_ladder_uses_strictly_more_than(example_definitions: Definitions, users: int, expected: str) -> None:
    assert example_definitions.process is not None
    assert severity_for_users(example_definitions.process, users, production=True).name == expected


def test_non_production_is_always_severity_3(example_definitions: Definitions) -> None:
    assert example_definitions.process is not None
    assert severity_for_users(example_definitions.process, 100_000, production=False).name == "sev3"


@pytest.mark.parametrize(
    ("environment", "users", "expected"),
    [
        ("production", 1500, "P1"),
        ("production", 500, "P2"),
        ("production", 10, "P3"),
        ("staging", 1500, "P2"),
        ("staging", 150, "P3"),
        ("staging", 5, "P4"),
        ("development", 5000, "P3"),
        ("sandbox", 101, "P4"),
    ],
)
def test_priority_matrix(example_definitions: Definitions, environment: str, users: int, expected: str) -> None:
    process = example_definitions.process
    assert process is not None
    assert priority_for(process, tier_of(process, environment), users).name == expected


def test_impact_from_failing_fraction_of_service_traffic(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    services = {s.name: s for s in example_definitions.services}
    monitors = {mon.name: mon for mon in example_definitions.monitors}
    # idme: 50% of sign-in-service's 6000 users/hour fail → 3000 > 1000 → sev1, P1
    rating = rate_monitor(process, monitors["idme-success-rate"], services["sign-in-service"])
    assert (rating.severity.name, rating.priority.name, rating.users_per_hour) == ("sev1", "P1", 3000)
    assert rating.users_explained == "3000 users/hour = 6000 users/hour of sign-in-service × 0.5 failing"
    # dslogon: declared 300 users/hour → sev2, P2
    rating = rate_monitor(process, monitors["dslogon-success-rate"], services["sign-in-service"])
    assert (rating.severity.name, rating.priority.name) == ("sev2", "P2")


def test_explicit_severity_that_disagrees_with_impact_is_flagged(example_definitions: Definitions) -> None:
    process = example_definitions.process
    assert process is not None
    service = next(s for s in example_definitions.services if s.name == "ssoe")
    monitor = next(mon for mon in example_definitions.monitors if mon.name == "auth-too-late")
    disagreeing = monitor.model_copy(update={"impact": m.Impact(users_per_hour=5000)})
    rating = rate_monitor(process, disagreeing, service)
    assert rating.severity.name == "sev2"
    assert rating.derived_severity is not None and rating.derived_severity.name == "sev1"
    assert rating.disagrees


@pytest.mark.parametrize(
    ("severity", "users", "production", "staging"),
    [("sev1", 1001, "P1", "P2"), ("sev2", 1000, "P2", "P3"), ("sev3", 50, "P3", "P4")],
)
def test_one_priority_rule_an_explicit_severity_stands_for_its_band(
    example_definitions: Definitions, severity: str, users: int, production: str, staging: str
) -> None:
    """Issue 13: an explicit sev2 was 51 users/hour → P3 while an impact of 300 users/hour (sev2) was P2 and a
    sev2 burn-rate tier P1. Now a severity means the upper edge of its band, for monitors and burn alerts alike."""
    process = example_definitions.process
    assert process is not None
    sev = next(s for s in process.severities if s.name == severity)
    assert band_users(process, sev)[0] == users
    assert rate_severity(process, tier_of(process, "production"), sev).priority.name == production
    assert rate_severity(process, tier_of(process, "staging"), sev).priority.name == staging


def test_burn_rate_alerts_take_the_priority_of_their_tiers_severity(compiled: CompileResult) -> None:
    priorities = {
        r.key.rsplit(".", 1)[1]: (
            r.body["priority"],
            sorted(t for t in r.body["tags"] if t.startswith(("severity:", "priority:"))),
        )
        for r in compiled.resources.by_kind("datadog", "slo_alert")
        if r.key.startswith("sis-availability.")
    }
    assert priorities == {
        "burn-1h": (1, ["priority:p1", "severity:sev1"]),
        "burn-6h": (2, ["priority:p2", "severity:sev2"]),
        "burn-1d": (3, ["priority:p3", "severity:sev3"]),
    }


def test_banner_on_no_data_is_an_opt_in(example_definitions: Definitions, compiled: CompileResult) -> None:
    process = example_definitions.process
    assert process is not None
    monitor = next(mon for mon in example_definitions.monitors if mon.name == "sis-overall-success-rate")
    service = next(s for s in example_definitions.services if s.name == monitor.service)
    team = example_definitions.teams[0]
    targets = targets_from(compiled.resources, compiled.banner_targets)
    default = compile_monitor(process, monitor, service, team, rate_monitor(process, monitor, service)).body
    assert simulate(default, targets)["ok_to_no_data"].banners_raised() == []
    opted = monitor.model_copy(update={"banner_on_no_data": True})
    body = compile_monitor(process, opted, service, team, rate_monitor(process, opted, service)).body
    assert simulate(body, targets)["ok_to_no_data"].banners_raised() == ["sis"]
    assert [e.action for e in simulate(body, targets)["no_data_to_ok"].pagerduty] == ["resolve", "resolve"]
