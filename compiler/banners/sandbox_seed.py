"""Sandbox seeding: the existing PagerDuty services a definitions set references by id.

A real account already has the services a dependency names with
``pagerduty_service`` (VA's ``global`` service is PLPSIB0, issue 12); the
sandbox starts empty, so ``plan`` on a fresh clone would fail its
"referenced id exists" check. As the embedded sandbox's people are seeded
"as SSO would" (``engine.seed_embedded_people``), these services are seeded
as an account administrator would have made them: **unowned** (no alertc
marks, so alertc never changes or deletes them), named as alertc would name
the status service, on an unowned escalation policy, with exactly the ids the
definitions reference.

PagerDuty's API assigns ids itself, so the service is created through the
API and its id rewritten through the sandbox's admin state endpoint
(``GET``/``PUT /_sandbox/state``) — which exists only in the sandbox, so this
can never touch a real account. It is only ever called for the sandbox.

A dependency that also names the Datadog handle of its service
(``datadog_handle``) is driven through it, so the account has that too: the
service carries a Datadog-vendor integration and Datadog's PagerDuty
integration a service object of that name holding its integration key — both
unowned, as an administrator wired them (:func:`seed_referenced_handles`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pagerduty

from compiler.banners.handles import missing_handles
from compiler.compile.banners import status_service_name
from compiler.compile.pagerduty import DATADOG_VENDOR_ID
from compiler.definitions.loader import Definitions
from compiler.kinds.datadog.pagerduty_service_object import KIND as SERVICE_OBJECT
from compiler.live import Session
from compiler.providers.datadog import request_body

SEED_POLICY_NAME = "Sandbox seed: existing services"
SEED_DESCRIPTION = (
    "Sandbox seed: stands for an existing PagerDuty service the definitions reference by id "
    "(pagerduty_service); not managed by alertc."
)
ADMIN_STATE = "/_sandbox/state"
SERVICE_KIND = "pd_service"


def _exists(client: pagerduty.RestApiV2Client, service_id: str) -> bool:
    try:
        client.rget(f"services/{service_id}")
    except pagerduty.Error as exc:
        if getattr(getattr(exc, "response", None), "status_code", None) == 404:
            return False
        raise
    return True


def _seed_policy(client: pagerduty.RestApiV2Client) -> str:
    for policy in client.list_all("escalation_policies", params={"query": SEED_POLICY_NAME}):
        if policy.get("name") == SEED_POLICY_NAME:
            return str(policy["id"])
    users = client.list_all("users", params={"query": client.default_from})
    owner = next(u for u in users if str(u.get("email", "")).lower() == str(client.default_from).lower())
    created = client.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": SEED_POLICY_NAME,
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 30, "targets": [{"id": owner["id"], "type": "user_reference"}]}
                ],
            }
        },
    )
    return str(created["id"])


def seed_referenced_services(client: pagerduty.RestApiV2Client, definitions: Definitions) -> list[str]:
    """Create every referenced service the sandbox lacks, with its referenced id; returns the ids seeded."""
    wanted = {
        dep.pagerduty_service: status_service_name(dep, definitions.banners)
        for dep in definitions.dependencies
        if dep.pagerduty_service is not None
    }
    missing = {service_id: name for service_id, name in wanted.items() if not _exists(client, service_id)}
    if not missing:
        return []
    policy = _seed_policy(client)
    renames: dict[str, str] = {}
    for service_id, name in sorted(missing.items()):
        created = client.rpost(
            "services",
            json={
                "service": {
                    "type": "service",
                    "name": name,
                    "description": SEED_DESCRIPTION,
                    "escalation_policy": {"id": policy, "type": "escalation_policy_reference"},
                }
            },
        )
        renames[str(created["id"])] = service_id
    response = client.get(ADMIN_STATE)
    response.raise_for_status()
    state: dict[str, Any] = response.json()
    for obj in state["objects"]:
        if obj["kind"] == SERVICE_KIND and obj["id"] in renames:
            obj["id"] = obj["body"]["id"] = renames[obj["id"]]
    client.put(ADMIN_STATE, json=state).raise_for_status()
    return sorted(missing)


def _datadog_integration_key(client: pagerduty.RestApiV2Client, service_id: str) -> str:
    """The integration key of the service's Datadog-vendor integration, adding one (unowned) if it has none."""
    service = client.rget(f"services/{service_id}", params={"include[]": ["integrations"]})
    for item in service.get("integrations") or []:
        integration = client.rget(f"services/{service_id}/integrations/{item['id']}")
        if (integration.get("vendor") or {}).get("id") == DATADOG_VENDOR_ID:
            return str(integration["integration_key"])
    created = client.rpost(
        f"services/{service_id}/integrations",
        json={
            "integration": {
                "type": "generic_events_api_inbound_integration",
                "name": "Datadog",
                "service": {"id": service_id, "type": "service_reference"},
                "vendor": {"id": DATADOG_VENDOR_ID, "type": "vendor_reference"},
            }
        },
    )
    return str(created["integration_key"])


def seed_referenced_handles(session: Session, definitions: Definitions) -> list[str]:
    """Give every ``datadog_handle`` the sandbox lacks a service object reaching its referenced service.

    Run after :func:`seed_referenced_services` (the service must exist). Returns the handle names seeded.
    """
    wanted = {
        dep.datadog_handle: dep.pagerduty_service
        for dep in definitions.dependencies
        if dep.datadog_handle is not None and dep.pagerduty_service is not None
    }
    api = session.datadog.pagerduty
    seeded = missing_handles(session, list(wanted))
    for name in seeded:
        key = _datadog_integration_key(session.pagerduty.client, wanted[name])
        create = partial(
            api.create_pager_duty_integration_service, body=request_body({"service_name": name, "service_key": key})
        )
        session.datadog.call(SERVICE_OBJECT, create, idempotent=False, what=f"seed PagerDuty service object {name}")
    return seeded
