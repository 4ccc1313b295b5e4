"""Process lint: each rule fires on a bad set with exactly this finding, and not on the good base set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from compiler.cli import run
from compiler.process_lint import RULES, explain
from tests.definitions.base_set import SERVICE, TEAM, write_set

NOW = "2026-11-23T00:00:00+00:00"  # a Monday


@dataclass
class Case:
    rule: str
    files: dict[str, str | bytes | None]
    expected: list[str]
    exit_code: int = 1


CASES = [
    Case(
        "P101",
        {"service.yaml": SERVICE.replace("    runbook: https://example.com/runbooks/api-errors\n", "")},
        [
            "case/service.yaml:9:11: [P101] monitor 'api-errors' pages but has no runbook",
            "  hint: add runbook: to the monitor or to service 'api'",
        ],
    ),
    Case(
        "P102",
        {"service.yaml": SERVICE.replace("    pagerduty: {escalation_policy: web-escalation}\n", "")},
        [
            "case/service.yaml:2:11: [P102] service 'api' has paging monitors (e.g. 'api-errors') but no pagerduty "
            "routing",
            "  hint: add pagerduty: {escalation_policy: <policy>} to the service",
        ],
    ),
    Case(
        "P103",
        {
            "team.yaml": TEAM.replace(
                "members: [a@example.com, b@example.com]}",
                "members: [a@example.com, b@example.com],\n"
                '         restrictions: [{type: weekly, start_day: mon, start_time: "00:00", duration: 167h}]}',
            )
        },
        [
            "case/service.yaml:7:36: [P103] service 'api' can page, but escalation policy 'web-escalation' has "
            "nobody on call 2026-11-29T18:00:00-05:00 to 2026-11-29T19:00:00-05:00 (1 h, America/New_York) "
            "and 3 more gap(s)",
            "  hint: cover every minute: extend the schedule layers or add a user target as the last rule",
        ],
    ),
    Case(
        "P104",
        {
            "service.yaml": SERVICE.replace(
                "    severity: sev1\n", "    severity: sev1\n    impact: {users_per_hour: 10}\n"
            )
        },
        [
            "case/service.yaml:16:15: warning: [P104] monitor 'api-errors' says sev1, but its impact "
            "(10 users/hour (declared impact)) rates sev2",
            "  hint: sev2 applies above 0 users/hour",
        ],
        exit_code=0,
    ),
    Case(
        "P105",
        {"slo.yaml": None},
        ["case/service.yaml:2:11: warning: [P105] production service 'api' has no SLO", "  hint: add an SLO for it"],
        exit_code=0,
    ),
    Case(
        "P106",
        {"team.yaml": TEAM.replace("      - delay: 30m", "      - delay: 45m")},
        [
            "case/team.yaml:18:16: [P106] escalation policy 'web-escalation' waits 45m before escalating, longer "
            "than the acknowledgement target of 30m",
            "  hint: set the first rule's delay to 30m or less",
        ],
    ),
    Case(
        "P108",
        {"service.yaml": SERVICE + "    notify: {channels: ['#api-alrts']}\n"},
        [
            "case/service.yaml:18:25: warning: [P108] monitor 'api-errors' notifies #api-alrts, which is not a "
            "team's channel",
            "  hint: team channels: #web-alerts, #web-incidents",
        ],
        exit_code=0,
    ),
    Case(
        "P107",
        {"service.yaml": SERVICE + "    notify: {handles: ['@pagerduty-payments']}\n"},
        [
            "case/service.yaml:18:24: [P107] monitor 'api-errors' notifies @pagerduty-payments, which is not a "
            "defined PagerDuty service",
            "  hint: paging services: @pagerduty-api",
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule_fires_with_exact_finding(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case", case.files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    code = run(["validate", "-d", "case"])
    _, err = capsys.readouterr()
    lines = err.splitlines()
    if case.exit_code == 1:
        assert lines[-1] == "1 error; nothing was applied."
        lines = lines[:-1]
    assert code == case.exit_code
    assert lines == case.expected


def test_every_rule_has_a_case_and_an_explanation() -> None:
    assert {c.rule for c in CASES} == set(RULES)
    for rule_id in RULES:
        text = explain(rule_id.lower())
        assert text.startswith(f"{rule_id} (") and "Fix:" in text


def test_good_set_and_examples_are_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", NOW)
    assert run(["validate", "-d", "case"]) == 0
    assert run(["validate", "-d", str(Path(__file__).resolve().parents[1] / "definitions")]) == 0
    assert capsys.readouterr().err == ""
