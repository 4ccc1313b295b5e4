"""The process's incident half compiles to notification rules, their templates and a postmortem template.

The small base set (one team, #web-incidents, no incident severities) and variants of it: which rules exist
for which ``status_update_reminder``, what each rule matches and sends, what the postmortem asks, and what the
process document says about what Datadog cannot do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.compile import compile_definitions
from compiler.compile.incidents import incident_notifications_doc, unexpressible
from compiler.definitions import Definitions, load_definitions
from compiler.resources import Resource
from tests.definitions.base_set import PROCESS, TEAM, write_set

SEVERITIES = """\
  incident_severities:
    - {name: SEV-1, description: Total outage}
    - {name: SEV-2, description: Partial outage}
"""
SECOND_TEAM = """\
  - name: payments
    title: Payments
    slack: {alerts: "#pay-alerts", incidents: "#pay-incidents", account: acme}
    members:
      - {email: p@example.com, name: P}
"""


def _process(reminder: str | None = None, *, severities: bool = False) -> str:
    text = PROCESS
    if reminder is not None:
        text = text.replace(
            "  status_update_every: 30m\n", f"  status_update_every: 30m\n  status_update_reminder: {reminder}\n"
        )
    return text + (SEVERITIES if severities else "")


def _load(tmp_path: Path, files: dict[str, str | bytes | None]) -> Definitions:
    write_set(tmp_path / "case", files)
    loaded = load_definitions(tmp_path / "case")
    assert loaded.definitions is not None, [f.render() for f in loaded.findings]
    return loaded.definitions


def _incident_resources(d: Definitions) -> dict[str, Resource]:
    return {r.address: r for r in compile_definitions(d).resources if r.kind.startswith("incident_")}


def test_without_a_reminder_a_team_gets_declared_and_resolved_notices_and_the_process_a_postmortem(
    tmp_path: Path,
) -> None:
    compiled = _incident_resources(_load(tmp_path, {}))
    assert sorted(compiled) == [
        "datadog:incident_notification_rule/web.declared",
        "datadog:incident_notification_rule/web.resolved",
        "datadog:incident_notification_template/web.declared",
        "datadog:incident_notification_template/web.resolved",
        "datadog:incident_postmortem_template/test-process",
    ]
    declared = compiled["datadog:incident_notification_rule/web.declared"]
    assert declared.body == {
        "trigger": "incident_created_trigger",
        "conditions": [{"field": "teams", "values": ["web"]}],
        "handles": ["@slack-web-incidents"],
        "renotify_on": [],
        "enabled": True,
        "visibility": "organization",
        "notification_template": "${datadog:incident_notification_template/web.declared}",
    }
    assert declared.depends_on == ("datadog:incident_notification_template/web.declared",)
    resolved = compiled["datadog:incident_notification_rule/web.resolved"].body
    assert (resolved["trigger"], resolved["conditions"]) == (
        "incident_saved_trigger",
        [{"field": "teams", "values": ["web"]}, {"field": "state", "values": ["resolved"]}],
    )
    template = compiled["datadog:incident_notification_template/web.resolved"].body
    assert template["category"] == "alert"
    assert "Write the postmortem from the template 'Test process: Postmortem'." in template["content"]


@pytest.mark.parametrize("reminder", ["timer", "on_change"])
def test_a_reminder_compiles_to_renotification_on_change_of_the_open_incident(tmp_path: Path, reminder: str) -> None:
    compiled = _incident_resources(_load(tmp_path, {"process.yaml": _process(reminder, severities=True)}))
    rule = compiled["datadog:incident_notification_rule/web.open"].body
    assert rule["trigger"] == "incident_saved_trigger"
    assert rule["conditions"] == [
        {"field": "severity", "values": ["SEV-1", "SEV-2"]},
        {"field": "teams", "values": ["web"]},
        {"field": "state", "values": ["active", "stable"]},
    ]
    assert rule["renotify_on"] == ["severity", "state", "status"]
    assert "datadog:incident_notification_template/web.open" in compiled


def test_declaration_notice_explains_the_severities_and_the_update_cadence(tmp_path: Path) -> None:
    compiled = _incident_resources(_load(tmp_path, {"process.yaml": _process(severities=True)}))
    content = compiled["datadog:incident_notification_template/web.declared"].body["content"]
    assert "- SEV-1: Total outage\n- SEV-2: Partial outage" in content
    assert "posts a status update in #web-incidents at least every 30m" in content


def test_several_teams_scope_their_rules_by_the_incident_teams_field(tmp_path: Path) -> None:
    d = _load(tmp_path, {"team.yaml": TEAM.replace("schedules:\n", SECOND_TEAM + "schedules:\n")})
    compiled = _incident_resources(d)
    payments = compiled["datadog:incident_notification_rule/payments.declared"].body
    assert payments["conditions"] == [{"field": "teams", "values": ["payments"]}]
    assert payments["handles"] == ["@slack-acme-pay-incidents"]
    assert compiled["datadog:incident_notification_rule/web.declared"].body["conditions"] == [
        {"field": "teams", "values": ["web"]}
    ]


def test_postmortem_is_generated_from_the_process(tmp_path: Path) -> None:
    compiled = _incident_resources(_load(tmp_path, {}))
    body = compiled["datadog:incident_postmortem_template/test-process"].body
    assert body["name"] == "Test process: Postmortem"
    content = body["content"]
    assert "- Severity 1: sev1\n- Severity 2: sev2" in content
    assert "- Acknowledged within 30m?" in content
    assert "- P1 requires a declared incident: was it declared, and when?" in content
    assert "- Status updates at least every 30m while open?" in content


def test_only_a_timer_is_unexpressible_and_the_document_says_so(tmp_path: Path) -> None:
    timer = _load(tmp_path / "a", {"process.yaml": _process("timer")})
    on_change = _load(tmp_path / "b", {"process.yaml": _process("on_change")})
    assert timer.process is not None and on_change.process is not None
    assert [g.field for g in unexpressible(timer.process, timer.teams)] == ["status_update_reminder"]
    assert unexpressible(on_change.process, on_change.teams) == []
    timer_doc = incident_notifications_doc(timer.process, timer.teams)
    assert any(
        line.startswith("- Not expressible: the process asks Datadog to notify #web-incidents every 30m")
        for line in timer_doc
    )
    assert (
        "- Datadog cannot notify on a timer: the status update every 30m while an incident is open is the incident "
        "commander's duty." in incident_notifications_doc(on_change.process, on_change.teams)
    )


def _example(name: str) -> Definitions:
    loaded = load_definitions(Path(__file__).resolve().parents[2] / "examples" / name)
    assert loaded.definitions is not None
    return loaded.definitions


def test_officeluv_postmortem_is_its_situation_report_and_notices_go_to_the_running_log() -> None:
    compiled = _incident_resources(_example("officeluv"))
    (postmortem,) = [r for r in compiled.values() if r.kind == "incident_postmortem_template"]
    assert postmortem.body["name"].endswith(": Situation report")
    content = postmortem.body["content"]
    assert "Written and sent by the Incident Commander." in content
    assert "## 1. What was the incident that was reported?" in content
    assert "## 8. How were they impacted?" in content
    assert "## Summary" not in content  # the process's own questions replace the generated sections
    declared = next(r for a, r in compiled.items() if a.startswith(f"datadog:{'incident_notification_rule'}/"))
    assert "@slack-sitrep" in declared.body["handles"]
    template = next(r for r in compiled.values() if r.key.endswith(".declared") and "content" in r.body)
    assert "Log every action in #sitrep: it is the incident's running log." in template.body["content"]
    assert "- Incident Commander (one person): The primary decision-maker in the incident;" in template.body["content"]
    resolved = compiled["datadog:incident_notification_template/engineering.resolved"].body["content"]
    assert resolved.endswith("Stakeholders: the Incident Commander emails the situation report to stakeholders.")


def test_va_mobile_postmortem_names_its_triggers_who_to_tell_and_where_to_file_it() -> None:
    compiled = _incident_resources(_example("va-mobile"))
    (postmortem,) = [r for r in compiled.values() if r.kind == "incident_postmortem_template"]
    content = postmortem.body["content"]
    assert "## Why a postmortem is owed (any one suffices)" in content
    assert "- It requires an out-of-band deployment" in content
    assert (
        "File it in https://github.com/department-of-veterans-affairs/va.gov-team-sensitive/tree/master/Postmortems."
        in content
    )


@pytest.mark.parametrize(
    ("directory", "handle"),
    [("definitions", "identity"), ("examples/va-mobile", "va-mobile"), ("examples/officeluv", "engineering")],
)
def test_every_examples_incident_rules_carry_its_datadog_team(directory: str, handle: str) -> None:
    """Issue 25: with one team the rules had no team condition, so in a shared organisation every team's incident
    reached this team's channel. Now each rule matches the team's Datadog team handle (``datadog_team``)."""
    loaded = load_definitions(Path(__file__).resolve().parents[2] / directory)
    assert loaded.definitions is not None
    rules = [r for r in _incident_resources(loaded.definitions).values() if r.kind == "incident_notification_rule"]
    assert rules
    for rule in rules:
        assert {"field": "teams", "values": [handle]} in rule.body["conditions"], rule.key


def test_a_team_without_datadog_team_matches_its_name(tmp_path: Path) -> None:
    compiled = _incident_resources(_load(tmp_path, {}))
    assert {"field": "teams", "values": ["web"]} in compiled["datadog:incident_notification_rule/web.declared"].body[
        "conditions"
    ]
