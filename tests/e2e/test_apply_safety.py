"""Apply refuses stale and unsafe plans, and converges without duplicates under faults."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox import FaultConfig
from tests.e2e.conftest import EXAMPLES, World


def _edited_examples(tmp_path: Path, old: str, new: str, file: str = "monitors.yaml") -> Path:
    target = tmp_path / "defs"
    shutil.copytree(EXAMPLES, target, dirs_exist_ok=True)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def _monitor_count(world: World) -> int:
    with world.datadog() as api:
        return len(MonitorsApi(api).list_monitors())


def test_plan_applied_after_a_live_change_is_refused_as_stale(world: World, tmp_path: Path) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    edited = _edited_examples(
        tmp_path, "thresholds: {critical: 3, recovery: 2}", "thresholds: {critical: 4, recovery: 2}"
    )
    assert world.plan(definitions=edited).out.splitlines()[-1] == "Plan: 0 to create, 1 to update, 0 to delete."
    with world.datadog() as api:
        monitors = MonitorsApi(api)
        target = next(m for m in monitors.list_monitors() if m.name == "[SSOe] Auth_too_early Login Callback Error")
        monitors.update_monitor(int(target.id), body={"message": "edited by hand"})
    before = _monitor_count(world)

    result = world.apply()

    assert result.code == 1
    assert "plan is stale; nothing was changed:" in result.err
    assert "datadog:monitor/auth-too-early changed since the plan" in result.err
    with world.datadog() as api:
        again = MonitorsApi(api).get_monitor(int(target.id)).to_dict()
    assert again["message"] == "edited by hand" and again["options"]["thresholds"]["critical"] == 3.0
    assert _monitor_count(world) == before


def test_create_whose_key_appeared_meanwhile_is_stale(world: World) -> None:
    assert world.plan().code == 0
    with world.datadog() as api:
        MonitorsApi(api).create_monitor(
            body={
                "name": "squatter",
                "type": "query alert",
                "query": "avg(last_5m):avg:x{*} > 1",
                "message": "m",
                "tags": ["managed-by:alertc", "alertc-key:monitor/auth-too-early"],
            }
        )
    result = world.apply()
    assert result.code == 1
    assert "datadog:monitor/auth-too-early now exists" in result.err
    assert _monitor_count(world) == 1  # nothing of the plan was applied


def test_mass_delete_needs_allow_deletes(world: World, tmp_path: Path) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    reduced = tmp_path / "reduced"
    shutil.copytree(EXAMPLES, reduced)
    (reduced / "slos.yaml").unlink()  # 8 SLOs and their 10 burn-rate alerts (4 SLOs report without alerting)
    (reduced / "maintenance.yaml").unlink()  # 2 downtimes and a PagerDuty maintenance window
    message = "the plan deletes 21 of 63 managed objects (more than 30%); nothing was changed"
    refused_at_plan = world.plan(definitions=reduced)  # CI fails at plan, with apply's message
    assert refused_at_plan.code == 1
    assert refused_at_plan.out.splitlines()[-1] == "Plan: 0 to create, 2 to update, 21 to delete."
    assert message in refused_at_plan.err and "--allow-deletes" in refused_at_plan.err
    planned = world.plan("--allow-deletes", definitions=reduced)
    assert planned.code == 0, planned.err
    refused = world.apply()  # apply re-checks: allowing deletes at plan does not allow them at apply
    assert refused.code == 1
    assert message in refused.err
    assert _monitor_count(world) == 24
    allowed = world.apply("--allow-deletes")
    assert allowed.code == 0, allowed.err
    assert _monitor_count(world) == 14


def test_faults_converge_without_duplicates(world: World) -> None:
    world.handle.set_faults(
        FaultConfig(
            error_rate=0.04, burst_429_rate=0.02, burst_429_length=2, lost_response_rate=0.15, methods=["POST"]
        ),
        seed=7,
    )
    reports = []
    for _ in range(4):
        planned = world.plan()
        if "No changes." in planned.out:
            break
        applied = world.apply()
        reports.append(applied.out + applied.err)
    assert any("found after a lost response (not duplicated)" in r for r in reports), reports
    world.handle.set_faults(FaultConfig())
    final = world.plan("--detailed-exitcode")
    assert final.code == 0, final.out
    with world.datadog() as api:
        tags = [t for m in MonitorsApi(api).list_monitors() for t in m.to_dict()["tags"] if t.startswith("alertc-key:")]
    assert len(tags) == 24 and max(Counter(tags).values()) == 1
    names = [s["name"] for s in world.pagerduty().list_all("services")]
    # 2 team services + the sis and ssoe status services + the 6 existing services the example references
    assert len(names) == len(set(names)) == 10


def test_applying_the_same_plan_twice_converges(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    again = world.apply()
    assert again.code == 0, again.err
    assert again.out.count("already applied: ") == 63
    assert _monitor_count(world) == 24
