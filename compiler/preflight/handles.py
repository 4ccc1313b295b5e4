"""Datadog handles of referenced status services: every ``datadog_handle`` must exist in Datadog.

A dependency that references an existing PagerDuty service (``pagerduty_service``) is driven through the
handle Datadog's PagerDuty integration already has for it (``datadog_handle``): the service object maps
that name to the service's integration key, and alertc owns neither. A monitor naming a handle Datadog
does not know is accepted by Datadog and then notifies nobody, so no banner ever shows: plan must fail
first, naming the handle.

Datadog's PagerDuty service objects have no list endpoint in the typed client (the legacy bulk
``GET /api/v1/integration/pagerduty`` is not a ``PagerDutyIntegrationApi`` method), so each handle is
read by name, as the service-object kind reads its own (``compiler/kinds/datadog``). Read-only.

The embedded sandbox gets what an administrator wired on a real account, unowned: the referenced
service (seeded by ``compiler.preflight.services``, which runs first) carries a Datadog-vendor
integration, and Datadog's PagerDuty integration a service object of the handle's name holding its key.
"""

from __future__ import annotations

from functools import partial

from compiler.compile.pagerduty import DATADOG_VENDOR_ID
from compiler.definitions import Definitions
from compiler.errors import PlanError
from compiler.kinds.datadog.pagerduty_service_object import KIND as SERVICE_OBJECT
from compiler.live import Session
from compiler.preflight.inputs import PlanInputs
from compiler.providers.datadog import request_body


def referenced_handles(definitions: Definitions) -> dict[str, str]:
    """Datadog handle name (``datadog_handle``) → the banner key it drives, in definition order."""
    return {dep.datadog_handle: dep.key for dep in definitions.dependencies if dep.datadog_handle is not None}


def missing_handles(session: Session, names: list[str]) -> list[str]:
    """The names among ``names`` Datadog's PagerDuty integration has no service object for (404)."""
    api = session.datadog.pagerduty
    missing = []
    for name in names:
        found = session.datadog.get_or_none(
            SERVICE_OBJECT,
            lambda n=name: api.get_pager_duty_integration_service(n),  # type: ignore[misc]
            what=f"get PagerDuty service object {name}",
        )
        if found is None:
            missing.append(name)
    return missing


def check(inputs: PlanInputs) -> None:
    """Every ``datadog_handle`` exists in Datadog's PagerDuty integration, else a PlanError naming each."""
    handles = referenced_handles(inputs.definitions)
    missing = missing_handles(inputs.session, list(handles))
    if missing:
        listed = ", ".join(f"'{name}' (banner key '{handles[name]}')" for name in missing)
        raise PlanError(
            f"datadog_handle(s) not found in Datadog's PagerDuty integration: {listed}\n"
            "  hint: a monitor notifying an unknown @pagerduty- handle notifies nobody, so the banner never shows; "
            "write the service_name exactly as the integration tile lists it (Integrations → PagerDuty → Services)"
        )


def seed_embedded(definitions: Definitions, session: Session) -> list[str]:
    """Give every ``datadog_handle`` the sandbox lacks a service object reaching its referenced service.

    Run after the services' seed (the service must exist). Returns the handle names seeded.
    """
    wanted = {
        dep.datadog_handle: dep.pagerduty_service
        for dep in definitions.dependencies
        if dep.datadog_handle is not None and dep.pagerduty_service is not None
    }
    api = session.datadog.pagerduty
    seeded = missing_handles(session, list(wanted))
    for name in seeded:
        key = _datadog_integration_key(session, wanted[name])
        create = partial(
            api.create_pager_duty_integration_service, body=request_body({"service_name": name, "service_key": key})
        )
        session.datadog.call(SERVICE_OBJECT, create, idempotent=False, what=f"seed PagerDuty service object {name}")
    return seeded


def _datadog_integration_key(session: Session, service_id: str) -> str:
    """The integration key of the service's Datadog-vendor integration, adding one (unowned) if it has none."""
    client = session.pagerduty.client
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
