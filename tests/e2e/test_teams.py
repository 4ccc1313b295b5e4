"""PagerDuty teams end to end: policies, schedules and services land in their team; existing teams are joined."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from compiler.cli import run
from tests.e2e.conftest import EXAMPLES, World


def _by_name(pd: Any, collection: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in pd.list_all(collection) if o["name"] == name)
    return found


def _team_ids(obj: dict[str, Any]) -> list[str]:
    return [t["id"] for t in obj.get("teams") or []]


JOINED = "P8F5Y90"  # the example's team joins the existing PagerDuty team "OCTO Identity" (seeded by `world`)


def _with_team_line(tmp: Path, reference: str | None) -> Path:
    """The examples, with team identity's ``pagerduty_team`` set to ``reference`` (None: alertc creates the team)."""
    defs = tmp / "definitions"
    shutil.copytree(EXAMPLES, defs)
    teams = defs / "teams.yaml"
    lines = teams.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("    pagerduty_team: "))
    lines[at : at + 1] = [] if reference is None else [f"    pagerduty_team: {reference}\n"]
    teams.write_text("".join(lines), encoding="utf-8")
    return defs


def _with_existing_team(tmp: Path, reference: str) -> Path:
    """The examples, with team identity joining the existing PagerDuty team ``reference`` names."""
    return _with_team_line(tmp, reference)


def test_policy_schedule_and_service_belong_to_the_team_and_plan_settles(world: World) -> None:
    assert world.plan().code == 0
    applied = world.apply()
    assert applied.code == 0, applied.err
    pd = world.pagerduty()
    team = pd.rget(f"teams/{JOINED}")
    policy = _by_name(pd, "escalation_policies", "OCTO Identity")
    assert _team_ids(policy) == [team["id"]]
    schedule = pd.rget(f"schedules/{_by_name(pd, 'schedules', 'OCTO Identity - Primary')['id']}")
    assert _team_ids(schedule) == [team["id"]]
    services = [s for s in pd.list_all("services") if s["escalation_policy"]["id"] == policy["id"]]
    assert services, "the example routes services to the policy"
    assert all(_team_ids(s) == [team["id"]] for s in services)  # through their policy (read-only on services)
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.out
    assert "No changes" in again.out


def test_a_team_removed_from_a_policy_by_hand_is_drift_and_plan_restores_it(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    pd = world.pagerduty()
    policy = _by_name(pd, "escalation_policies", "OCTO Identity")
    edited = {k: policy[k] for k in ("type", "name", "description", "num_loops", "escalation_rules")}
    pd.rput(f"escalation_policies/{policy['id']}", json={"escalation_policy": {**edited, "teams": []}})

    drift = world.alertc("drift", "-d", str(EXAMPLES))
    assert drift.code == 2, drift.err
    lines = drift.out.splitlines()
    assert any(
        line.startswith("! pagerduty:escalation_policy/identity-escalation") and "changed outside alertc" in line
        for line in lines
    )
    assert any("teams" in line for line in lines), drift.out

    repair = world.plan("--detailed-exitcode")
    assert repair.code == 2
    assert repair.out.splitlines()[-1] == "Plan: 0 to create, 1 to update, 0 to delete."
    assert world.apply().code == 0
    assert _team_ids(_by_name(pd, "escalation_policies", "OCTO Identity")) == [JOINED]


@pytest.mark.parametrize("by", ["name", "id"])
def test_an_existing_team_is_joined_and_never_created_or_changed(world: World, by: str) -> None:
    pd = world.pagerduty()
    existing = pd.rpost("teams", json={"team": {"type": "team", "name": "VA Identity", "description": "made by hand"}})
    reference = "{name: va identity}" if by == "name" else f"{{id: {existing['id']}}}"
    defs = _with_existing_team(world.tmp, reference)

    planned = world.plan(definitions=defs)
    assert planned.code == 0, planned.err
    assert "pagerduty team" not in planned.out  # no team of alertc's own
    applied = world.apply()
    assert applied.code == 0, applied.err
    assert _team_ids(_by_name(pd, "escalation_policies", "OCTO Identity")) == [existing["id"]]
    schedule = pd.rget(f"schedules/{_by_name(pd, 'schedules', 'OCTO Identity - Primary')['id']}")
    assert _team_ids(schedule) == [existing["id"]]
    after = pd.rget(f"teams/{existing['id']}")
    assert after["name"] == "VA Identity" and after["description"] == "made by hand"  # untouched, unowned
    assert world.plan("--detailed-exitcode", definitions=defs).code == 0


def test_plan_names_an_existing_team_that_does_not_exist(world: World) -> None:
    defs = _with_existing_team(world.tmp, "{id: PNOTEAM1}")
    planned = world.plan(definitions=defs)
    assert planned.code == 1
    assert "team identity: pagerduty_team id PNOTEAM1" in planned.err
    assert "Traceback" not in planned.err
    assert not (world.tmp / "p.json").exists()


def test_plan_on_the_embedded_sandbox_seeds_the_existing_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (
        "DD_API_KEY",
        "DD_APP_KEY",
        "PAGERDUTY_TOKEN",
        "PAGERDUTY_FROM",
        "ALERTC_DATADOG_URL",
        "ALERTC_PAGERDUTY_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    defs = _with_existing_team(tmp_path, "{id: PIDTEAM1}")
    state = tmp_path / "sandbox"
    code = run(
        ["plan", "--target", "sandbox", "-d", str(defs), "--sandbox-state", str(state), "-o", str(tmp_path / "p.json")]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert 'id = "PIDTEAM1"' in out  # the policy's team, resolved from the seeded team
    assert "pagerduty team" not in out


def test_plan_stops_when_a_team_it_would_create_is_taken_by_one_it_does_not_own(world: World) -> None:
    """Otherwise every schedule, policy and service of the team would wait for a team that is never created."""
    taken = world.pagerduty().rpost("teams", json={"team": {"type": "team", "name": "Identity"}})
    planned = world.plan(definitions=_with_team_line(world.tmp, None))
    assert planned.code == 1
    assert f"already has the name of team identity: 'Identity' (id {taken['id']})" in planned.err
    assert f"pagerduty_team: {{id: {taken['id']}}}" in planned.err
    assert not (world.tmp / "p.json").exists()
