"""pdpyras (PagerDuty's REST/Events client, deprecated but widely used) against the sandbox.

Expected answers: PagerDuty's API reference (developer.pagerduty.com, "Update a Service", "Update an
Incident", "Send an Event", pagination) and pdpyras' documentation of its helpers (`iter_all`, `rput`'s partial
update of the fields given, `persist`), plus the api-schema examples in tests/fixtures/recordings/pagerduty.
"""

from __future__ import annotations

from collections.abc import Iterator

import pdpyras
import pytest

from compiler.sandbox import SandboxHandle

LISTED = ("services", "escalation_policies", "schedules", "users", "teams", "priorities", "vendors", "incidents")


@pytest.fixture(scope="module")
def session(sandbox: SandboxHandle) -> Iterator[pdpyras.APISession]:
    s = pdpyras.APISession(sandbox.credentials["pagerduty_token"], default_from=sandbox.credentials["pagerduty_from"])
    s.url = sandbox.pagerduty_url
    s.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides `verify`
    s.verify = str(sandbox.ca_file)
    s.sleep_timer = 0.01
    yield s
    s.close()


@pytest.fixture(scope="module")
def policy(session: pdpyras.APISession) -> dict:
    user = session.find("users", "alice@example.com", attribute="email")
    rule = {"escalation_delay_in_minutes": 10, "targets": [{"id": user["id"], "type": "user_reference"}]}
    return session.rpost(
        "escalation_policies", json={"type": "escalation_policy", "name": "pdpyras policy", "escalation_rules": [rule]}
    )


def test_iter_all_over_every_listed_kind(session: pdpyras.APISession, policy: dict) -> None:
    """Classic pagination (`limit`, `offset`, `more`) on every list endpoint; `iter_all` follows it to the end."""
    for i in range(3):
        session.rpost("services", json={"type": "service", "name": f"paged {i}", "escalation_policy": _ref(policy)})
    for kind in LISTED:
        items = list(session.iter_all(kind, params={"limit": 2}))
        assert all("id" in item for item in items), kind
    assert len([s for s in session.iter_all("services", params={"limit": 2}) if s["name"].startswith("paged")]) == 3
    assert session.rget("services", params={"total": "true", "limit": 1}) is not None
    assert session.find("priorities", "P1")["name"] == "P1"


def _ref(obj: dict) -> dict:
    return {"id": obj["id"], "type": f"{obj['type']}_reference"}


def test_service_crud_with_partial_update(session: pdpyras.APISession, policy: dict) -> None:
    """`rput` sends only the fields given ({"service": {"description": "x"}}); PagerDuty keeps the rest."""
    svc = session.rpost(
        "services", json={"type": "service", "name": "pdpyras service", "escalation_policy": _ref(policy)}
    )
    assert svc["status"] == "active" and svc["auto_resolve_timeout"] == 14400
    updated = session.rput(svc, json={"description": "only the description"})
    assert updated["description"] == "only the description" and updated["name"] == "pdpyras service"
    assert updated["escalation_policy"]["id"] == policy["id"]
    assert session.rget(svc)["description"] == "only the description"
    disabled = session.rput(svc, json={"status": "disabled"})
    assert disabled["status"] == "disabled"
    session.rdelete(svc)
    with pytest.raises(pdpyras.PDClientError) as exc:
        session.rget(svc)
    assert exc.value.response.status_code == 404


def test_escalation_policy_and_schedule_crud_with_partial_updates(session: pdpyras.APISession) -> None:
    user = session.find("users", "bob@example.com", attribute="email")
    layer = {
        "start": "2026-03-01T00:00:00Z",
        "rotation_virtual_start": "2026-03-01T00:00:00Z",
        "rotation_turn_length_seconds": 86400,
        "users": [{"user": {"id": user["id"], "type": "user_reference"}}],
    }
    schedule = session.rpost(
        "schedules",
        json={"type": "schedule", "name": "pdpyras schedule", "time_zone": "Etc/UTC", "schedule_layers": [layer]},
    )
    renamed = session.rput(schedule, json={"name": "pdpyras schedule renamed"})
    assert renamed["name"] == "pdpyras schedule renamed" and len(renamed["schedule_layers"]) == 1
    rule = {"escalation_delay_in_minutes": 5, "targets": [{"id": schedule["id"], "type": "schedule_reference"}]}
    ep = session.rpost(
        "escalation_policies", json={"type": "escalation_policy", "name": "ep crud", "escalation_rules": [rule]}
    )
    described = session.rput(ep, json={"description": "kept rules"})
    assert (
        described["description"] == "kept rules"
        and described["escalation_rules"][0]["targets"][0]["id"] == schedule["id"]
    )
    found = session.persist("escalation_policies", "name", {"name": "ep crud", "num_loops": 2}, update=True)
    assert found["id"] == ep["id"] and found["num_loops"] == 2
    session.rdelete(ep)
    session.rdelete(schedule)


def test_events_v2_and_incident_status_updates(
    sandbox: SandboxHandle, session: pdpyras.APISession, policy: dict
) -> None:
    """Events API v2 trigger/acknowledge/resolve drive an incident; "Update an Incident" (PUT /incidents/{id},
    with `From`) acknowledges and resolves through REST, one at a time and in bulk (PUT /incidents)."""
    svc = session.rpost(
        "services", json={"type": "service", "name": "events service", "escalation_policy": _ref(policy)}
    )
    integration = session.rpost(
        f"services/{svc['id']}/integrations", json={"type": "events_api_v2_inbound_integration", "name": "events"}
    )
    events = pdpyras.EventsAPISession(integration["integration_key"])
    events.url = sandbox.events_url
    events.trust_env = False
    events.verify = str(sandbox.ca_file)
    key = events.trigger("disk full", "host-1", severity="critical")
    incident = next(i for i in session.iter_all("incidents") if i["incident_key"] == key)
    assert incident["status"] == "triggered" and session.rget(svc)["status"] == "critical"
    events.acknowledge(key)
    assert session.rget(incident)["status"] == "acknowledged"
    events.resolve(key)
    assert session.rget(incident)["status"] == "resolved"

    key = events.trigger("cpu", "host-2")
    second = next(i for i in session.iter_all("incidents") if i["incident_key"] == key)
    acked = session.rput(second, json={"type": "incident_reference", "status": "acknowledged"})
    assert acked["status"] == "acknowledged"
    resolved = session.rput(
        "incidents", json=[{"id": second["id"], "type": "incident_reference", "status": "resolved"}]
    )
    assert [i["status"] for i in resolved] == ["resolved"]
    with pytest.raises(pdpyras.PDClientError) as exc:
        session.rput(second, json={"type": "incident_reference", "status": "acknowledged"})
    assert exc.value.response.status_code == 400  # a resolved incident cannot be reopened
