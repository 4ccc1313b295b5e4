"""PagerDuty teams in compile: policies and schedules join their team; an existing team is looked up, not made."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import Definitions, load_definitions
from compiler.definitions import models as m
from compiler.errors import PlanError
from compiler.live import LiveState
from compiler.preflight.teams import check_referenced
from compiler.resources import LiveObject
from tests.compile.conftest import ROOT

IDENTITY = {"id": "${pagerduty:team/identity}", "type": "team_reference"}


def _joining(definitions: Definitions, existing: m.ExistingPagerDutyTeam) -> Definitions:
    """The examples, with every team joining ``existing`` instead of creating its own."""
    teams = [t.model_copy(update={"pagerduty_team": existing}) for t in definitions.teams]
    return dataclasses.replace(definitions, teams=teams)


def _creating(definitions: Definitions) -> Definitions:
    """The examples, with every team creating its own PagerDuty team instead of joining the existing one."""
    teams = [t.model_copy(update={"pagerduty_team": None}) for t in definitions.teams]
    return dataclasses.replace(definitions, teams=teams)


def test_the_example_joins_its_existing_pagerduty_team_by_id(compiled: CompileResult) -> None:
    """The identity team's PagerDuty team exists ("OCTO Identity", P8F5Y90): the example joins it, never makes one."""
    assert compiled.resources.by_kind("pagerduty", "team") == []
    policy = compiled.resources.get("pagerduty:escalation_policy/identity-escalation")
    assert policy is not None
    assert policy.body["teams"] == [{"id": "${lookup:team_id/P8F5Y90}", "type": "team_reference"}]


def test_policy_and_schedule_carry_their_team_known_after_apply(example_definitions: Definitions) -> None:
    compiled = compile_definitions(_creating(example_definitions))
    policy = compiled.resources.get("pagerduty:escalation_policy/identity-escalation")
    schedule = compiled.resources.get("pagerduty:schedule/identity-primary")
    assert policy is not None and schedule is not None
    assert policy.body["teams"] == [IDENTITY]
    assert schedule.body["teams"] == [IDENTITY]
    assert "pagerduty:team/identity" in policy.depends_on
    assert schedule.depends_on == ("pagerduty:team/identity",)


def test_services_carry_no_team_of_their_own(compiled: CompileResult) -> None:
    """Service.teams is read-only (SPEC): a service is in its escalation policy's team."""
    services = compiled.resources.by_kind("pagerduty", "service")
    assert services
    assert all("teams" not in s.body for s in services)


@pytest.mark.parametrize(
    ("existing", "address"),
    [
        (m.ExistingPagerDutyTeam(id="PQ9K7I8"), "lookup:team_id/PQ9K7I8"),
        (m.ExistingPagerDutyTeam(name=" VA Identity "), "lookup:team/va identity"),
    ],
)
def test_an_existing_team_is_looked_up_and_not_created(
    example_definitions: Definitions, existing: m.ExistingPagerDutyTeam, address: str
) -> None:
    compiled = compile_definitions(_joining(example_definitions, existing))
    assert compiled.resources.by_kind("pagerduty", "team") == []
    policy = compiled.resources.get("pagerduty:escalation_policy/identity-escalation")
    schedule = compiled.resources.get("pagerduty:schedule/identity-primary")
    assert policy is not None and schedule is not None
    assert policy.body["teams"] == [{"id": "${" + address + "}", "type": "team_reference"}]
    assert not [d for d in policy.depends_on if "team" in d]
    assert schedule.depends_on == ()


def test_live_teams_are_looked_up_by_id_and_by_name_without_regard_to_case() -> None:
    """The team kind's ``lookups`` hook answers for teams only: a schedule of the same name is not one."""
    objects = [
        LiveObject("pagerduty", "team", "PQ9K7I8", "VA Identity", {}),
        LiveObject("pagerduty", "schedule", "PSCHED1", "VA Identity", {}),
    ]
    assert LiveState(objects).lookups() == {"lookup:team_id/PQ9K7I8": "PQ9K7I8", "lookup:team/va identity": "PQ9K7I8"}


def test_plan_refuses_a_missing_existing_team_naming_it(example_definitions: Definitions) -> None:
    joined = _joining(example_definitions, m.ExistingPagerDutyTeam(name="Nobody"))
    with pytest.raises(PlanError, match=r"team identity: pagerduty_team name 'Nobody'"):
        check_referenced(joined, {"lookup:team/somebody": "P1"})
    check_referenced(joined, {"lookup:team/nobody": "PQ9K7I8"})


@pytest.mark.parametrize(
    "fields", [{}, {"id": "PQ9K7I8", "name": "VA Identity"}, {"id": "team-1"}, {"name": "a#b"}, {"name": "x" * 101}]
)
def test_an_existing_team_is_exactly_one_well_formed_id_or_name(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        m.ExistingPagerDutyTeam(**fields)


def test_a_service_routed_to_another_teams_policy_is_warned_about(tmp_path: Path) -> None:
    """PagerDuty would put the service in the policy's team: the team's MTTA report would miss it."""
    defs = tmp_path / "definitions"
    shutil.copytree(ROOT / "definitions", defs)
    teams = defs / "teams.yaml"
    teams.write_text(
        teams.read_text(encoding="utf-8")
        + "  - name: mobile\n    title: Mobile\n    slack: {alerts: '#m-alerts', incidents: '#m-incidents'}\n"
        "    members:\n      - {email: mobile-1@example.com, name: M1}\n",
        encoding="utf-8",
    )
    services = defs / "services.yaml"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("    title: SSOe\n    team: identity\n", "    title: SSOe\n    team: mobile\n"))
    loaded = load_definitions(defs)
    assert loaded.definitions is not None, [f.render() for f in loaded.findings]
    warnings = [f.render() for f in loaded.findings if f.severity == "warning" and "joins team" in f.message]
    assert len(warnings) == 1
    assert "service 'ssoe' of team 'mobile' joins team 'identity' in PagerDuty" in warnings[0]
    assert "services.yaml:" in warnings[0]
