"""Datadog service definitions: always read as schema v2.2 so both sides have one shape (§1.5); upsert."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from datadog_api_client.v2.model.service_definition_schema_versions import ServiceDefinitionSchemaVersions

from compiler.kinds.base import Clients, NativeNames, ReadContext, ResourceKind
from compiler.providers.datadog import request_body
from compiler.providers.normalize import datadog as dd
from compiler.providers.normalize.common import JSONDict
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject

SERVICE_DEFINITION_PAGE = 100


class ServiceDefinition(ResourceKind):
    provider = "datadog"
    kind = "service_definition"
    api_family = "datadog:service_definitions"
    ownership = OwnershipStyle(mode="tags", field="tags")
    depends_on = ("pagerduty:service",)
    name_field = "dd-service"
    page_size = SERVICE_DEFINITION_PAGE
    order_free = (("tags",), ("contacts",), ("links",), ("repos",), ("docs",))
    server_owned = ("dd-team", "meta", "id")
    key_names_kind = True
    native_kind = "datadog_service_definitions"

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        return {"definition": dict(self.canonical_live(obj.body))}

    id_pattern = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
    id_description = "a service name"

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]:
        return dd.unwrap_service_definition(body)

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return dd.normalize_service_definition(body)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        api = clients.datadog.service_definitions
        bodies = clients.datadog.list_json(
            self,
            api._list_service_definitions_endpoint,
            lambda p: {
                "page_size": SERVICE_DEFINITION_PAGE,
                "page_number": p,
                "schema_version": ServiceDefinitionSchemaVersions.V2_2,
            },
            SERVICE_DEFINITION_PAGE,
            items=lambda page: page.get("data"),
        )
        out = []
        for body in bodies:
            name = str(self.unwrap(body).get("dd-service", ""))
            out.append(self.live_object(body, name, name))
        return out

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """Create is an upsert by service name: a second create cannot make a second object."""
        return []

    def _upsert(self, clients: Clients, body: dict[str, Any], what: str) -> None:
        api = clients.datadog.service_definitions
        clients.datadog.call(self, lambda: api.create_or_update_service_definitions(body=request_body(body)), what=what)

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        self._upsert(clients, body, f"create {self.kind}")
        return str(body["dd-service"]), body

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        self._upsert(clients, body, f"update {self.kind} {live_id}")
        return body

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        api = clients.datadog.service_definitions
        clients.datadog.delete(
            self, lambda: api.delete_service_definition(live_id), what=f"delete {self.kind} {live_id}"
        )


KIND = ServiceDefinition()
