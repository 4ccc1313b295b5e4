"""The sandbox reads request bodies the way the real services do (compiler/sandbox/README.md, "The principle").

Sent raw, not through datadog-api-client: that client refuses read-only attributes before sending, while
exported JSON, peer tools and the legacy `datadog` library send them, and Datadog answers 200.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from compiler.sandbox import SandboxHandle
from tests.sandbox.http import dd_headers, pd_headers, send

# A monitor as Datadog's UI exports it ("Export monitor" JSON): server fields (`id`, `multi`, `created`,
# `overall_state`, `creator`, `org_id`, ...), `null` in optional fields, and the UI's threshold keys on a
# log alert (`comparison`, `period`, `timeAggregator`), which Datadog stores and returns.
EXPORTED = {
    "id": 98765432,
    "name": "Checkout errors are high",
    "type": "log alert",
    "query": 'logs("service:checkout status:error").index("*").rollup("count").last("5m") > 100',
    "message": "Errors on checkout. @pagerduty-checkout",
    "tags": ["team:checkout", "env:prod"],
    "options": {
        "thresholds": {
            "critical": 100,
            "comparison": ">",
            "period": {
                "name": "5 minute average",
                "value": "last_5m",
                "text": "5 minutes",
                "unit": "minutes",
                "digit": 5,
                "seconds": 300,
                "tpl": "{{value}} {{unit}}",
            },
            "timeAggregator": "avg",
        },
        "enable_logs_sample": True,
        "notify_audit": False,
        "on_missing_data": "default",
        "include_tags": True,
        "threshold_windows": None,
        "renotify_interval": None,
        "groupby_simple_monitor": False,
        "silenced": {},
    },
    "priority": None,
    "restricted_roles": None,
    "multi": True,
    "created": "2021-03-04T05:06:07.000000+00:00",
    "created_at": 1614834367000,
    "modified": "2023-01-02T03:04:05.000000+00:00",
    "overall_state": "Alert",
    "overall_state_modified": "2023-01-02T03:04:05+00:00",
    "creator": {"name": "Someone", "handle": "someone@example.com", "email": "someone@example.com", "id": 7},
    "org_id": 4242,
    "deleted": None,
    "matching_downtimes": [],
}


def _post(sb: SandboxHandle, path: str, body: Any, method: str = "POST") -> tuple[int, Any]:
    answer = send(sb, method, path, json.dumps(body).encode(), dd_headers(sb))
    return answer.status, answer.json() if answer.raw else None


def test_an_exported_monitor_is_accepted_and_server_fields_stay_the_servers(sandbox: SandboxHandle) -> None:
    status, created = _post(sandbox, "/api/v1/monitor", EXPORTED)
    assert status == 200, created
    assert created["id"] != EXPORTED["id"]
    assert created["multi"] is False  # computed from the query (no group by), not the sent `true`
    assert created["overall_state"] == "No Data" and created["created"] != EXPORTED["created"]
    assert created["org_id"] != EXPORTED["org_id"] and created["creator"] != EXPORTED["creator"]
    assert created["deleted"] is None and created["restricted_roles"] is None
    thresholds = created["options"]["thresholds"]
    assert thresholds["comparison"] == ">" and thresholds["timeAggregator"] == "avg"  # stored as sent
    assert thresholds["period"] == EXPORTED["options"]["thresholds"]["period"]  # type: ignore[index]
    assert "threshold_windows" not in created["options"]  # null read as absent
    read = send(sandbox, "GET", f"/api/v1/monitor/{created['id']}", None, dd_headers(sandbox)).json()
    assert read["id"] == created["id"] and read["multi"] is False and read["created"] == created["created"]
    assert read["options"]["thresholds"] == thresholds


def test_read_only_fields_in_an_update_are_ignored_not_stored(sandbox: SandboxHandle) -> None:
    body = copy.deepcopy(EXPORTED)
    body["name"] = "update target"
    _, created = _post(sandbox, "/api/v1/monitor", body)
    sent = {**created, "id": 1, "multi": True, "overall_state": "Alert", "created": "2000-01-01T00:00:00+00:00"}
    sent["message"] = "changed"
    status, updated = _post(sandbox, f"/api/v1/monitor/{created['id']}", sent, method="PUT")
    assert status == 200, updated
    assert updated["id"] == created["id"] and updated["multi"] is False and updated["message"] == "changed"
    assert updated["created"] == created["created"] and updated["overall_state"] == "No Data"


def test_null_in_a_field_the_spec_does_not_make_nullable_means_absent(sandbox: SandboxHandle) -> None:
    """`dog monitor update ID QUERY` sends name, message, tags and options as null; Datadog keeps them."""
    body = copy.deepcopy(EXPORTED)
    body["name"] = "kept through nulls"
    _, created = _post(sandbox, "/api/v1/monitor", body)
    nulls = {"query": created["query"], "name": None, "message": None, "tags": None, "options": None}
    status, updated = _post(sandbox, f"/api/v1/monitor/{created['id']}", nulls, method="PUT")
    assert status == 200, updated
    assert updated["name"] == created["name"] and updated["message"] == created["message"]
    assert updated["tags"] == created["tags"] and updated["options"] == created["options"]


def test_null_in_a_nullable_field_is_a_value(sandbox: SandboxHandle) -> None:
    """The recorded `test_edit_a_monitor`: `priority: null` clears the priority."""
    body = copy.deepcopy(EXPORTED)
    body.update(name="priority cleared", priority=3)
    _, created = _post(sandbox, "/api/v1/monitor", body)
    assert created["priority"] == 3
    _, updated = _post(sandbox, f"/api/v1/monitor/{created['id']}", {"priority": None}, method="PUT")
    assert updated["priority"] is None


def test_a_real_rejection_stays_a_rejection(sandbox: SandboxHandle) -> None:
    """Reading requests leniently must not accept what Datadog refuses: an unknown monitor type, a string
    where the spec wants a number."""
    status, answer = _post(sandbox, "/api/v1/monitor", {**EXPORTED, "type": "no such type"})
    assert status == 400 and answer["errors"]
    bad_threshold = copy.deepcopy(EXPORTED)
    bad_threshold["options"]["thresholds"]["critical"] = "high"  # type: ignore[index]
    status, answer = _post(sandbox, "/api/v1/monitor", bad_threshold)
    assert status == 400 and answer["errors"]


def test_an_slo_put_with_its_id_is_accepted(sandbox: SandboxHandle) -> None:
    slo = {
        "name": "exported slo",
        "type": "metric",
        "thresholds": [{"timeframe": "7d", "target": 99.0, "target_display": "99."}],
        "query": {"numerator": "sum:ok{*}.as_count()", "denominator": "sum:all{*}.as_count()"},
    }
    status, created = _post(sandbox, "/api/v1/slo", slo)
    assert status == 200, created
    slo_id = created["data"][0]["id"]
    sent = {**created["data"][0], "id": "0" * 32, "description": "now described"}
    status, updated = _post(sandbox, f"/api/v1/slo/{slo_id}", sent, method="PUT")
    assert status == 200, updated
    assert updated["data"][0]["id"] == slo_id and updated["data"][0]["description"] == "now described"


def test_a_service_definition_may_be_posted_as_yaml(sandbox: SandboxHandle) -> None:
    """Infrastructure-as-code tools post the YAML document with a JSON content type (Terraform cassette
    TestAccDatadogServiceDefinition_Basic); Datadog reads it."""
    doc = b'schema-version: v2.2\ndd-service: yaml-posted\nteam: "payments"\ntags:\n  - "env:prod"\n'
    answer = send(sandbox, "POST", "/api/v2/services/definitions", doc, dd_headers(sandbox))
    assert answer.status == 200, answer.raw
    assert answer.json()["data"][0]["attributes"]["schema"]["team"] == "payments"


def test_pagerduty_nulls_stay_values(sandbox: SandboxHandle) -> None:
    """PagerDuty reads every null as a value ("any field may be null unless required"): a null description
    clears it."""
    headers = pd_headers(sandbox)
    policies = send(sandbox, "GET", "/escalation_policies", None, headers).json()["escalation_policies"]
    ep = policies[0] if policies else None
    if ep is None:
        user = send(sandbox, "GET", "/users", None, headers).json()["users"][0]
        rule = {"escalation_delay_in_minutes": 5, "targets": [{"id": user["id"], "type": "user_reference"}]}
        body = {"escalation_policy": {"name": "null test", "type": "escalation_policy", "escalation_rules": [rule]}}
        ep = send(sandbox, "POST", "/escalation_policies", json.dumps(body).encode(), headers).json()
        ep = ep["escalation_policy"]
    policy = {"id": ep["id"], "type": "escalation_policy_reference"}
    body = {"service": {"type": "service", "name": "null description", "description": "x", "escalation_policy": policy}}
    svc = send(sandbox, "POST", "/services", json.dumps(body).encode(), headers).json()["service"]
    cleared = {"service": {"description": None}}
    answer = send(sandbox, "PUT", f"/services/{svc['id']}", json.dumps(cleared).encode(), headers)
    assert answer.status == 200, answer.raw
    assert answer.json()["service"]["description"] is None
