"""``alertc test --live``: the example's alert tests against what is live, read only, naming the live cause."""

from __future__ import annotations

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from tests.e2e.conftest import EXAMPLES, World

SSOE_TITLE = "[SSOe] SSOe Success Rate per CSP"
TEST = "ssoe-down-20-minutes"


def _monitor(world: World, title: str) -> dict[str, object]:
    with world.datadog() as api:
        return next(m.to_dict() for m in MonitorsApi(api).list_monitors() if m.name == title)


def _set_message(world: World, monitor_id: int, message: str) -> None:
    with world.datadog() as api:
        MonitorsApi(api).update_monitor(monitor_id, body={"message": message})


def test_a_handle_removed_by_hand_fails_live_and_names_the_monitor_and_field(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    live = world.alertc("test", "-d", str(EXAMPLES), "--live", "--run", TEST)
    assert live.code == 0, live.out + live.err

    monitor = _monitor(world, SSOE_TITLE)
    original = str(monitor["message"])
    assert "@pagerduty-ssoe " in original or "@pagerduty-ssoe\n" in original
    _set_message(world, int(str(monitor["id"])), original.replace("@pagerduty-ssoe", ""))

    compiled = world.alertc("test", "-d", str(EXAMPLES), "--run", TEST)
    assert compiled.code == 0, compiled.out  # the definitions still page
    live = world.alertc("test", "-d", str(EXAMPLES), "--live", "--run", TEST)
    assert live.code == 1, live.out
    assert f"FAIL {TEST}" in live.out
    assert "caused by the live state:" in live.out
    cause = next(line for line in live.out.splitlines() if line.startswith("    monitor 'ssoe-success-rate'"))
    assert f"(id {monitor['id']})" in cause
    assert "field message lacks '@pagerduty-ssoe'" in cause

    _set_message(world, int(str(monitor["id"])), original)
    restored = world.alertc("test", "-d", str(EXAMPLES), "--live", "--run", TEST)
    assert restored.code == 0, restored.out
