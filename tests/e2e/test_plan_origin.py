"""The scope comes from where apply runs: a plan edited to act in another scope is refused, changing nothing.

The red-team case of issue 27: team B rewrote its plan's ``owner`` to team A's,
added a delete of team A's monitor, recomputed the digest (a plain SHA-256 of
the file) and applied it from its own checkout; team A's monitor was deleted.
Apply now compares the plan with the checkout it runs in (``compiler.plan_origin``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan import plan_digest
from tests.definitions.base_set import write_set
from tests.e2e.conftest import EXAMPLES, World


@pytest.fixture(autouse=True)
def _no_project_file(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the repository: its alertc.yaml names the example's scope; here each team names its own."""
    monkeypatch.chdir(world.tmp)


def _team_a(world: World) -> Path:
    a = world.tmp / "team-a"
    shutil.copytree(EXAMPLES, a)
    (a / "owner.yaml").write_text("owner: team-a\n", encoding="utf-8")
    assert world.plan(definitions=a).code == 0
    applied = world.apply()
    assert applied.code == 0, applied.err
    return a


def _team_b_plan(world: World) -> tuple[Path, dict[str, Any]]:
    pd = world.pagerduty()
    for email in ("a@example.com", "b@example.com"):
        pd.rpost("users", json={"user": {"type": "user", "name": email, "email": email}})
    b = write_set(world.tmp / "team-b", {"owner.yaml": "owner: team-b\n"})
    planned = world.plan(definitions=b)
    assert planned.code == 0, planned.err
    return b, json.loads((world.tmp / "p.json").read_text(encoding="utf-8"))


def _team_a_monitor(world: World) -> tuple[str, str]:
    """(key, id) of one of team A's monitors."""
    with world.datadog() as client:
        for monitor in MonitorsApi(client).list_monitors():
            tags = monitor.to_dict().get("tags") or []
            if "alertc-owner:team-a" in tags:
                key = next(t for t in tags if t.startswith("alertc-key:monitor/")).split("/", 1)[1]
                return key, str(monitor.id)
    raise AssertionError("team A has no monitor")


def _write(world: World, doc: dict[str, Any]) -> Path:
    doc["digest"] = plan_digest(doc)  # recomputed, as a tool rewriting the file would
    path = world.tmp / "edited.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def test_team_b_plan_rewritten_to_delete_team_a_monitor_is_refused_from_team_b_checkout(world: World) -> None:
    _team_a(world)
    b, doc = _team_b_plan(world)
    key, live_id = _team_a_monitor(world)
    doc["owner"] = "team-a"
    doc["changes"].append(
        {
            "action": "delete",
            "address": f"datadog:monitor/{key}",
            "provider": "datadog",
            "kind": "monitor",
            "key": key,
            "live_id": live_id,
            "name": None,
            "desired": None,
            "depends_on": [],
            "fields": [],
            "duplicate_of": None,
        }
    )
    before = world.handle.dump()["objects"]

    result = world.alertc("apply", str(_write(world, doc)), "-d", str(b))

    assert result.code == 1, result.out + result.err
    assert "this plan is for ownership scope 'team-a', but the definitions in" in result.err
    assert "says 'team-b'; nothing was applied" in result.err
    assert world.handle.dump()["objects"] == before


def test_owner_edited_alone_is_refused_naming_both_scopes(world: World) -> None:
    _team_a(world)
    b, doc = _team_b_plan(world)
    doc["owner"] = "team-a"
    before = world.handle.dump()["objects"]

    result = world.alertc("apply", str(_write(world, doc)), "-d", str(b))

    assert result.code == 1
    assert "ownership scope 'team-a'" in result.err and "'team-b'" in result.err
    assert world.handle.dump()["objects"] == before


def test_the_scope_named_by_the_project_file_is_named_in_the_refusal(world: World) -> None:
    project = world.tmp / "alertc.yaml"
    project.write_text("owner: team-b\ndefault_target: production\ntargets: {production: {type: live}}\n", "utf-8")
    pd = world.pagerduty()
    for email in ("a@example.com", "b@example.com"):
        pd.rpost("users", json={"user": {"type": "user", "name": email, "email": email}})
    b = write_set(world.tmp / "team-b")
    assert world.plan(definitions=b).code == 0
    doc = json.loads((world.tmp / "p.json").read_text(encoding="utf-8"))
    doc["owner"] = "team-c"

    result = world.alertc("apply", str(_write(world, doc)), "-d", str(b))

    assert result.code == 1
    assert f"this plan is for ownership scope 'team-c', but {project} says 'team-b'" in result.err


def test_a_plan_from_other_definitions_is_refused_naming_both_digests(world: World) -> None:
    _team_a(world)
    b, _doc = _team_b_plan(world)
    service = b / "service.yaml"
    service.write_text(service.read_text(encoding="utf-8").replace("critical: 10", "critical: 20"), "utf-8")
    before = world.handle.dump()["objects"]

    result = world.alertc("apply", str(world.tmp / "p.json"), "-d", str(b))

    assert result.code == 1
    assert "this plan was made from definitions with digest" in result.err
    assert f"but the definitions in {b} have digest" in result.err
    assert world.handle.dump()["objects"] == before


def test_the_unedited_plan_applies_from_its_checkout(world: World) -> None:
    _team_a(world)
    b, _doc = _team_b_plan(world)
    applied = world.alertc("apply", str(world.tmp / "p.json"), "-d", str(b))
    assert applied.code == 0, applied.err
