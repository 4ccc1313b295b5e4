"""`alertc test` on the three example sets: every process statement with a behaviour, proven (the CI path)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from compiler.cli import run

ROOT = Path(__file__).resolve().parents[2]
SETS = {"definitions": 11, "examples/va-mobile": 6, "examples/officeluv": 7}


@pytest.mark.parametrize(("directory", "count"), sorted(SETS.items()))
def test_every_example_alert_test_passes(directory: str, count: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["test", "-d", str(ROOT / directory)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith(f"{count} passed, 0 failed")


def test_junit_report_for_ci(tmp_path: Path) -> None:
    report = tmp_path / "alert-tests.xml"
    assert run(["test", "-d", str(ROOT / "examples/officeluv"), "--format", "junit", "-o", str(report)]) == 0
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "7" and suite.get("failures") == "0"
    names = [case.get("name") for case in suite.iter("testcase")]
    assert "customers-cannot-log-in-page-at-once-and-declare" in names


def test_json_report_carries_the_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["test", "-d", str(ROOT / "definitions"), "--run", "ssoe-down-20-*", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (case,) = data["tests"]
    assert case["passed"] and case["start"] == "2026-03-10T03:00:00-04:00"
    assert {"at": "32m", "time": "2026-03-10T03:32:00-04:00"}.items() <= next(
        line for line in case["timeline"] if "asks for an incident declaration" in line["text"]
    ).items()
