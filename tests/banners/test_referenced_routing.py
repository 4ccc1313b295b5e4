"""A key that references an existing status service is driven through the Datadog handle the account has for it.

The handle is notified where alertc's own ``@pagerduty-status-<key>`` would be: on alert and alert recovery
only (compiler/compile/messages.py ``routing_block``), so a warning or a gap in data raises no banner.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compiler.checks.lint import lint
from compiler.cli import run
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import Definitions
from compiler.notify.explain import targets_from
from compiler.notify.plan_section import notification_lines
from compiler.notify.simulate import simulate
from compiler.plan import Change, FieldChange, Plan
from tests.banners.conftest import EXAMPLES, EditExamples

HANDLE = "@pagerduty-placeholder-external-idme"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
IDME = "    thresholds: {critical: 45, recovery: 50}\n    impact: {failing_fraction: 0.5}\n    banner_key: idme\n"
IDME_WARNS = (
    "    thresholds: {critical: 45, warning: 48, recovery: 50}\n    impact: {failing_fraction: 0.5}\n"
    "    no_data: 30m\n    banner_key: idme\n"
)


def _banner_events(compiled: CompileResult, key: str) -> dict[str, list[tuple[str, str]]]:
    monitor = compiled.resources.get(f"datadog:monitor/{key}")
    assert monitor is not None
    outcomes = simulate(monitor.body, targets_from(compiled.resources, compiled.banner_targets))
    return {
        transition: [(e.handle, e.action) for e in outcome.pagerduty if e.target.is_banner]
        for transition, outcome in outcomes.items()
    }


def test_an_alert_notifies_exactly_the_referenced_handle(example_definitions: Definitions) -> None:
    compiled = compile_definitions(example_definitions, now=NOW)
    events = _banner_events(compiled, "idme-success-rate")
    assert events["ok_to_alert"] == [(HANDLE, "trigger")]
    assert events["alert_to_ok"] == [(HANDLE, "resolve")]
    # no re-notification: the page (and the declaration prompt) is sis-success-rate's type:idme group's
    assert events.get("renotify_alert", []) == []
    monitor = compiled.resources.get("datadog:monitor/idme-success-rate")
    assert monitor is not None
    assert "status-idme" not in monitor.body["message"]
    assert monitor.depends_on == ()  # nothing of ours for idme; one page per outage: the per-CSP group pages
    assert compiled.banner_targets[HANDLE] == "idme"


def test_a_warning_or_no_data_raises_no_referenced_banner(edited_examples: EditExamples) -> None:
    compiled = compile_definitions(edited_examples({"monitors.yaml": (IDME, IDME_WARNS)}), now=NOW)
    events = _banner_events(compiled, "idme-success-rate")
    for transition in ("ok_to_warn", "warn_to_ok", "ok_to_no_data", "no_data_to_ok"):
        assert events[transition] == [], transition
    assert events["warn_to_alert"] == [(HANDLE, "trigger")]
    assert events["alert_to_warn"] == [(HANDLE, "resolve")]  # leaving alert clears the banner


def test_explain_monitor_names_the_referenced_banner(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", "monitor", "idme-success-rate", "-d", str(EXAMPLES)]) == 0
    rows = {
        cells[0]: cells[1:] for line in capsys.readouterr().out.splitlines() if (cells := re.split(r"\s{2,}", line))
    }
    assert rows["OK → alert"][1] == "banner idme: raised"  # the page is sis-success-rate's type:idme group's
    assert rows["alert → OK"][1] == "banner idme: cleared"


def test_the_plan_section_tells_a_referenced_banner_from_a_page(example_definitions: Definitions) -> None:
    compiled = compile_definitions(example_definitions, now=NOW)
    monitor = compiled.resources.get("datadog:monitor/idme-success-rate")
    assert monitor is not None
    before = monitor.body["message"].replace(HANDLE, "")
    change = Change(
        action="update",
        address=monitor.address,
        provider="datadog",
        kind="monitor",
        key=monitor.key,
        desired=monitor.body,
        fields=[FieldChange("message", before, monitor.body["message"])],
    )
    plan = Plan(created_at="2026-11-23T00:00:00+00:00", definitions_digest="x", target={}, changes=[change])
    lines = notification_lines(plan)
    assert "- `datadog:monitor/idme-success-rate`: this change makes OK → alert send banner idme: raised" in lines
    assert not [line for line in lines if "placeholder-external-idme: trigger" in line]


def test_lint_accepts_the_referenced_handle_and_flags_an_unknown_one(edited_examples: EditExamples) -> None:
    extra = "    notify: {handles: ['@pagerduty-placeholder-external-mhv', '@pagerduty-nobody']}\n"
    d = edited_examples({"monitors.yaml": (IDME, IDME + extra)})
    p107 = [f.message for f in lint(d, NOW) if "P107" in f.render()]
    assert p107 == ["monitor 'idme-success-rate' notifies @pagerduty-nobody, which is not a defined PagerDuty service"]


def test_validate_reports_a_driven_referenced_key_without_a_handle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI path: an error positioned at the monitor, exit 1."""
    target = tmp_path / "definitions"
    shutil.copytree(EXAMPLES, target)
    banners = target / "banners.yaml"
    banners.write_text(
        banners.read_text(encoding="utf-8").replace("    datadog_handle: placeholder-external-mvi\n", "")
    )
    assert run(["validate", "-d", str(target)]) == 1
    err = capsys.readouterr().err
    assert (
        "monitors.yaml:147:17: [B408] monitor 'mpi-latency' drives banner key 'mvi', whose status service is the "
        in err
    )
    assert "hint: set datadog_handle on dependency 'mvi'" in err
