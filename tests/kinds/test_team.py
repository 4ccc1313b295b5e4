"""The PagerDuty team kind beyond the shared contract: what compile makes, what the sandbox refuses."""

from __future__ import annotations

import pagerduty
import pytest

from compiler.compile.pagerduty_teams import compile_pagerduty_teams
from compiler.definitions import load_definitions
from tests.e2e.conftest import EXAMPLES, World


def test_every_team_becomes_a_pagerduty_team_named_after_it() -> None:
    loaded = load_definitions(EXAMPLES)
    assert loaded.definitions is not None
    teams = [t.model_copy(update={"pagerduty_team": None}) for t in loaded.definitions.teams]  # none joins one
    resources = compile_pagerduty_teams(teams)
    assert [r.address for r in resources] == [f"pagerduty:team/{t.name}" for t in sorted(teams, key=lambda t: t.name)]
    identity = next(t for t in teams if t.name == "identity")
    body = resources[[r.key for r in resources].index("identity")].body
    assert body == {"type": "team", "name": "identity", "description": identity.description or identity.title}


def test_sandbox_refuses_to_delete_a_team_an_escalation_policy_belongs_to(world: World) -> None:
    pd = world.pagerduty()
    team = pd.rpost("teams", json={"team": {"type": "team", "name": "t1"}})
    user = pd.rget("users", params={"query": "identity-lead"})[0]
    pd.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "EP",
                "teams": [{"id": team["id"], "type": "team_reference"}],
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 10, "targets": [{"id": user["id"], "type": "user_reference"}]}
                ],
            }
        },
    )
    with pytest.raises(pagerduty.Error) as refused:
        pd.rdelete(f"teams/{team['id']}")
    assert refused.value.response is not None and refused.value.response.status_code == 400


def test_sandbox_team_names_stay_unique_on_update(world: World) -> None:
    pd = world.pagerduty()
    pd.rpost("teams", json={"team": {"type": "team", "name": "first"}})
    second = pd.rpost("teams", json={"team": {"type": "team", "name": "second"}})
    with pytest.raises(pagerduty.Error):
        pd.rput(f"teams/{second['id']}", json={"team": {"type": "team", "name": "FIRST"}})
    renamed = pd.rput(f"teams/{second['id']}", json={"team": {"type": "team", "name": "second", "description": "kept"}})
    assert renamed["description"] == "kept"


def _policy_body(user_id: str, teams: list[dict[str, str]]) -> dict[str, object]:
    return {
        "type": "escalation_policy",
        "name": "EP",
        "teams": teams,
        "escalation_rules": [
            {"escalation_delay_in_minutes": 10, "targets": [{"id": user_id, "type": "user_reference"}]}
        ],
    }


def test_sandbox_puts_a_service_in_its_policys_team_and_ignores_teams_sent_on_it(world: World) -> None:
    """SPEC: Service.teams is read-only; the service is in the team of its escalation policy."""
    pd = world.pagerduty()
    mine = pd.rpost("teams", json={"team": {"type": "team", "name": "mine"}})
    other = pd.rpost("teams", json={"team": {"type": "team", "name": "other"}})
    user = pd.rget("users", params={"query": "identity-lead"})[0]
    team_ref = {"id": mine["id"], "type": "team_reference"}
    policy = pd.rpost("escalation_policies", json={"escalation_policy": _policy_body(user["id"], [team_ref])})
    service = pd.rpost(
        "services",
        json={
            "service": {
                "type": "service",
                "name": "S",
                "escalation_policy": {"id": policy["id"], "type": "escalation_policy_reference"},
                "teams": [{"id": other["id"], "type": "team_reference"}],
            }
        },
    )
    assert [t["id"] for t in service["teams"]] == [mine["id"]]
    pd.rput(f"escalation_policies/{policy['id']}", json={"escalation_policy": _policy_body(user["id"], [])})
    assert pd.rget(f"services/{service['id']}")["teams"] == []


def test_sandbox_policy_belongs_to_at_most_one_existing_team(world: World) -> None:
    pd = world.pagerduty()
    one = pd.rpost("teams", json={"team": {"type": "team", "name": "one"}})
    two = pd.rpost("teams", json={"team": {"type": "team", "name": "two"}})
    user = pd.rget("users", params={"query": "identity-lead"})[0]
    refs = [{"id": t["id"], "type": "team_reference"} for t in (one, two)]
    for teams in (refs, [{"id": "PNOSUCH", "type": "team_reference"}]):
        with pytest.raises(pagerduty.Error) as refused:
            pd.rpost("escalation_policies", json={"escalation_policy": _policy_body(user["id"], teams)})
        assert refused.value.response is not None and refused.value.response.status_code == 400


def test_sandbox_honours_schedule_teams_on_create_only(world: World) -> None:
    """R5-6 (terraform-provider-pagerduty #404): a PUT's ``teams`` is ignored."""
    pd = world.pagerduty()
    one = pd.rpost("teams", json={"team": {"type": "team", "name": "one"}})
    two = pd.rpost("teams", json={"team": {"type": "team", "name": "two"}})
    user = pd.rget("users", params={"query": "identity-lead"})[0]
    body = {
        "type": "schedule",
        "name": "S",
        "time_zone": "Etc/UTC",
        "teams": [{"id": one["id"], "type": "team_reference"}],
        "schedule_layers": [
            {
                "start": "2030-01-01T00:00:00Z",
                "rotation_virtual_start": "2030-01-01T00:00:00Z",
                "rotation_turn_length_seconds": 86400,
                "users": [{"user": {"id": user["id"], "type": "user_reference"}}],
            }
        ],
    }
    created = pd.rpost("schedules", json={"schedule": body})
    assert [t["id"] for t in created["teams"]] == [one["id"]]
    body["teams"] = [{"id": two["id"], "type": "team_reference"}]
    updated = pd.rput(f"schedules/{created['id']}", json={"schedule": body})
    assert [t["id"] for t in updated["teams"]] == [one["id"]]
