"""Qualitative severity ladders (OfficeLuv) and roles in messages: the rating rule for both kinds of ladder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.compile import compile_definitions
from compiler.compile.messages import role_lines
from compiler.compile.monitors import compile_monitor
from compiler.compile.routing import rate_monitor, rate_severity, severity_for_users, tier_of
from compiler.compile.slos import burn_tiers
from compiler.definitions import Definitions, load_definitions
from compiler.definitions import models as m
from compiler.summary import render_summary

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def officeluv() -> Definitions:
    definitions = load_definitions(ROOT / "examples" / "officeluv").definitions
    assert definitions is not None
    return definitions


def _parts(d: Definitions, name: str) -> tuple[m.Process, m.Monitor, m.Service, m.Team]:
    assert d.process is not None
    monitor = next(x for x in d.monitors if x.name == name)
    service = next(s for s in d.services if s.name == monitor.service)
    team = next(t for t in d.teams if t.name == service.team)
    return d.process, monitor, service, team


@pytest.mark.parametrize(
    ("monitor", "severity", "priority", "pages"),
    [
        ("login-failures", "critical", "P1", True),
        ("billing-run-failures", "critical", "P1", True),
        ("humanity-clock-in-errors", "moderate", "P2", False),
        ("web-slow-pages", "low", "P3", False),
        ("staging-login-failures", "low", "P4", False),
    ],
)
def test_a_named_severity_takes_its_column_of_the_tier_row(
    officeluv: Definitions, monitor: str, severity: str, priority: str, pages: bool
) -> None:
    process, mon, service, _ = _parts(officeluv, monitor)
    rating = rate_monitor(process, mon, service)
    assert (rating.severity.name, rating.priority.name, rating.pages) == (severity, priority, pages)
    assert rating.users_per_hour is None
    assert rating.users_explained == f"impact: {rating.severity.impact}"


@pytest.mark.parametrize(
    ("slo_name", "rated"),
    [
        ("web-availability", [("critical", "P1", True), ("critical", "P1", True), ("critical", "P1", False)]),
        ("ops-tools-availability", [("moderate", "P2", False)] * 3),  # issue 25: was critical/P1, paging nobody
    ],
)
def test_burn_rate_tiers_on_a_qualitative_ladder_take_the_services_impact(
    officeluv: Definitions, slo_name: str, rated: list[tuple[str, str, bool]]
) -> None:
    """The service's impact category rates every tier; burn speed only chooses page (1h, 6h) or ticket (24h)."""
    assert officeluv.process is not None
    slo = next(s for s in officeluv.slos if s.name == slo_name)
    service = next(s for s in officeluv.services if s.name == slo.service)
    tier = tier_of(officeluv.process, "production")
    assert [
        (t.severity.name, rate_severity(officeluv.process, tier, t.severity).priority.name, t.paging)
        for t in burn_tiers(officeluv.process, slo, service)
    ] == rated


def test_a_qualitative_service_without_impact_burns_at_the_least_severe_rung(officeluv: Definitions) -> None:
    assert officeluv.process is not None
    slo = next(s for s in officeluv.slos if s.name == "web-availability")
    service = next(s for s in officeluv.services if s.name == "web").model_copy(update={"impact": None})
    assert {(t.severity.name, t.paging) for t in burn_tiers(officeluv.process, slo, service)} == {("low", False)}


def test_a_qualitative_ladder_derives_nothing_from_users(officeluv: Definitions) -> None:
    assert officeluv.process is not None
    with pytest.raises(ValueError, match="qualitative"):
        severity_for_users(officeluv.process, 5000, production=True)


def test_a_users_impact_on_a_qualitative_ladder_is_rated_at_the_least_severe_rung(officeluv: Definitions) -> None:
    """Lint P114 rejects it; until then the rating never pages by surprise."""
    process, mon, service, _ = _parts(officeluv, "login-failures")
    stray = mon.model_copy(update={"severity": None, "impact": m.Impact(users_per_hour=5000)})
    rating = rate_monitor(process, stray, service)
    assert (rating.severity.name, rating.pages) == ("low", False)


def test_a_severity_matrix_on_a_users_ladder_rates_the_derived_severity(example_definitions: Definitions) -> None:
    """Columns by severity work with a users/hour ladder too: the impact derives the rung, the rung its column."""
    process = example_definitions.process
    assert process is not None
    by_severity = process.model_copy(
        update={
            "priority_matrix": m.PriorityMatrix(
                severities=["sev1", "sev2", "sev3"],
                rows={"tier1": ["P1", "P2", "P4"], "tier2": ["P2", "P3", "P4"], "tier3": ["P3", "P4", "P4"]},
            )
        }
    )
    service = next(s for s in example_definitions.services if s.name == "sign-in-service")
    monitor = next(x for x in example_definitions.monitors if x.name == "sis-success-rate")
    with_impact = monitor.model_copy(update={"severity": None, "impact": m.Impact(users_per_hour=40)})
    rating = rate_monitor(by_severity, with_impact, service)
    assert (rating.severity.name, rating.priority.name, rating.users_per_hour) == ("sev3", "P4", 40)


