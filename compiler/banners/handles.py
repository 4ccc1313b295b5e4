"""Plan's check that every referenced status service's Datadog handle exists.

A dependency that references an existing PagerDuty service (``pagerduty_service``) is driven through the
handle Datadog's PagerDuty integration already has for it (``datadog_handle``): the service object maps
that name to the service's integration key, and alertc owns neither. A monitor naming a handle Datadog
does not know is accepted by Datadog and then notifies nobody, so no banner ever shows: plan must fail
first, naming the handle.

Datadog's PagerDuty service objects have no list endpoint in the typed client (the legacy bulk
``GET /api/v1/integration/pagerduty`` is not a ``PagerDutyIntegrationApi`` method), so each handle is
read by name, as the service-object kind reads its own (``compiler/kinds/datadog``). Read-only.
"""

from __future__ import annotations

from compiler.definitions.loader import Definitions
from compiler.errors import PlanError
from compiler.kinds.datadog.pagerduty_service_object import KIND as SERVICE_OBJECT
from compiler.live import Session


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


def check_referenced_handles(definitions: Definitions, session: Session) -> None:
    """Every ``datadog_handle`` exists in Datadog's PagerDuty integration, else a PlanError naming each."""
    handles = referenced_handles(definitions)
    missing = missing_handles(session, list(handles))
    if missing:
        listed = ", ".join(f"'{name}' (banner key '{handles[name]}')" for name in missing)
        raise PlanError(
            f"datadog_handle(s) not found in Datadog's PagerDuty integration: {listed}\n"
            "  hint: a monitor notifying an unknown @pagerduty- handle notifies nobody, so the banner never shows; "
            "write the service_name exactly as the integration tile lists it (Integrations → PagerDuty → Services)"
        )
