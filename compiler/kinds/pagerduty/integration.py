"""PagerDuty integrations (Datadog's, vendor PAM4FGS, and email) under their service; owned when it is."""

from __future__ import annotations

from typing import Any

from compiler.kinds.base import Clients, ResourceKind
from compiler.kinds.pagerduty.common import PagerDutyKind
from compiler.providers.normalize import pagerduty as pd
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject

DATADOG_VENDOR_ID = "PAM4FGS"


class Integration(PagerDutyKind):
    """No list endpoint: read from ``service.integrations``; match by vendor id, never by type (§2.2).

    ``integration_key`` is missing from list responses: ``read_field`` reads it with the integration's GET.
    """

    kind = "integration"
    api_paths = ("/services/{id}/integrations", "/services/{id}/integrations/{integration_id}")
    ownership = OwnershipStyle(mode="inherited", parent="pagerduty:service")
    depends_on = ("pagerduty:service",)
    listed_by = "pagerduty:service"
    # The service kind (its mark says whose a service, and so its integrations, are); set by its module,
    # which imports this one.
    service_kind: ResourceKind | None = None
    server_owned = pd.INTEGRATION_SERVER_OWNED

    rules = staticmethod(pd.normalize_integration)

    def collection_path(self, body: dict[str, Any]) -> str:
        service = body.get("service")
        if not isinstance(service, dict) or not service.get("id"):
            raise ValueError("an integration body needs its service reference")
        return f"services/{service['id']}/integrations"

    def from_service(self, service_body: dict[str, Any], service: LiveObject) -> list[LiveObject]:
        """The Datadog and email integrations listed inside one service body, owned iff the service is.

        The email integration (the after-hours route) is keyed ``<service>.email``, as compile keys it.
        """
        out = []
        for item in service_body.get("integrations") or []:
            vendor = (item.get("vendor") or {}).get("id")
            is_datadog = vendor == DATADOG_VENDOR_ID or str(item.get("summary", "")).lower() == "datadog"
            is_email = str(item.get("type", "")).startswith("generic_email_inbound_integration")
            if not (is_datadog or is_email):
                continue
            key = service.key if is_datadog or service.key is None else f"{service.key}.email"
            body = {**item, "service": {"id": service_body["id"], "type": "service_reference"}}
            obj = LiveObject(self.provider, self.kind, str(item["id"]), service.name, body, key, owner=service.owner)
            out.append(obj)
        return out

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """One read of the integration's own service with its integrations (apply looks just before each
        create); re-listing every service was a whole list per integration created."""
        service_id = body.get("service", {}).get("id") if isinstance(body.get("service"), dict) else None
        if not service_id:
            return None
        service_kind = self.service_kind
        if service_kind is None:
            return None
        what = f"get service {service_id}"
        found = clients.pagerduty.get_or_none(
            self, f"services/{service_id}", what=what, params={"include[]": ["integrations"]}
        )
        if found is None:
            return []
        service = service_kind.live_object(found, str(found["id"]), str(found.get("name") or ""))
        return [o for o in self.from_service(found, service) if o.key == key]

    def read_field(self, clients: Clients, obj: LiveObject, field_name: str) -> str | None:
        if field_name != "integration_key":
            return None
        path = f"{self.collection_path(obj.body)}/{obj.live_id}"
        body = clients.pagerduty.get(self, path, what="read integration key")
        return str(body["integration_key"]) if body.get("integration_key") is not None else None


KIND = Integration()