def test_a_paging_alert_tells_who_commands_and_where_the_running_log_is(officeluv: Definitions) -> None:
    process, mon, service, team = _parts(officeluv, "login-failures")
    message = compile_monitor(process, mon, service, team, rate_monitor(process, mon, service)).body["message"]
    lines = message.splitlines()
    assert "Respond within 15m, 24x7. All hands on deck, immediately." in lines
    assert (
        "Incident Commander (exactly one person): the primary decision-maker in the incident; communicates the "
        "incident across the organization." in lines
    )
    assert (
        "Announce it in #sitrep with its severity and topic; everyone states the role they hold (Solutioneer, "
        "Marketing/Communications). #sitrep is the running log: post every action there (a deploy, a migration)."
        in lines
    )


def test_role_lines_name_the_default_holder_and_list_roles_without_a_running_log() -> None:
    process = m.Process.model_validate(
        {
            "name": "p",
            "time_zone": "Etc/UTC",
            "business_hours": {"days": ["mon"], "start": "09:00", "end": "17:00"},
            "acknowledgement_target": "30m",
            "status_update_every": "30m",
            "severities": [{"name": "sev1", "title": "S1", "impact": "all down", "response_time": "1h", "pages": True}],
            "tiers": [{"name": "t1", "environments": ["production"], "production": True}],
            "priorities": [{"name": "P1", "datadog_priority": 1}],
            "priority_matrix": {"severities": ["sev1"], "rows": {"t1": ["P1"]}},
            "roles": [
                {
                    "name": "ic",
                    "title": "Incident Commander",
                    "duties": ["Decides"],
                    "holders": "one",
                    "commander": True,
                    "default_holder": "on_call",
                },
                {"name": "scribe", "title": "Scribe", "duties": ["Writes"]},
            ],
        }
    )
    assert role_lines(process) == [
        "Incident Commander (exactly one person, by default the paged on-call): decides.",
        "Roles to fill: Scribe.",
    ]


def test_the_identity_declaration_names_the_incident_commander(example_definitions: Definitions) -> None:
    process, mon, service, team = _parts(example_definitions, "ssoe-latency")
    message = compile_monitor(process, mon, service, team, rate_monitor(process, mon, service)).body["message"]
    renotify = message[message.index("{{#is_renotify}}") :]
    assert "Incident Commander (exactly one person, by default whoever declares the incident): sets" in renotify


def test_the_summary_states_a_qualitative_rung_by_its_impact(officeluv: Definitions) -> None:
    lines = render_summary(officeluv, compile_definitions(officeluv).resources).splitlines()
    assert "  critical prevents customer operations  respond within 15m  pages on-call (24x7)" in lines


def test_a_p1_alert_names_the_postmortem_triggers_and_who_to_tell() -> None:
    va_mobile = load_definitions(ROOT / "examples" / "va-mobile").definitions
    assert va_mobile is not None
    process, mon, service, team = _parts(va_mobile, "mobile-api-errors")
    message = compile_monitor(process, mon, service, team, rate_monitor(process, mon, service)).body["message"]
    lines = message.splitlines()
    trigger = next(line for line in lines if line.startswith("Tell the Product Owner"))
    assert trigger.startswith(
        "Tell the Product Owner and write a postmortem report if any of these holds: the incident requires the use "
        "of a playbook; it occurs for a significant portion of the userbase;"
    )
    assert trigger.endswith("; it requires an out-of-band deployment.")
    assert not any(line.startswith("Roles to fill") for line in lines)  # escalation contacts are held when needed


@st.composite
def _qualitative_processes(draw: st.DrawFn) -> tuple[m.Process, list[str], dict[str, list[str]]]:
    rungs = draw(st.integers(min_value=1, max_value=5))
    names = [f"s{i}" for i in range(rungs)]
    columns = draw(st.permutations(names))
    priorities = [f"P{i}" for i in range(1, 5)]
    rows = {t: draw(st.lists(st.sampled_from(priorities), min_size=rungs, max_size=rungs)) for t in ("prod", "stg")}
    process = m.Process.model_validate(
        {
            "name": "p",
            "time_zone": "Etc/UTC",
            "business_hours": {"days": ["mon"], "start": "09:00", "end": "17:00"},
            "acknowledgement_target": "30m",
            "status_update_every": "30m",
            "severities": [
                {"name": n, "title": n.upper(), "impact": f"impact {n}", "response_time": "1h", "pages": i == 0}
                for i, n in enumerate(names)
            ],
            "tiers": [
                {"name": "prod", "environments": ["production"], "production": True},
                {"name": "stg", "environments": ["staging"]},
            ],
            "priorities": [{"name": p, "datadog_priority": i} for i, p in enumerate(priorities, 1)],
            "priority_matrix": {"severities": columns, "rows": rows},
        }
    )
    return process, columns, rows


@given(_qualitative_processes())
def test_every_rung_takes_the_priority_of_its_own_column(
    case: tuple[m.Process, list[str], dict[str, list[str]]],
) -> None:
    """Whatever order the columns are listed in, a severity is rated by the column that names it."""
    process, columns, rows = case
    for tier in process.tiers:
        for severity in process.severities:
            rating = rate_severity(process, tier, severity)
            assert rating.priority.name == rows[tier.name][columns.index(severity.name)]
            assert rating.users_per_hour is None and rating.users_explained == f"impact: {severity.impact}"
