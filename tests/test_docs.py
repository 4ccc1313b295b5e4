"""The process document says what the definitions say."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from compiler.definitions import load_definitions
from compiler.definitions import models as m
from compiler.docs import render_process_doc

ROOT = Path(__file__).resolve().parents[1]


def _doc() -> str:
    definitions = load_definitions(ROOT / "definitions").definitions
    assert definitions is not None
    return render_process_doc(definitions)


def test_document_is_deterministic() -> None:
    assert _doc() == _doc()


def test_document_states_the_process() -> None:
    lines = _doc().splitlines()
    assert "| Severity 1 (sev1) | more than 1,000 | 1h | pages the on-call | 24x7 |" in lines
    assert "| tier1 (production) | P1 | P2 | P3 |" in lines
    assert "- P1 requires a declared incident." in lines
    assert (
        "- OCTO Identity: alerts go to #va-identity-alerts; during an incident post a status update in "
        "#identity-support every 30m until it is resolved." in lines
    )
    assert "- Coverage over the first four weeks: complete." in lines
    assert "| SiS Success Rate (Staging) | < 50 over 15m | sev3, P3 | channel | - |" in lines


def test_banner_matrix_keeps_the_methods_apart() -> None:
    lines = _doc().splitlines()
    assert "| Auth method | dslogon | global | idme | logingov | mhv | mvi | sis | ssoe |" in lines
    assert "| Sign-in Service (oauth=true) | yes | maintenance | yes | yes | yes | yes | yes |  |" in lines
    assert "| SSOe (oauth=false) | yes | maintenance | yes | yes | yes | yes |  | yes |" in lines


def test_each_banner_key_names_its_status_service_and_the_handle_that_drives_it() -> None:
    lines = _doc().splitlines()
    assert "| idme | existing PagerDuty service PVWB4R8 | `@pagerduty-placeholder-external-idme` |" in lines
    assert (
        "| global | existing PagerDuty service PLPSIB0 | no monitor (windows and incidents opened by hand) |" in lines
    )
    assert "| ssoe | External: SSOe (managed by alertc) | `@pagerduty-status-ssoe` |" in lines


def _example_doc(name: str) -> list[str]:
    definitions = load_definitions(ROOT / "examples" / name).definitions
    assert definitions is not None
    return render_process_doc(definitions).splitlines()


def test_a_qualitative_ladder_renders_impact_and_a_matrix_by_severity() -> None:
    lines = _example_doc("officeluv")
    assert (
        "| Critical (critical) | prevents customer operations | Severity 1. Impairs and prevents customer operations "
        "and/or affects our bottom line | Customers cannot log in; Customers cannot purchase; We cannot bill our "
        "customers | All hands on deck, immediately | 15m | pages the on-call | 24x7 |" in lines
    )
    assert "| Tier | Critical | Moderate | Low |" in lines
    assert "| production (production) | P1 | P2 | P3 |" in lines
    runbook = "[runbook](https://wiki.example.com/officeluv/runbooks/web)"
    assert f"| Customers cannot log in | > 20 over 10m | critical, P1 | page | {runbook} |" in lines


def test_roles_running_log_and_the_situation_report_questions_are_rendered() -> None:
    lines = _example_doc("officeluv")
    assert (
        "| Marketing/Communications (`communications`) | one or more people | marketing | Communicates out to "
        "external users; Works closely with the Incident Commander |" in lines
    )
    assert (
        lines[lines.index("## Situation report") + 2]
        == "Every declared incident gets a situation report once it is resolved."
    )
    start = lines.index("It answers:") + 2
    questions = lines[start : lines.index("", start)]
    assert questions[0] == "1. What was the incident that was reported?"
    assert questions[-1] == "8. How were they impacted?" and len(questions) == 8
    assert any(line.startswith("- #sitrep is the running log:") for line in lines)


def test_the_feature_map_and_postmortem_triggers_are_rendered() -> None:
    lines = _example_doc("va-mobile")
    assert "| Claims | `evss` (External: EVSS, PagerDuty PZKWB6Y) |" in lines
    assert (
        "| Push Notifications | `vetext` (Mobile: VEText, managed by alertc), `vanotify` (Mobile: VANotify, managed "
        "by alertc) |" in lines
    )
    assert (
        "Notify the Product Owner and write a postmortem report once the incident is resolved if any of these holds:"
        in lines
    )
    assert "- It requires an out-of-band deployment" in lines


def test_the_identity_process_names_its_incident_commander_and_postmortem() -> None:
    lines = _doc().splitlines()
    row = next(line for line in lines if line.startswith("| Incident Commander (`incident-commander`)"))
    assert row.startswith(
        "| Incident Commander (`incident-commander`) — commander | exactly one person; by default whoever declares "
        "the incident | anyone on the team | Sets the incident's severity"
    )
    assert "Every declared incident gets a postmortem once it is resolved." in lines
    assert "The Incident Commander writes it and sends it to the stakeholders." in lines


def test_each_escalation_policy_names_its_pagerduty_team() -> None:
    lines = _doc().splitlines()
    heading = lines.index("### Escalation policy OCTO Identity")
    assert lines[heading + 2] == "PagerDuty team: existing team P8F5Y90; the policy's services belong to it."


@pytest.mark.parametrize(
    ("existing", "line"),
    [
        (m.ExistingPagerDutyTeam(name="VA Identity"), "existing team VA Identity"),
        (None, "identity (created by alertc)"),
    ],
)
def test_a_policy_names_the_team_it_joins_or_the_one_alertc_creates(
    existing: m.ExistingPagerDutyTeam | None, line: str
) -> None:
    definitions = load_definitions(ROOT / "definitions").definitions
    assert definitions is not None
    teams = [t.model_copy(update={"pagerduty_team": existing}) for t in definitions.teams]
    lines = render_process_doc(dataclasses.replace(definitions, teams=teams)).splitlines()
    assert f"PagerDuty team: {line}; the policy's services belong to it." in lines
