"""Breaking the process turns an example alert test red.

Each case copies the identity example, breaks one thing the process depends on, and plays the alert tests
against what the broken definitions compile to. The tests are played directly (``run_alert_tests``), not through
``alertc test``, so the proof is the alert test's and not the process lint's (which also catches some of these).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler.alerttest.report import Report
from compiler.alerttest.runner import run_alert_tests
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import load_definitions
from compiler.resources import ResourceSet

ROOT = Path(__file__).resolve().parents[2]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(ROOT / "definitions", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: update this mutation"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _play(directory: Path, name: str, mutate: Callable[[CompileResult], CompileResult] = lambda c: c) -> Report:
    loaded = load_definitions(directory)
    assert loaded.definitions is not None, [f.render() for f in loaded.findings]
    compiled = mutate(compile_definitions(loaded.definitions, now=None))
    report = run_alert_tests(loaded.definitions, compiled, directory, [name])
    assert not report.findings, [f.render() for f in report.findings]
    return report


def _failures(report: Report) -> str:
    (result,) = report.results
    assert not result.passed, "the mutation went unnoticed"
    return "\n".join(f.message for f in result.failures)


@pytest.mark.parametrize(
    "name",
    [
        "warning-pages-nobody",
        "ssoe-down-20-minutes",
        "one-csp-failing-shows-only-its-banner",
        "logingov-maintenance-silences-its-monitor",
    ],
)
def test_unbroken_definitions_pass(tmp_path: Path, name: str) -> None:
    (result,) = _play(_copy(tmp_path), name).results
    assert result.passed, [f.message for f in result.failures]


def test_a_warning_that_pages_fails(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit(
        directory / "monitors.yaml",
        "    thresholds: {critical: 0.6, warning: 0.3}\n",
        "    thresholds: {critical: 0.6, warning: 0.3}\n    notify: {handles: ['@pagerduty-sign-in-service']}\n",
    )
    failures = _failures(_play(directory, "warning-pages-nobody"))
    assert "unexpected page" in failures and "sign-in-service" in failures


def test_a_declaration_moved_to_30_minutes_fails(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit(directory / "process.yaml", "  incident_after: 15m", "  incident_after: 30m")
    failures = _failures(_play(directory, "ssoe-down-20-minutes"))
    assert "no prompt {monitor: ssoe-success-rate} at 32m" in failures


def test_the_per_csp_monitor_driving_the_whole_sign_in_banner_fails(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit(
        directory / "monitors.yaml",
        "    thresholds: {critical: 50, recovery: 56}\n    severity: sev1\n    no_data: 30m\n    # Grouped per CSP",
        "    thresholds: {critical: 50, recovery: 56}\n    severity: sev1\n    banner_key: sis\n    no_data: 30m\n"
        "    # Grouped per CSP",
    )
    failures = _failures(_play(directory, "one-csp-failing-shows-only-its-banner"))
    assert "users of 'sis' see multiple_services, expected logingov" in failures


def test_a_missing_maintenance_downtime_fails(tmp_path: Path) -> None:
    def without_downtimes(compiled: CompileResult) -> CompileResult:
        kept = ResourceSet()
        for resource in compiled.resources:
            if not (resource.provider == "datadog" and resource.kind == "downtime"):
                kept.add(resource)
        return CompileResult(kept, compiled.findings, compiled.banner_targets)

    failures = _failures(_play(_copy(tmp_path), "logingov-maintenance-silences-its-monitor", without_downtimes))
    assert "monitor 'logingov-success-rate' is not silenced by a downtime, expected silenced" in failures


def test_a_missing_maintenance_window_fails(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    (directory / "maintenance.yaml").unlink()
    failures = _failures(_play(directory, "logingov-maintenance-silences-its-monitor"))
    assert "users of 'sis' see none, expected maintenance" in failures


def test_maintenance_that_leaves_the_per_csp_group_live_fails(tmp_path: Path) -> None:
    """Without ``dependency_group`` the Login.gov window mutes only the Login.gov monitor: the per-CSP group pages."""
    directory = _copy(tmp_path)
    _edit(directory / "monitors.yaml", "    dependency_group: type ", "    tags: [per-csp] ")
    failures = _failures(_play(directory, "logingov-maintenance-silences-its-monitor"))
    assert "unexpected page between 0m and 3h59m" in failures and "sis-success-rate" in failures
