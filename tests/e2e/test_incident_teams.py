"""Incident notifications follow the incident's team (issue 25 item 3), through the incidents API.

Two alertc scopes share one Datadog organisation: the identity example (scope team-a, Datadog team 'identity') and
a second team (scope team-b, team 'web'). Incidents are declared with Datadog's own client; the sandbox records what
each enabled notification rule sends. Before the team condition, the identity rules (one team, so no condition)
sent every team's incident to #identity-support.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from datadog_api_client.v2.api.incidents_api import IncidentsApi

from compiler.sandbox.datadog.incident_notifications import SENT
from tests.definitions.base_set import write_set
from tests.e2e.conftest import EXAMPLES, World


@pytest.fixture(autouse=True)
def _no_project_file(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(world.tmp)  # each team names its own scope


def _apply_both(world: World) -> None:
    a = world.tmp / "team-a"
    shutil.copytree(EXAMPLES, a)
    (a / "owner.yaml").write_text("owner: team-a\n", encoding="utf-8")
    assert world.plan(definitions=a).code == 0 and world.apply().code == 0
    pd = world.pagerduty()
    for email in ("a@example.com", "b@example.com"):
        pd.rpost("users", json={"user": {"type": "user", "name": email, "email": email}})
    b = write_set(world.tmp / "team-b", {"owner.yaml": "owner: team-b\n"})
    planned = world.plan(definitions=b)
    assert planned.code == 0, planned.err
    assert world.apply().code == 0


def _declare(world: World, title: str, team: str) -> str:
    client = world.datadog()
    client.configuration.unstable_operations["create_incident"] = True
    body = {
        "data": {
            "type": "incidents",
            "attributes": {
                "title": title,
                "customer_impacted": False,
                "fields": {
                    "severity": {"type": "dropdown", "value": "SEV-2"},
                    "teams": {"type": "autocomplete", "value": [team]},
                },
            },
        }
    }
    created = IncidentsApi(client).create_incident(body=body)  # type: ignore[arg-type]
    return str(created.data.id)


def _heard(world: World, incident_id: str) -> set[str]:
    sent: list[dict[str, Any]] = [o["body"] for o in world.handle.dump()["objects"] if o["kind"] == SENT]
    return {handle for s in sent if s["incident_id"] == incident_id for handle in s["handles"]}


def test_a_second_teams_incident_reaches_none_of_the_first_teams_channels(world: World) -> None:
    _apply_both(world)
    web = _declare(world, "Web checkout down", "web")
    identity = _declare(world, "SSOe down", "identity")
    assert _heard(world, web) == {"@slack-web-incidents"}
    assert _heard(world, identity) == {"@slack-identity-support"}
