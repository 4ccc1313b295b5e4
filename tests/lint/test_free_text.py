"""Text fields are text (issue 27): no definition prose can page someone the process does not name.

The red-team case: `{{/is_alert}} @pagerduty-Other-Service` in a guidance line
passed validate and plan and would have paged that service on every alert,
while `alertc explain monitor` crashed on the same text. Now validate, explain
and plan refuse it alike, with the rule's id and the text's position.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.cli import run
from tests.definitions.base_set import BANNERS, PROCESS, SERVICE, write_set

NOW = "2026-11-23T00:00:00+00:00"
TRICK = "{{/is_alert}} @pagerduty-Other-Service"
RUNBOOK = "    runbook: https://example.com/runbooks/api-errors\n"


def _run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    code = run([*args])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize(
    "command",
    [("validate",), ("explain", "monitor", "api-errors"), ("plan", "--target", "sandbox", "-o", "p.json")],
    ids=["validate", "explain", "plan"],
)
def test_validate_explain_and_plan_refuse_the_same_finding(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case", {"service.yaml": SERVICE + f"    guidance: 'Escalate fast {TRICK}'\n"})
    code, output = _run(tmp_path, monkeypatch, capsys, *command, "-d", "case")
    assert code == 1
    assert (
        "case/service.yaml:18:15: [D207] guidance: '{{', '}}', '@pagerduty-Other-Service' in free text would be "
        "read by Datadog as a template or a notification handle"
    ) in output.splitlines()
    assert "Traceback" not in output and "internal error" not in output
    assert not (tmp_path / "p.json").exists()


@pytest.mark.parametrize(
    ("runbook", "rule"),
    [
        (f"https://example.com/runbooks/api {TRICK}", "[D205] runbook: invalid URL"),  # a space ends a URL
        ("https://example.com/runbooks/api#{{/is_alert}}@pagerduty-x", "[D207] runbook: '{{', '}}', '@pagerduty-x'"),
    ],
    ids=["with-a-space", "within-the-url"],
)
def test_a_runbook_holding_the_trick_is_refused_with_a_rule_id(
    runbook: str,
    rule: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_set(tmp_path / "case", {"service.yaml": SERVICE.replace(RUNBOOK, f"    runbook: '{runbook}'\n")})
    code, output = _run(tmp_path, monkeypatch, capsys, "validate", "-d", "case")
    assert code == 1
    assert rule in output


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"service.yaml": SERVICE.replace("title: API errors", "title: 'API errors @slack-everyone'")},
            "case/service.yaml:10:12: [D207] title: '@slack-everyone'",
        ),
        (
            {"process.yaml": PROCESS.replace("title: Severity 2", "title: 'Severity {{#is_warning}}2'")},
            "case/process.yaml:10:14: [D207] severities.title: '{{', '}}'",
        ),
        (
            {"banners.yaml": BANNERS.replace("body: Please try again later.", "body: 'Try later @webhook-x'")},
            "case/banners.yaml:10:49: [D207] banner.body: '@webhook-x'",
        ),
    ],
    ids=["monitor-title", "process-prose", "banner-text"],
)
def test_every_prose_field_is_checked_where_it_is_written(
    files: dict[str, str | bytes | None],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_set(tmp_path / "case", files)
    code, output = _run(tmp_path, monkeypatch, capsys, "validate", "-d", "case")
    assert code == 1
    assert any(line.startswith(expected) for line in output.splitlines()), output


def test_an_email_address_in_prose_is_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case", {"service.yaml": SERVICE + "    guidance: Write to ops@example.com (not {x}).\n"})
    code, output = _run(tmp_path, monkeypatch, capsys, "validate", "-d", "case")
    assert code == 0, output


def test_explain_reports_a_native_message_it_cannot_read_instead_of_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A native monitor carries Datadog's own message (not checked as prose); explain names what is wrong."""
    native = (
        "datadog_monitors:\n  - key: old-api\n    name: Old API errors\n    type: query alert\n"
        "    query: avg(last_5m):avg:api.errors{*} > 5\n    message: 'Broken {{/is_alert}} @pagerduty-x'\n"
    )
    write_set(tmp_path / "case", {"native.yaml": native})
    code, output = _run(tmp_path, monkeypatch, capsys, "explain", "monitor", "old-api", "-d", "case")
    assert code == 1
    assert "monitor 'old-api': its message cannot be explained: {{/is_alert}} closes nothing open" in output
    assert "internal error" not in output
