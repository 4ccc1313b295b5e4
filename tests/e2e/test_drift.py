"""Out-of-band edits are reported field by field, told apart from unapplied definitions, and repaired by plan."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.live import open_session
from compiler.providers.client_settings import WriteForbidden
from compiler.targets import target_from_environment
from tests.e2e.conftest import EXAMPLES, World


def _monitor_id(world: World, title: str) -> int:
    with world.datadog() as api:
        for monitor in MonitorsApi(api).list_monitors():
            if monitor.name == title:
                return int(monitor.id)
    raise AssertionError(title)


def _applied(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0


def test_out_of_band_edits_are_drift_and_plan_repairs_exactly_them(world: World) -> None:
    _applied(world)
    ssoe_rate = _monitor_id(world, "[SSOe] SSOe Success Rate per CSP")
    too_late = _monitor_id(world, "[SSOe] Auth_too_late Login Callback Error")
    with world.datadog() as api:
        monitors = MonitorsApi(api)
        current = monitors.get_monitor(ssoe_rate).to_dict()
        options = current["options"]
        options["thresholds"]["critical"] = 40.0
        monitors.update_monitor(ssoe_rate, body={"query": current["query"].replace("< 50", "< 40"), "options": options})
        monitors.delete_monitor(too_late)
        monitors.create_monitor(
            body={"name": "hand-made", "type": "query alert", "query": "avg(last_5m):avg:x{*} > 1", "message": "m"}
        )
    pd = world.pagerduty()
    policy = next(p for p in pd.list_all("escalation_policies") if p["name"] == "OCTO Identity")
    rules = policy["escalation_rules"]
    rules[0]["escalation_delay_in_minutes"] = 45
    edited = {k: policy[k] for k in ("type", "name", "description", "num_loops")}
    pd.rput(f"escalation_policies/{policy['id']}", json={"escalation_policy": {**edited, "escalation_rules": rules}})

    drift = world.alertc("drift", "-d", str(EXAMPLES))
    assert drift.code == 2, drift.err
    lines = drift.out.splitlines()
    assert f"! datadog:monitor/ssoe-success-rate (id {ssoe_rate}): changed, changed outside alertc" in lines
    assert "    ~ options.thresholds.critical: live 40 / definitions 50" in lines
    assert "! datadog:monitor/auth-too-late: missing, deleted outside alertc, or not yet applied" in lines
    assert any(
        line.startswith("! pagerduty:escalation_policy/identity-escalation") and "changed outside alertc" in line
        for line in lines
    )
    assert any("escalation_delay_in_minutes" in line and "45" in line for line in lines)
    assert any(line.endswith(": hand-made") for line in lines)  # listed as unmanaged

    repair = world.plan("--detailed-exitcode")
    assert repair.code == 2
    assert repair.out.splitlines()[-1] == "Plan: 1 to create, 2 to update, 0 to delete."
    assert "+ datadog monitor auth-too-late" in repair.out
    assert f"~ datadog monitor ssoe-success-rate (id {ssoe_rate})" in repair.out
    assert "    ~ options.thresholds.critical: 40 -> 50" in repair.out
    assert "hand-made" not in repair.out  # never touched: not alertc's
    assert world.apply().code == 0
    after = world.alertc("drift", "-d", str(EXAMPLES))
    assert after.code == 0  # repaired; the hand-made monitor is listed but is not drift
    # the hand-made monitor, the account's two PagerDuty teams the definitions do not name, and what the account
    # has for the example's references (the team it joins, 6 services, the Datadog integrations of the 5 driven
    # ones, their policy)
    assert "Drift: 0 object(s) differ; 16 unmanaged." in after.out


def test_unapplied_definition_change_is_told_apart(world: World, tmp_path: Path) -> None:
    _applied(world)
    edited = tmp_path / "defs"
    shutil.copytree(EXAMPLES, edited)
    monitors = edited / "monitors.yaml"
    monitors.write_text(
        monitors.read_text(encoding="utf-8").replace(
            "thresholds: {critical: 3, recovery: 2}", "thresholds: {critical: 4, recovery: 2}"
        ),
        encoding="utf-8",
    )
    drift = world.alertc("drift", "-d", str(edited))
    assert drift.code == 2
    assert any(
        line.startswith("! datadog:monitor/auth-too-early") and line.endswith("definitions changed, not yet applied")
        for line in drift.out.splitlines()
    )


def test_drift_cannot_write(world: World) -> None:
    """Even on a fresh account (where plan would seed nothing and apply would create), drift sends only GETs."""
    seen: list[str] = []
    world.handle.observe(lambda req, resp: seen.append(req.method))
    drift = world.alertc("drift", "-d", str(EXAMPLES))
    world.handle.observe(None)
    assert drift.code == 2
    assert seen and set(seen) == {"GET"}


def test_read_only_session_refuses_writes_before_sending(world: World) -> None:
    target = target_from_environment(os.environ)
    assert target is not None
    seen: list[str] = []
    world.handle.observe(lambda req, resp: seen.append(req.method))
    with open_session(target, read_only=True) as session:
        with pytest.raises(WriteForbidden):
            session.datadog.monitors.create_monitor(body={"type": "query alert", "query": "avg(last_5m):avg:x{*} > 1"})
        with pytest.raises(WriteForbidden):
            session.pagerduty.client.rpost(
                "users", json={"user": {"type": "user", "name": "x", "email": "x@example.com"}}
            )
        assert session.datadog.monitors.list_monitors() == []
    world.handle.observe(None)
    assert seen == ["GET"]


def test_drift_markdown_and_saved_json_report(world: World, tmp_path: Path) -> None:
    _applied(world)
    edited = tmp_path / "defs"
    shutil.copytree(EXAMPLES, edited)
    monitors = edited / "monitors.yaml"
    monitors.write_text(
        monitors.read_text(encoding="utf-8").replace(
            "thresholds: {critical: 3, recovery: 2}", "thresholds: {critical: 4, recovery: 2}"
        ),
        encoding="utf-8",
    )
    report_file = tmp_path / "drift.json"
    result = world.alertc("drift", "-d", str(edited), "--format", "markdown", "-o", str(report_file))
    assert result.code == 2
    # the account's own teams and what it has for the example's references (see above)
    assert "### alertc drift on `production`: 1 object(s) differ, 15 unmanaged" in result.out
    assert "| `datadog:monitor/auth-too-early` | changed | definitions changed, not yet applied |" in result.out
    saved = json.loads(report_file.read_text(encoding="utf-8"))
    assert saved["version"] == 1
    assert [item["address"] for item in saved["items"]] == ["datadog:monitor/auth-too-early"]
