"""Two teams, one Datadog org and PagerDuty account: each alertc scope leaves the other's objects alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan_file import load_plan
from tests.definitions.base_set import SERVICE, write_set
from tests.e2e.conftest import EXAMPLES, World


@pytest.fixture(autouse=True)
def _no_project_file(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the repository: its alertc.yaml names the example's scope; here each team names its own."""
    monkeypatch.chdir(world.tmp)


def _team_a(world: World) -> Path:
    """The example definitions, applied as scope 'team-a'."""
    a = world.tmp / "team-a"
    shutil.copytree(EXAMPLES, a)
    (a / "owner.yaml").write_text("owner: team-a\n", encoding="utf-8")
    assert world.plan(definitions=a).code == 0
    applied = world.apply()
    assert applied.code == 0, applied.err
    return a


def _team_b(world: World, overrides: dict[str, str | bytes | None] | None = None) -> Path:
    pd = world.pagerduty()
    for email in ("a@example.com", "b@example.com"):
        pd.rpost("users", json={"user": {"type": "user", "name": email, "email": email}})
    return write_set(world.tmp / "team-b", {"owner.yaml": "owner: team-b\n", **(overrides or {})})


def test_team_b_plans_no_update_and_no_delete_of_team_a_objects(world: World) -> None:
    _team_a(world)
    b = _team_b(world)
    result = world.plan(definitions=b)
    assert result.code == 0, result.err
    plan = load_plan(world.tmp / "p.json")
    assert plan.owner == "team-b"
    assert plan.counts()["update"] == 0 and plan.counts()["delete"] == 0
    assert {c.action for c in plan.changes} == {"create"}
    assert not plan.fingerprints  # team A's objects are not this scope's: not even counted for safety
    owners = {o.get("owner") for o in plan.unmanaged}
    assert "alertc scope 'team-a'" in owners
    assert "owned by alertc scope 'team-a'" in world.alertc("drift", "-d", str(b)).out


def test_team_a_monitor_name_in_team_b_is_a_conflict_naming_scope_a(world: World) -> None:
    _team_a(world)
    clash = SERVICE.replace("title: API errors", "title: Auth_too_late Login Callback Error").replace(
        "title: API\n", "title: SSOe\n"
    )
    b = _team_b(world, {"service.yaml": clash})
    result = world.plan(definitions=b)
    assert result.code == 1
    assert (
        'datadog:monitor/api-errors: live object "[SSOe] Auth_too_late Login Callback Error"' in result.err
        and "owned by alertc scope 'team-a'" in result.err
    )
    assert "conflict(s); nothing was saved" in result.err
    allowed = world.plan("--allow-conflicts", definitions=b)
    assert allowed.code == 0
    assert "owned by alertc scope 'team-a'" in allowed.out  # still listed


def test_team_a_key_in_team_b_is_a_conflict_naming_scope_a(world: World) -> None:
    _team_a(world)
    b = _team_b(world, {"service.yaml": SERVICE.replace("- name: api-errors", "- name: auth-too-late")})
    result = world.plan(definitions=b)
    assert result.code == 1
    assert "datadog:monitor/auth-too-late: live object" in result.err
    assert "has this definition's ownership key and is owned by alertc scope 'team-a'" in result.err


def test_objects_written_before_scopes_are_migrated_by_a_reviewed_update(world: World) -> None:
    assert world.plan().code == 0  # no owner: the objects carry none (as before scopes existed)
    assert world.apply().code == 0
    scoped = world.tmp / "scoped"
    shutil.copytree(EXAMPLES, scoped)
    (scoped / "owner.yaml").write_text("owner: identity\n", encoding="utf-8")
    result = world.plan("--detailed-exitcode", definitions=scoped)
    assert result.code == 2
    plan = load_plan(world.tmp / "p.json")
    assert plan.changes and {c.action for c in plan.changes} == {"update"}
    assert all(c.fields == [c.fields[0]] and c.fields[0].path == "alertc-owner" for c in plan.changes)
    assert "alertc-owner" in result.out
    with world.datadog() as api:  # nothing was written by planning
        assert not any("alertc-owner:identity" in (m.tags or []) for m in MonitorsApi(api).list_monitors())
    assert world.apply().code == 0
    with world.datadog() as api:
        managed = [m for m in MonitorsApi(api).list_monitors() if "managed-by:alertc" in (m.tags or [])]
        assert managed and all("alertc-owner:identity" in m.tags for m in managed)
    assert world.plan("--detailed-exitcode", definitions=scoped).code == 0
