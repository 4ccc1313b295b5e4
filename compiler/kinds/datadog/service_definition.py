"""Datadog service definitions: always read as schema v2.2 so both sides have one shape (§1.5); upsert."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

from datadog_api_client.v2.api.service_definition_api import ServiceDefinitionApi
from datadog_api_client.v2.model.service_definition_schema_versions import ServiceDefinitionSchemaVersions

from compiler.kinds.base import IdFormat, NativeNames
from compiler.kinds.datadog.common import DatadogKind, Operations
from compiler.providers.normalize import datadog as dd
from compiler.providers.ownership import OwnershipStyle
from compiler.providers.paging import Paging
from compiler.resources import LiveObject

UPSERT = "create_or_update_service_definitions"


class ServiceDefinition(DatadogKind):
    """Named by its service: create is an upsert by name, so a second create cannot make a second object."""

    kind = "service_definition"
    api_family = "datadog:service_definitions"
    api_paths = ("/api/v2/services/definitions", "/api/v2/services/definitions/{service_name}")
    api = ServiceDefinitionApi
    operations = Operations("list_service_definitions", UPSERT, UPSERT, "delete_service_definition")
    upsert = True
    page_size = 100
    paging = Paging(size="page_size", number="page_number", items="data")
    list_params = MappingProxyType({"schema_version": ServiceDefinitionSchemaVersions.V2_2})
    ownership = OwnershipStyle(mode="tags", field="tags")
    depends_on = ("pagerduty:service",)
    name_field = "dd-service"
    server_owned = dd.SERVICE_DEFINITION_SERVER_OWNED
    order_free = ("tags", "contacts", "links", "repos", "docs", "ci-pipeline-fingerprints")
    key_names_kind = True
    native_kind = "datadog_service_definitions"

    ids = IdFormat(re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}"), "a service name")

    unwrap = staticmethod(dd.unwrap_service_definition)
    rules = staticmethod(dd.normalize_service_definition)

    def live_id(self, body: dict[str, Any]) -> str:
        return self.live_name(body)

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        return {"definition": dict(self.canonical_live(obj.body))}


KIND = ServiceDefinition()
