"""REST paths and wrapper names of the PagerDuty kinds alertc writes.

Integrations live under their service (``/services/{id}/integrations``), so
their paths need the service id from the body's ``service`` reference.
"""

from __future__ import annotations

from typing import Any

_COLLECTIONS = {
    "schedule": "schedules",
    "escalation_policy": "escalation_policies",
    "service": "services",
    "maintenance_window": "maintenance_windows",
}


def entity_name(kind: str) -> str:
    return kind


def _service_id(body: dict[str, Any]) -> str:
    service = body.get("service")
    if not isinstance(service, dict) or not service.get("id"):
        raise ValueError("an integration body needs its service reference")
    return str(service["id"])


def collection_path(kind: str, body: dict[str, Any]) -> str:
    if kind == "integration":
        return f"services/{_service_id(body)}/integrations"
    return _COLLECTIONS[kind]


def item_path(kind: str, live_id: str, body: dict[str, Any]) -> str:
    return f"{collection_path(kind, body)}/{live_id}"
