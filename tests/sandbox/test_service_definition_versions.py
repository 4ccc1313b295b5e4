"""Service definitions keep what Datadog keeps: each schema version round-trips with the fields it
was sent with, v2 is served as v2.1 on request (as the recorded GET shows), and backstage.io
entities are accepted."""

from __future__ import annotations

from typing import Any

from compiler.sandbox import SandboxHandle
from tests.sandbox.test_incident_config import _call

BASE = "/api/v2/services/definitions"
V2: dict[str, Any] = {
    "schema-version": "v2",
    "dd-service": "legacy-v2",
    "dd-team": "my-team",
    "contacts": [{"name": "Team Email", "type": "email", "contact": "team@example.com"}],
    "docs": [{"name": "Architecture", "provider": "google drive", "url": "https://gdrive/mydoc"}],
    "repos": [{"name": "Source Code", "provider": "GitHub", "url": "https://github.com/example/x"}],
    "links": [{"name": "Runbook", "type": "runbook", "url": "https://my-runbook"}],
    "tags": ["my:tag"],
    "integrations": {"pagerduty": "https://my-org.pagerduty.com/service-directory/PMyService"},
    "extensions": {"myorgextension": "extensionvalue"},
}


def _schema(sandbox: SandboxHandle, name: str, query: str = "") -> dict[str, Any]:
    status, body = _call(sandbox, "GET", f"{BASE}/{name}{query}")
    assert status == 200
    return dict(body["data"]["attributes"]["schema"])


def test_v2_round_trips_with_every_field(sandbox: SandboxHandle) -> None:
    status, body = _call(sandbox, "POST", BASE, V2)
    assert status == 200
    assert body["data"][0]["attributes"]["meta"]["ingested-schema-version"] == "v2"
    assert _schema(sandbox, "legacy-v2") == V2


def test_v2_served_as_v21_on_request(sandbox: SandboxHandle) -> None:
    _call(sandbox, "POST", BASE, V2)
    schema = _schema(sandbox, "legacy-v2", "?schema_version=v2.1")
    assert schema["schema-version"] == "v2.1" and schema["team"] == "my-team"
    assert {(link["name"], link["type"]) for link in schema["links"]} == {
        ("Runbook", "runbook"),
        ("Source Code", "repo"),
        ("Architecture", "doc"),
    }
    assert schema["integrations"]["pagerduty"] == {"service-url": V2["integrations"]["pagerduty"]}
    assert "docs" not in schema and "dd-team" not in schema


def test_v21_keeps_its_version_and_fields(sandbox: SandboxHandle) -> None:
    doc = {**V2, "schema-version": "v2.1", "dd-service": "svc-v21", "application": "app", "tier": "1"}
    for key in ("docs", "repos", "dd-team"):
        doc.pop(key)
    doc["team"] = "my-team"
    doc["integrations"] = {"pagerduty": {"service-url": V2["integrations"]["pagerduty"]}}
    assert _call(sandbox, "POST", BASE, doc)[0] == 200
    assert _schema(sandbox, "svc-v21") == doc


def test_backstage_entity_is_accepted(sandbox: SandboxHandle) -> None:
    entity = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": {"name": "shopping-cart", "tags": ["python"]},
        "spec": {"type": "service", "lifecycle": "production", "owner": "team-a"},
    }
    status, _ = _call(sandbox, "POST", BASE, entity)
    assert status == 200
    assert _schema(sandbox, "shopping-cart") == entity
