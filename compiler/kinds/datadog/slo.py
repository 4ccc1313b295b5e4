"""Datadog SLOs: listed 1000 at a time; create and update answer ``{data: [slo]}`` (§1.3)."""

from __future__ import annotations

import re

from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi

from compiler.kinds.base import IdFormat
from compiler.kinds.datadog.common import DatadogKind, Operations
from compiler.providers.normalize import datadog as dd
from compiler.providers.ownership import OwnershipStyle
from compiler.providers.paging import Paging

NATIVE_SLO_FIELDS = (
    "name", "type", "description", "tags", "thresholds", "timeframe", "target_threshold", "warning_threshold",
    "query", "sli_specification", "monitor_ids", "groups",
)  # fmt: skip


class Slo(DatadogKind):
    """The full object is sent on update (§1.3)."""

    kind = "slo"
    accepts_same_name = True
    exact_creation_order = False  # created_at is in seconds
    api_family = "datadog:slos"
    api_paths = ("/api/v1/slo", "/api/v1/slo/{slo_id}")
    api = ServiceLevelObjectivesApi
    operations = Operations.crud("slo")
    page_size = 1000
    paging = Paging(size="limit", offset="offset", items="data", total=("metadata", "page", "total_count"))
    key_filter = "tags_query"
    ownership = OwnershipStyle(mode="tags", field="tags")
    depends_on = ("datadog:monitor",)
    server_owned = dd.SLO_SERVER_OWNED
    order_free = ("tags", "monitor_ids", "groups", "thresholds")
    key_names_kind = True
    native_kind = "datadog_slos"
    native_fields = NATIVE_SLO_FIELDS

    ids = IdFormat(re.compile(r"[0-9a-f]{32}"), "32 lowercase hex digits")

    unwrap = staticmethod(dd.unwrap_slo)
    reconcile = staticmethod(dd.reconcile_slo)
    rules = staticmethod(dd.normalize_slo)


KIND = Slo()
