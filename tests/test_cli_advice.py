"""The CLI's advice where issue 26 found it wrong or missing: the target of ``apply PLAN``, drift's summary,
the embedded sandbox's people, old time-zone names and a Slack channel YAML read as a comment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compiler.cli import run
from compiler.drift import DriftReport
from compiler.outputs.classes import MarkdownOutput, TextOutput
from compiler.plan import Conflict
from compiler.plan_file import load_plan
from tests.test_cli import NO_CREDENTIALS

ROOT = Path(__file__).resolve().parents[1]
SCAFFOLD = ROOT / "compiler" / "scaffold" / "files" / "definitions"
PRODUCTION = """\
default_target: production
targets:
  production:
    type: live
    datadog: {site: datadoghq.com, api_key_env: DD_API_KEY, app_key_env: DD_APP_KEY}
    pagerduty: {url: https://api.pagerduty.com, token_env: PAGERDUTY_TOKEN, from_env: PAGERDUTY_FROM}
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scaffold's definitions under a project file whose default target is production (no keys set), in CI."""
    for name in NO_CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")
    monkeypatch.setenv("CI", "true")
    (tmp_path / ".git").mkdir()
    (tmp_path / "alertc.yaml").write_text(PRODUCTION, encoding="utf-8")
    shutil.copytree(SCAFFOLD, tmp_path / "definitions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_apply_takes_the_target_from_the_plan(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plan", "--target", "sandbox", "-o", "plans/p.json"]) == 0
    assert load_plan(project / "plans" / "p.json").target["name"] == "sandbox"
    capsys.readouterr()
    assert run(["apply", "plans/p.json"]) == 0  # no --target: the plan's, not the project's default (production)
    out, err = capsys.readouterr()
    assert "alertc apply to target 'sandbox'" in out + err and "Apply: 19 applied, 0 failed" in out + err
    assert run(["plan", "--target", "sandbox", "--detailed-exitcode", "-o", "plans/q.json"]) == 0  # it is applied


def test_apply_refuses_a_target_that_disagrees_with_the_plan(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plan", "--target", "sandbox", "-o", "plans/p.json"]) == 0
    capsys.readouterr()
    assert run(["apply", "--target", "production", "plans/p.json"]) == 1
    err = capsys.readouterr().err
    assert "this plan was made for target 'sandbox', not for the selected target 'production'" in err
    assert "hint: apply takes the plan's target: drop --target" in err
    assert "nothing was applied" in err


def test_drift_on_a_fresh_sandbox_does_not_send_people_to_pagerduty(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["drift", "--target", "sandbox", "-d", str(ROOT / "definitions")]) == 1  # people not in the sandbox
    err = capsys.readouterr().err
    assert "add the people to PagerDuty" not in err
    assert "hint: the embedded sandbox has only the people a plan added: run 'alertc plan --target sandbox'" in err


def test_drift_never_says_no_drift_above_a_conflict() -> None:
    conflict = Conflict("datadog:monitor/api-errors", "77", "[API] API errors")
    report = DriftReport("2026-11-22T12:00:00+00:00", {"name": "production"}, conflicts=[conflict])
    text = TextOutput().drift(report)
    assert "No drift" not in text
    assert "! conflict: datadog:monitor/api-errors" in text
    assert text.rstrip().endswith("Drift: 0 object(s) differ; 0 unmanaged; 1 conflict(s).")
    assert "No drift" not in MarkdownOutput().drift(report)


def _validate_with(project: Path, file: str, old: str, new: str, capsys: pytest.CaptureFixture[str]) -> str:
    path = project / "definitions" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert run(["validate"]) == 1
    return capsys.readouterr().err


def test_an_old_time_zone_name_gets_the_current_one(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _validate_with(project, "process.yaml", "time_zone: America/New_York", "time_zone: US/Eastern", capsys)
    assert "time zone 'US/Eastern' is not accepted by PagerDuty" in err
    assert "hint: did you mean 'America/New_York'?\n" in err


def test_an_unquoted_slack_channel_is_named_as_a_yaml_comment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = 'slack: {alerts: "#web-alerts", incidents: "#web-incidents"}'
    new = 'slack:\n      alerts: #web-alerts\n      incidents: "#web-incidents"'
    err = _validate_with(project, "team.yaml", old, new, capsys)
    assert "definitions/team.yaml:7:14: [D205] slack.alerts: Slack channel is empty: YAML read an unquoted" in err
    assert "None" not in err
    assert "hint: quote the channel, e.g. \"#web-alerts\": in YAML a '#' after a space starts a comment" in err
