"""The command line: help, exit codes, streams, and no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import click
import pytest

from compiler import __version__
from compiler.cli import cli, run
from compiler.scaffold import template_files

ROOT = Path(__file__).resolve().parents[1]


def _all_commands() -> list[list[str]]:
    out: list[list[str]] = []
    group = click.Context(cli)
    for name in cli.list_commands(group):
        command = cli.get_command(group, name)
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
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")  # the example maintenance window still ahead
    assert run(["validate", "--summary", "-d", "definitions"]) == 0
    out = capsys.readouterr().out
    assert "sev1   >  1000 users/h  respond within 1h  pages on-call (24x7)" in out
    assert "declare an incident for P1" in out
    assert (
        "Compiles to: 3 datadog dashboard, 2 datadog downtime, 3 datadog incident notification rule, 3 datadog "
        "incident notification template, 1 datadog incident postmortem template, 14 datadog monitor," in out
    )


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


# --- targets -------------------------------------------------------------------------------------------------------

NO_CREDENTIALS = ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN", "PAGERDUTY_FROM", "ALERTC_TARGET")
NO_CREDENTIALS += ("ALERTC_DATADOG_URL", "ALERTC_PAGERDUTY_URL", "ALERTC_CA_FILE")


@pytest.fixture()
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory without a project file, no credentials, the clock pinned, in CI."""
    for name in NO_CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")
    monkeypatch.setenv("CI", "true")
    (tmp_path / ".git").mkdir()  # the project-file search stops here
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ci_plan_without_credentials_is_one_line_naming_the_variables(
    bare: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["plan", "-d", str(ROOT / "definitions")]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: no target: DD_API_KEY, DD_APP_KEY, PAGERDUTY_TOKEN are not set")
    assert not (bare / "plans").exists()


def test_ci_plan_in_the_repository_needs_the_production_credentials(
    bare: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    plan_file = bare / "p.json"
    assert run(["plan", "-o", str(plan_file)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: target 'production' needs DD_API_KEY, DD_APP_KEY, PAGERDUTY_TOKEN, which are not set; "
        "nothing was planned or applied (pass --target sandbox for the local sandbox)\n"
    )
    assert not plan_file.exists()


def test_interactive_run_without_project_or_credentials_uses_the_embedded_sandbox(
    bare: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert run(["plan", "-d", str(ROOT / "definitions")]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("No Datadog/PagerDuty credentials set: using the embedded sandbox (state in .sandbox/).")
    assert out.startswith("alertc plan for target 'sandbox' (datadog: embedded sandbox, mode: embedded, ")


def test_every_output_names_the_target_first(bare: Path, capsys: pytest.CaptureFixture[str]) -> None:
    defs = str(ROOT / "definitions")
    assert run(["plan", "--target", "sandbox", "-d", defs, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out.splitlines()
    assert markdown[0] == "<!-- alertc-plan:sandbox -->"
    assert markdown[1].startswith("### alertc plan for `sandbox`: ")
    assert json.loads((bare / "plans" / "latest.plan.json").read_text())["target"]["name"] == "sandbox"
    assert run(["apply", "--target", "sandbox", "plans/latest.plan.json", "-d", defs]) == 0
    assert capsys.readouterr().out.startswith("alertc apply to target 'sandbox'\n")
    assert run(["drift", "--target", "sandbox", "-d", defs]) == 0
    assert capsys.readouterr().out.startswith("alertc drift for target 'sandbox' (datadog: embedded sandbox, mode: ")


def test_apply_refuses_a_plan_for_another_target_naming_both(bare: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bare / "alertc.yaml").write_text(
        "default_target: sandbox\n"
        "targets:\n  sandbox: {type: sandbox}\n  staging-sandbox: {type: sandbox, state_dir: .staging}\n",
        encoding="utf-8",
    )
    assert run(["plan", "-d", str(ROOT / "definitions")]) == 0
    capsys.readouterr()
    assert run(["apply", "--target", "staging-sandbox", "plans/latest.plan.json", "-d", str(ROOT / "definitions")]) == 1
    out, err = capsys.readouterr()
    assert "this plan was made for target 'sandbox', not for the selected target 'staging-sandbox'" in err
    assert "applied" not in out


def test_project_file_mistakes_are_reported_with_position(bare: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bare / "alertc.yaml").write_text("targets:\n  prod: {type: live, datadog: {sight: x}}\n", encoding="utf-8")
    assert run(["validate", "-d", str(ROOT / "definitions")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "error: alertc.yaml:2:32: [D201] unknown field 'sight' in datadog\n"
        "  hint: allowed fields: api_key_env, app_key_env, site, url\n"
    )


# --- init ----------------------------------------------------------------------------------------------------------


def test_init_scaffolds_a_repository_that_validates_lint_clean_and_plans(
    bare: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["init", "new"]) == 0
    assert "created new/.gitignore" in capsys.readouterr().out
    new = bare / "new"
    assert (new / ".gitignore").read_text(encoding="utf-8").splitlines()[1:3] == [".sandbox/", "plans/*.json"]
    assert "alertc plan --target sandbox" in (new / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(new)
    assert run(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("definitions: valid (3 files: 1 teams, 1 schedules, 1 escalation policies, 1 services, ")
    assert "1 slos, 2 monitors)" in out
    assert err == ""  # lint-clean: not even a warning
    assert run(["plan", "--target", "sandbox"]) == 0
    assert "Plan: " in capsys.readouterr().out
    assert (new / "plans" / "latest.plan.json").exists()


def test_init_refuses_to_overwrite(bare: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["init", "x"]) == 0
    (bare / "x" / "README.md").write_text("mine\n", encoding="utf-8")
    capsys.readouterr()
    assert run(["init", "x"]) == 1
    err = capsys.readouterr().err
    assert (
        "already exist; nothing was written" in err
        and ".gitignore, .pre-commit-config.yaml, README.md, alertc.yaml" in err
    )
    assert (bare / "x" / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_init_maps_dot_prefixed_template_paths() -> None:
    paths = {str(p) for p in template_files()}
    assert ".gitignore" in paths and "alertc.yaml" in paths
    assert not any(part.startswith("dot-") for p in paths for part in p.split("/"))


def test_version_is_single_sourced(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out == f"alertc, version {__version__}\n"
    assert version("alertc") == __version__


def test_committed_project_schema_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run(["schema", "project", "--check"]) == 0


def test_banner_config_is_an_apply_post_step_from_the_planned_definitions(
    bare: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan holds no banner configuration; apply writes it only from the definitions the plan was made from
    (from other definitions, it applies nothing at all: the plan is not this checkout's)."""
    edited = bare / "edited"
    shutil.copytree(ROOT / "definitions", edited)
    monitors = edited / "monitors.yaml"
    monitors.write_text(monitors.read_text(encoding="utf-8").replace("critical: 3,", "critical: 4,"), encoding="utf-8")
    assert run(["plan", "--target", "sandbox", "-d", str(ROOT / "definitions")]) == 0
    assert "banner_config" not in json.loads((bare / "plans" / "latest.plan.json").read_text(encoding="utf-8"))
    capsys.readouterr()
    config = bare / "banner-config.json"
    args = ["apply", "--target", "sandbox", "plans/latest.plan.json", "--banner-config", str(config)]
    assert run([*args, "-d", str(edited)]) == 1
    assert "this plan was made from definitions with digest" in capsys.readouterr().err
    assert not config.exists()
    assert run([*args, "-d", str(ROOT / "definitions")]) == 0
    assert json.loads(config.read_text(encoding="utf-8"))["services"]
