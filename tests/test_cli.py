"""The command line: help, exit codes, streams, and no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.cli import cli, run

ROOT = Path(__file__).resolve().parents[1]


def _all_commands() -> list[list[str]]:
    out: list[list[str]] = []
    for name, command in sorted(cli.commands.items()):
        out.append([name])
        for sub in sorted(getattr(command, "commands", {})):
            out.append([name, sub])
    return out


@pytest.mark.parametrize("command", _all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*command, "--help"]) == 0
    assert "Example" in capsys.readouterr().out


def test_validate_examples_exits_zero(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("definitions: valid (")
    assert err == ""


def test_validate_summary_prints_the_process_and_what_it_compiles_to(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert run(["validate", "--summary", "-d", "definitions"]) == 0
    out = capsys.readouterr().out
    assert "sev1   >  1000 users/h  respond within 1h  pages on-call (24x7)" in out
    assert "declare an incident for P1" in out
    assert "Compiles to: 1 datadog downtime, 14 datadog monitor," in out


def test_usage_error_is_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "--no-such-option"]) == 1
    assert "No such option" in capsys.readouterr().err


def test_schema_check_detects_a_stale_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert run(["schema", "-o", str(target)]) == 0
    assert run(["schema", "-o", str(target), "--check"]) == 0
    target.write_text("{}\n", encoding="utf-8")
    assert run(["schema", "-o", str(target), "--check"]) == 1
    assert (
        "schema.json is out of date\n  hint: run 'alertc schema definitions' and commit it" in capsys.readouterr().err
    )


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("monitors: [\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ALERTC_DEBUG"}
    proc = subprocess.run(
        [sys.executable, "-m", "compiler.cli", "validate", "-d", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "YAML syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_committed_process_document_is_up_to_date(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert run(["docs", "--check"]) == 0, capsys.readouterr().err


def test_docs_check_detects_a_stale_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["docs", "-d", str(ROOT / "definitions"), "-o", str(tmp_path)]) == 0
    assert run(["docs", "-d", str(ROOT / "definitions"), "-o", str(tmp_path), "--check"]) == 0
    (tmp_path / "process.md").write_text("# old\n", encoding="utf-8")
    assert run(["docs", "-d", str(ROOT / "definitions"), "-o", str(tmp_path), "--check"]) == 1
    assert "process.md is out of date\n  hint: run 'alertc docs' and commit it" in capsys.readouterr().err


def test_committed_banner_config_schema_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run(["schema", "banner-config", "--check"]) == 0
