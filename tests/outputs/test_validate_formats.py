"""alertc validate --format json|github|sarif: one record or annotation per finding, with its place and rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compiler.checks.findings import Finding, Location
from compiler.cli import run
from compiler.outputs.findings import render_github

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    """The example definitions with two references to things that do not exist."""
    defs = tmp_path / "defs"
    shutil.copytree(ROOT / "definitions", defs)
    monitors = defs / "monitors.yaml"
    text = monitors.read_text(encoding="utf-8")
    monitors.write_text(text.replace("service: ssoe\n", "service: no-such-service\n", 2), encoding="utf-8")
    return defs


def test_github_format_prints_one_error_annotation_per_finding(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["validate", "-d", str(broken), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert len(errors) >= 2 and not report["valid"]
    assert all(f["file"].endswith("monitors.yaml") and f["line"] > 0 and f["col"] > 0 for f in errors)

    assert run(["validate", "-d", str(broken), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    annotations = [line for line in lines if line.startswith("::error ")]
    assert len(annotations) == len(errors)
    first = errors[0]
    assert annotations[0].startswith(f"::error file={first['file']},line={first['line']},col={first['col']},title=")


def test_sarif_is_2_1_0_with_a_rule_and_a_region_per_result(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "-d", str(broken), "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rule_ids = {rule["id"] for rule in run_["tool"]["driver"]["rules"]}
    assert run_["results"]
    for result in run_["results"]:
        assert result["ruleId"] in rule_ids
        assert result["level"] in ("error", "warning")
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] > 0


def test_valid_definitions_in_machine_formats_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "-d", str(ROOT / "definitions"), "--format", "github"]) == 0
    assert "::error" not in capsys.readouterr().out


def test_github_annotations_escape_newlines_and_separators() -> None:
    finding = Finding(Location("a,b:c.yaml", 3, 4), "bad\nvalue 100%", hint="fix it", severity="warning", code="P101")
    assert render_github([finding]) == (
        "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=P101::bad%0Avalue 100%25%0Ahint: fix it\n"
    )
