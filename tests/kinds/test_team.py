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
    teams = loaded.definitions.teams
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
