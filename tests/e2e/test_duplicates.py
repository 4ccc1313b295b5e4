"""Managed objects sharing an ownership key: plan proposes deleting the extras, drift reports them, apply repairs."""

from __future__ import annotations

from collections import Counter
from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from tests.e2e.conftest import World


def _keys(world: World) -> Counter[str]:
    with world.datadog() as client:
        return Counter(
            t for m in MonitorsApi(client).list_monitors() for t in m.to_dict()["tags"] if t.startswith("alertc-key:")
        )


def _copy_by_hand(world: World, key: str) -> tuple[str, str]:
    """A colleague copies a managed monitor with all its tags (only the name differs: Datadog refuses twins)."""
    with world.datadog() as client:
        api = MonitorsApi(client)
        original = next(m.to_dict() for m in api.list_monitors() if f"alertc-key:{key}" in m.to_dict()["tags"])
        body: dict[str, Any] = {
            k: original[k] for k in ("name", "type", "query", "message", "tags", "options", "priority")
        }
        body["name"] += " (copy)"
        copy = api.create_monitor(body=body)
    return str(original["id"]), str(copy.id)


def test_plan_proposes_deleting_a_hand_made_copy_and_apply_repairs_it(world: World) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    kept, extra = _copy_by_hand(world, "monitor/ssoe-success-rate")

    planned = world.plan("--detailed-exitcode")

    assert planned.code == 2, planned.out
    assert planned.out.splitlines()[-1] == "Plan: 0 to create, 0 to update, 1 to delete."
    assert f"(id {extra}), a duplicate of id {kept} (same ownership key)" in planned.out
    applied = world.apply()
    assert applied.code == 0, applied.err
    assert f"applied: delete datadog:monitor/ssoe-success-rate (duplicate id {extra})" in applied.out
    assert _keys(world)["alertc-key:monitor/ssoe-success-rate"] == 1
    with world.datadog() as client:
        assert str(MonitorsApi(client).get_monitor(int(kept)).id) == kept  # the older one is kept
    assert world.plan("--detailed-exitcode").code == 0


def test_drift_reports_a_duplicate(world: World) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    kept, extra = _copy_by_hand(world, "monitor/auth-too-early")

    drift = world.alertc("drift")

    assert drift.code == 2, drift.out
    assert (
        f"! datadog:monitor/auth-too-early (id {extra}): duplicate, a second object with the same ownership key "
        f"(alertc keeps id {kept})"
    ) in drift.out


def test_a_duplicate_whose_kept_object_went_away_is_not_deleted(world: World) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    kept, _extra = _copy_by_hand(world, "monitor/auth-too-late")
    assert world.plan().code == 0
    with world.datadog() as client:
        MonitorsApi(client).delete_monitor(int(kept))

    refused = world.apply()

    assert refused.code == 1
    assert f"the object it duplicates (id {kept}) is gone" in refused.err
    assert _keys(world)["alertc-key:monitor/auth-too-late"] == 1  # the copy, now the only one, is left alone


def test_a_delete_whose_object_is_gone_is_reported_already_gone(world: World) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    _kept, extra = _copy_by_hand(world, "monitor/auth-too-early")
    assert world.plan().code == 0
    with world.datadog() as client:
        MonitorsApi(client).delete_monitor(int(extra))

    applied = world.apply()

    assert applied.code == 0, applied.err
    assert f"already gone: datadog:monitor/auth-too-early (duplicate id {extra})" in applied.out
    assert "applied: delete" not in applied.out
