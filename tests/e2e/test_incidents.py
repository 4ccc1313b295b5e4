"""Datadog Incidents as code (issue 17, item 1): planned, applied, converged, and drift-checked like every kind.

The identity example's incident half: notification rules that tell #identity-support when an incident is
declared, changes while open, and is resolved, each sending its own template, and the process's postmortem
template. A colleague's edit of a rule in the Datadog UI shows in drift and is repaired by the next plan.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from datadog_api_client.v2.api.incidents_api import IncidentsApi

from tests.e2e.conftest import EXAMPLES, PINNED_NOW, World

OPS = (
    "list_incident_notification_rules",
    "create_incident_notification_rule",
    "update_incident_notification_rule",
    "list_incident_postmortem_templates",
    "delete_incident_postmortem_template",
)


def _incidents(world: World) -> tuple[Any, IncidentsApi]:
    client = world.datadog()
    for op in OPS:
        client.configuration.unstable_operations[op] = True
    return client, IncidentsApi(client)


def _rule_sending(api: IncidentsApi, trigger: str, *, state: str | None = None) -> dict[str, Any]:
    for rule in api.list_incident_notification_rules().to_dict()["data"]:
        attributes = rule["attributes"]
        states = [c["values"] for c in attributes["conditions"] if c["field"] == "state"]
        if attributes["trigger"] == trigger and (state is None or any(state in v for v in states)):
            return dict(rule)
    raise AssertionError(f"no rule with trigger {trigger}")


def test_plan_shows_the_incident_configuration_and_apply_converges(world: World) -> None:
    planned = world.plan("--detailed-exitcode")
    assert planned.code == 2, planned.err
    lines = planned.out.splitlines()
    for event in ("declared", "open", "resolved"):
        assert f"+ datadog incident notification rule identity.{event}" in lines
        assert any(line.startswith(f"+ datadog incident notification template identity.{event}") for line in lines)
    assert (
        '+ datadog incident postmortem template octo-identity-incident-response  "OCTO Identity incident response: '
        'Postmortem"' in lines
    )
    assert '    + handles = ["@slack-identity-support"]' in lines
    assert '    + renotify_on = ["severity", "state", "status"]' in lines
    assert '    + notification_template = "(known after apply)"' in lines
    assert world.apply().code == 0
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.out
    assert "No changes." in again.out


def test_out_of_band_rule_edit_is_drift_and_plan_repairs_it(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    client, api = _incidents(world)
    with client:
        rule = _rule_sending(api, "incident_created_trigger")
        attributes = {k: v for k, v in rule["attributes"].items() if k not in ("created", "modified")}
        attributes["handles"] = ["@slack-identity-support", "@slack-someone-elses-channel"]
        body = {
            "data": {
                "id": uuid.UUID(rule["id"]),
                "type": "incident_notification_rules",
                "attributes": attributes,
                "relationships": {
                    "notification_template": {
                        "data": {
                            "id": uuid.UUID(rule["relationships"]["notification_template"]["data"]["id"]),
                            "type": "notification_templates",
                        }
                    }
                },
            }
        }
        api.update_incident_notification_rule(uuid.UUID(rule["id"]), body=body)  # type: ignore[arg-type]

    drift = world.alertc("drift", "-d", str(EXAMPLES))
    assert drift.code == 2, drift.err
    lines = drift.out.splitlines()
    assert any(
        line.startswith(f"! datadog:incident_notification_rule/identity.declared (id {rule['id']}): changed")
        for line in lines
    ), drift.out
    # a rule keeps no digest (no field to keep it in), so drift cannot say who changed it; it shows what changed
    assert lines[lines.index("    ~ handles = [") + 2].strip() == '- "@slack-someone-elses-channel"', drift.out
    # the account's own two PagerDuty teams, and what it has for the example's references (the team it joins,
    # 6 services, the Datadog integrations of the 5 driven ones, their escalation policy)
    assert "Drift: 1 object(s) differ; 15 unmanaged." in lines

    repair = world.plan("--detailed-exitcode")
    assert repair.code == 2
    assert repair.out.splitlines()[-1] == "Plan: 0 to create, 1 to update, 0 to delete."
    assert f"~ datadog incident notification rule identity.declared (id {rule['id']})" in repair.out
    assert world.apply().code == 0
    assert world.alertc("drift", "-d", str(EXAMPLES)).code == 0


def test_deleted_postmortem_template_is_drift(world: World) -> None:
    assert world.plan().code == 0
    assert world.apply().code == 0
    client, api = _incidents(world)
    with client:
        (template,) = api.list_incident_postmortem_templates().to_dict()["data"]
        assert template["attributes"]["name"].startswith("OCTO Identity incident response: Postmortem — Managed by")
        api.delete_incident_postmortem_template(template["id"])
    drift = world.alertc("drift", "-d", str(EXAMPLES))
    assert drift.code == 2
    assert (
        "! datadog:incident_postmortem_template/octo-identity-incident-response: missing, deleted outside alertc, "
        "or not yet applied" in drift.out.splitlines()
    )


def test_a_second_rule_sending_alertc_template_is_a_duplicate_deleted_by_the_next_plan(world: World) -> None:
    """Two rules sending one template announce every incident twice (issue 27): the second is a duplicate
    under the template's key, reported by drift and deleted by plan; the rule apply created is kept."""
    assert world.plan().code == 0
    assert world.apply().code == 0
    client, api = _incidents(world)
    with client:
        original = _rule_sending(api, "incident_created_trigger")
        template = original["relationships"]["notification_template"]["data"]["id"]
        copy = {
            "data": {
                "type": "incident_notification_rules",
                "attributes": {"trigger": "incident_created_trigger", "conditions": [], "handles": ["@slack-copy"]},
                "relationships": {
                    "notification_template": {"data": {"id": uuid.UUID(template), "type": "notification_templates"}}
                },
            }
        }
        world.handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW) + dt.timedelta(minutes=5))  # made later
        copied = api.create_incident_notification_rule(body=copy).to_dict()["data"]["id"]  # type: ignore[arg-type]
        world.handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW))
    drift = world.alertc("drift", "-d", str(EXAMPLES))
    assert drift.code == 2
    assert f"a second object with the same ownership key (alertc keeps id {original['id']})" in drift.out
    planned = world.plan("--detailed-exitcode")
    assert planned.code == 2
    assert f"(id {copied}), a duplicate of id {original['id']}" in planned.out, planned.out
    assert world.apply().code == 0
    with client:
        rules = {r["id"] for r in api.list_incident_notification_rules().to_dict()["data"]}
    assert original["id"] in rules and copied not in rules
    assert world.plan("--detailed-exitcode").code == 0


def test_creating_a_rule_reads_its_templates_not_the_whole_account(world: World) -> None:
    """Apply looks for a rule's key just before creating it, and again once the rules are created (a racing
    apply may have made one too); rules have no read by key, so each look lists rules and the templates they
    send. It used to re-read every kind (a full account read per rule)."""
    assert world.plan().code == 0
    seen: list[str] = []

    def observe(req: Any, _resp: Any) -> None:
        if req.method == "GET":
            seen.append(req.path)

    world.handle.observe(observe)
    applied = world.apply()
    world.handle.observe(None)
    assert applied.code == 0, applied.err
    # apply's read, then for each of the three rules one look before its create and one after
    assert seen.count("/api/v2/incidents/config/notification-rules") == 7
    for unrelated in ("/users", "/api/v2/services/definitions", "/api/v1/integration/pagerduty"):
        assert seen.count(unrelated) == 1, unrelated  # apply's own read of the account only
