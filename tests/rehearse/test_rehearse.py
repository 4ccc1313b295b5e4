"""``alertc rehearse``: the example's SSOe outage played on a fresh embedded sandbox, as the team would live it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.cli import run
from compiler.rehearse.play import Rehearsal
from compiler.rehearse.report import render_markdown, render_text
from tests.diagrams.test_diagrams import parse_mermaid
from tests.rehearse.playing import play

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "definitions" / "tests" / "ssoe.alertc-test.yaml"
ESCALATION = "unacknowledged-page-escalates-after-30-minutes"


@pytest.fixture(scope="module")
def rehearsal() -> Iterator[Rehearsal]:
    yield play(SCENARIO, ESCALATION)


def test_the_timeline_shows_the_page_the_prompt_the_escalation_and_the_recovery(rehearsal: Rehearsal) -> None:
    lines = render_text(rehearsal).splitlines()
    assert lines[0].startswith(f"Rehearsal '{ESCALATION}' on target 'sandbox' (0m = 2026-03-10T03:00:00-04:00")
    body = [re.sub(r"\s+", " ", line.strip()) for line in lines[2:]]
    expected = [
        "17m ssoe-success-rate: OK → ALERT (value 46.67) → Slack #va-identity-alerts → @pagerduty-ssoe, "
        "@pagerduty-status-ssoe",
        "17m PagerDuty ssoe #1: triggered (high urgency) — [Triggered] [SSOe] SSOe Success Rate per CSP",
        "17m page identity-engineer-2@example.com (high urgency) via OCTO Identity - SSOe #1: triggered",
        "17m banner for 'ssoe' users: none → ssoe",
        "47m page identity-lead@example.com (high urgency) via OCTO Identity - SSOe #1: escalated to level 2",
        "1h08m PagerDuty ssoe #1: resolved",
        "1h08m banner for 'ssoe' users: ssoe → none",
    ]
    for line in expected:
        assert line in body, "\n".join(body)
    prompt = next(line for line in body if "declare an incident now" in line)
    assert prompt.startswith("32m ssoe-success-rate: ALERT (re-notification)")  # 15 minutes after the alert
    assert not any("'sis' users" in line for line in body)  # Sign-in Service users never see a banner
    assert body.index(expected[3]) < body.index(expected[4]) < body.index(expected[5])


def test_the_markdown_report_has_the_table_and_a_sequence_diagram(rehearsal: Rehearsal) -> None:
    text = render_markdown(rehearsal)
    assert text.startswith(f"# Rehearsal '{ESCALATION}'")
    assert (
        "| 47m | page identity-lead@example.com (high urgency) via OCTO Identity - SSOe #1: escalated to level 2 |"
        in text
    )
    [diagram] = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    assert diagram.startswith("sequenceDiagram\n  participant n_datadog as Datadog monitors\n")
    assert "  n_pagerduty->>n_identity_lead_example_com: 47m high urgency page  escalated to level 2\n" in diagram
    assert "  n_banner->>n_users: 17m ssoe users see ssoe\n" in diagram


@pytest.mark.mermaid
def test_the_reports_mermaid_block_parses(rehearsal: Rehearsal, tmp_path: Path) -> None:
    report = tmp_path / "rehearsal.md"
    report.write_text(render_markdown(rehearsal), encoding="utf-8")
    done = parse_mermaid(report)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sequence ok" in done.stdout


def test_a_scenario_naming_an_unknown_monitor_is_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "s.alertc-test.yaml"
    scenario.write_text(
        "tests:\n  - name: x\n    expect:\n      - at: 1m\n        monitors: {no-such-monitor: ok}\n", encoding="utf-8"
    )
    code = run(["rehearse", str(scenario), "-d", str(ROOT / "definitions")])
    _, err = capsys.readouterr()
    assert code == 1
    assert "s.alertc-test.yaml:5:" in err and "no-such-monitor" in err


def test_a_target_that_is_not_a_sandbox_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rehearsal pages people: a live target (here one whose URL answers nothing) is refused before any write."""
    for name in ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN"):
        monkeypatch.setenv(name, "x" * 32)
    monkeypatch.setenv("PAGERDUTY_FROM", "someone@example.com")
    nowhere = "https://127.0.0.1:9"
    code = run(
        [
            "rehearse",
            str(SCENARIO),
            "--run",
            ESCALATION,
            "-d",
            str(ROOT / "definitions"),
            "--target",
            "production",
            "--datadog-url",
            nowhere,
            "--pagerduty-url",
            nowhere,
        ]
    )
    _, err = capsys.readouterr()
    assert code == 1
    assert "does not answer as an alertc sandbox" in err and "runs only against a sandbox" in err
    assert "x" * 32 not in err
