"""What a reviewer sees: one threshold changed inside a long query shows up in full, in text and markdown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.e2e.conftest import EXAMPLES, World


def _edited_threshold(tmp_path: Path) -> Path:
    edited = tmp_path / "defs"
    shutil.copytree(EXAMPLES, edited)
    monitors = edited / "monitors.yaml"
    text = monitors.read_text(encoding="utf-8")
    start = text.index("- name: ssoe-success-rate\n")
    end = text.index("- name: ", start + 1)
    block = text[start:end]
    assert block.count("thresholds: {critical: 50, recovery: 56}") == 1
    edited_block = block.replace("{critical: 50, recovery: 56}", "{critical: 45, recovery: 56}")
    monitors.write_text(text[:start] + edited_block + text[end:], encoding="utf-8")
    return edited


def test_a_threshold_inside_a_long_query_is_shown_changed_in_text_and_markdown(world: World, tmp_path: Path) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    edited = _edited_threshold(tmp_path)

    planned = world.plan("--no-color", definitions=edited)
    assert planned.code == 0, planned.err
    assert "..." not in planned.out
    query_line = next(line for line in planned.out.splitlines() if line.startswith("    ~ query: "))
    assert query_line.endswith(' * 100 < [-50-]{+45+}"')
    assert "api_auth_login_success{context IN (mhv,idme,dslogon,logingov),env:eks-prod}" in query_line

    shown = world.alertc("show", str(world.tmp / "p.json"), "--format", "markdown")
    assert shown.code == 0
    lines = shown.out.splitlines()
    assert lines[0] == "<!-- alertc-plan:production -->"
    minus = next(line for line in lines if line.startswith("-     query: "))
    plus = next(line for line in lines if line.startswith("+     query: "))
    assert minus.endswith(' * 100 < 50"') and plus.endswith(' * 100 < 45"')
    assert minus[1:-3] == plus[1:-3]  # the same query apart from the sign and the number
    assert "-     options.thresholds.critical: 50" in lines
    assert "+     options.thresholds.critical: 45" in lines


def test_plan_to_standard_output_and_show_in_every_format(world: World, tmp_path: Path) -> None:
    streamed = world.alertc("plan", "-d", str(EXAMPLES), "-o", "-")
    assert streamed.code == 0
    assert json.loads(streamed.out)["version"] == 2  # stdout is the plan itself, the rendering went to stderr
    assert "Plan: 63 to create" in streamed.err
    assert not Path("-").exists()
    saved = tmp_path / "plan.json"
    saved.write_text(streamed.out, encoding="utf-8")
    assert world.alertc("show", str(saved)).out.splitlines()[-1] == "Plan: 63 to create, 0 to update, 0 to delete."
    assert json.loads(world.alertc("show", str(saved), "--format", "json").out) == json.loads(streamed.out)
    missing = world.alertc("show", str(tmp_path / "nope.json"))
    assert missing.code == 1 and "plan file not found" in missing.err


def test_drift_report_to_standard_output(world: World) -> None:
    drift = world.alertc("drift", "-d", str(EXAMPLES), "-o", "-")
    assert drift.code == 2
    assert {item["status"] for item in json.loads(drift.out)["items"]} == {"missing"}
