"""Incident configuration endpoints (v2): types, notification rules and templates, postmortem
templates — life cycle, defaults and validation; every response is checked against the v2 spec
by the autouse `schema_checked` fixture."""

from __future__ import annotations

import json
from typing import Any

import urllib3

from compiler.sandbox import SandboxHandle, client_context


def _call(handle: SandboxHandle, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    assert handle.ca_file is not None
    pool = urllib3.PoolManager(ssl_context=client_context(handle.ca_file), retries=False)
    headers = {
        "DD-API-KEY": handle.credentials["datadog_api_key"],
        "DD-APPLICATION-KEY": handle.credentials["datadog_app_key"],
        "Content-Type": "application/json",
    }
    r = pool.request(method, handle.datadog_url + path, headers=headers, body=json.dumps(body) if body else None)
    return r.status, json.loads(r.data) if r.data else None


TYPES = "/api/v2/incidents/config/types"


def _type(sandbox: SandboxHandle) -> str:
    status, body = _call(
        sandbox, "POST", TYPES, {"data": {"type": "incident_types", "attributes": {"name": "Security Incident"}}}
    )
    assert status == 201
    attrs = body["data"]["attributes"]
    assert attrs["prefix"] == "IR" and attrs["is_default"] is False and "createdAt" in attrs
    assert body["data"]["relationships"]["zoom_configuration"] == {"data": None}
    return str(body["data"]["id"])


def test_notification_rule_lifecycle(sandbox: SandboxHandle) -> None:
    type_id = _type(sandbox)
    rule = {
        "data": {
            "type": "incident_notification_rules",
            "attributes": {
                "conditions": [{"field": "severity", "values": ["SEV-1"]}],
                "handles": ["@team-sre"],
                "trigger": "incident_created_trigger",
            },
            "relationships": {"incident_type": {"data": {"id": type_id, "type": "incident_types"}}},
        }
    }
    status, created = _call(sandbox, "POST", "/api/v2/incidents/config/notification-rules", rule)
    assert status == 201
    attrs = created["data"]["attributes"]
    assert attrs["renotify_on"] == [] and attrs["visibility"] == "organization"
    rule_id = created["data"]["id"]
    path = f"/api/v2/incidents/config/notification-rules/{rule_id}"
    rule["data"]["attributes"]["handles"] = ["@team-security"]
    rule["data"]["id"] = rule_id
    status, updated = _call(sandbox, "PUT", path, rule)
    assert status == 200 and updated["data"]["attributes"]["handles"] == ["@team-security"]
    status, listed = _call(sandbox, "GET", "/api/v2/incidents/config/notification-rules")
    assert status == 200 and rule_id in [r["id"] for r in listed["data"]]
    assert _call(sandbox, "DELETE", path)[0] == 204
    assert _call(sandbox, "GET", path)[0] == 404


def test_templates_and_postmortem_templates(sandbox: SandboxHandle) -> None:
    template = {
        "data": {
            "type": "notification_templates",
            "attributes": {"name": "sev2", "subject": "SEV-2", "content": "declared", "category": "alert"},
        }
    }
    status, created = _call(sandbox, "POST", "/api/v2/incidents/config/notification-templates", template)
    assert status == 201 and created["data"]["attributes"]["subject"] == "SEV-2"
    tid = created["data"]["id"]
    status, patched = _call(
        sandbox,
        "PATCH",
        f"/api/v2/incidents/config/notification-templates/{tid}",
        {"data": {"id": tid, "type": "notification_templates", "attributes": {"subject": "SEV-1"}}},
    )
    assert status == 200 and patched["data"]["attributes"]["content"] == "declared"
    status, pm = _call(
        sandbox,
        "POST",
        "/api/v2/incidents/config/postmortem-templates",
        {"data": {"type": "postmortem_template", "attributes": {"name": "Standard postmortem"}}},
    )
    assert status == 201 and pm["data"]["attributes"]["name"] == "Standard postmortem"
    assert _call(sandbox, "DELETE", f"/api/v2/incidents/config/postmortem-templates/{pm['data']['id']}")[0] == 204


def test_validation(sandbox: SandboxHandle) -> None:
    missing = {"data": {"type": "notification_templates", "attributes": {"name": "x"}}}
    assert _call(sandbox, "POST", "/api/v2/incidents/config/notification-templates", missing)[0] == 400
    wrong_type = {"data": {"type": "incident_types", "attributes": {"name": "x"}}}
    assert _call(sandbox, "POST", "/api/v2/incidents/config/postmortem-templates", wrong_type)[0] == 400
    dangling = {
        "data": {
            "type": "incident_notification_rules",
            "attributes": {"conditions": [], "handles": ["@a"], "trigger": "incident_created_trigger"},
            "relationships": {
                "incident_type": {"data": {"id": "00000000-0000-0000-0000-000000000000", "type": "incident_types"}}
            },
        }
    }
    assert _call(sandbox, "POST", "/api/v2/incidents/config/notification-rules", dangling)[0] == 404
