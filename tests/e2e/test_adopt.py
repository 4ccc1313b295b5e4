"""Adopting unowned live objects: by name for a whole run, refused when stale or taken by another scope."""

from __future__ import annotations

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan_file import load_plan
from tests.e2e.conftest import World

TITLE = "[SSOe] Auth_too_late Login Callback Error"


def _hand_made(world: World) -> str:
    with world.datadog() as api:
        made = MonitorsApi(api).create_monitor(
            body={"name": TITLE, "type": "query alert", "query": "avg(last_5m):avg:x{*} > 1", "message": "theirs"}
        )
    return str(made.id)


def test_a_monitor_name_taken_by_an_unowned_monitor_fails_the_plan_and_names_it(world: World) -> None:
    live_id = _hand_made(world)
    result = world.plan()
    assert result.code == 1
    assert f'datadog:monitor/auth-too-late: live object "{TITLE}" (id {live_id})' in result.err
    assert "not managed by alertc" in result.err and "--adopt-by-name" in result.err
    assert "conflict" in world.alertc("drift").out
    assert world.alertc("drift").code == 2


def test_adopt_by_name_then_apply_then_no_changes(world: World) -> None:
    live_id = _hand_made(world)
    result = world.plan("--adopt-by-name")
    assert result.code == 0, result.err
    plan = load_plan(world.tmp / "p.json")
    [adopt] = [c for c in plan.changes if c.action == "adopt"]
    assert (adopt.address, adopt.live_id) == ("datadog:monitor/auth-too-late", live_id)
    assert {f.path for f in adopt.fields} >= {"query", "message"}  # what alertc changes besides its marks
    assert f"<= adopt datadog monitor auth-too-late (id {live_id})" in result.out
    assert "1 to adopt" in result.out
    applied = world.apply()
    assert applied.code == 0, applied.err
    with world.datadog() as api:
        monitors = [m for m in MonitorsApi(api).list_monitors() if m.name == TITLE]
    assert [str(m.id) for m in monitors] == [live_id]  # adopted in place, not duplicated
    assert "alertc-key:monitor/auth-too-late" in monitors[0].tags
    assert world.plan("--detailed-exitcode").code == 0


def test_adopt_is_refused_when_the_object_changed_since_the_plan(world: World) -> None:
    live_id = _hand_made(world)
    assert world.plan("--adopt-by-name").code == 0
    with world.datadog() as api:
        MonitorsApi(api).update_monitor(int(live_id), body={"message": "edited after review"})
    result = world.apply()
    assert result.code == 1
    assert "plan is stale" in result.err and "datadog:monitor/auth-too-late changed since the plan" in result.err


def test_adopt_is_refused_when_another_scope_took_the_object_since_the_plan(world: World) -> None:
    live_id = _hand_made(world)
    assert world.plan("--adopt-by-name").code == 0
    with world.datadog() as api:
        tags = ["managed-by:alertc", "alertc-key:monitor/theirs", "alertc-owner:mobile"]
        MonitorsApi(api).update_monitor(int(live_id), body={"tags": tags})
    result = world.apply()
    assert result.code == 1
    assert f"the object to adopt (id {live_id}) is now owned by alertc scope 'mobile'" in result.err
