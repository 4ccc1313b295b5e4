"""Datadog v2 downtimes: no tags, so the ownership marker goes into the message; PATCH merges (§1.4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from datadog_api_client.v2.api.downtimes_api import DowntimesApi

from compiler.kinds.base import UUID_IDS
from compiler.kinds.datadog.common import DatadogKind, JsonApi, Operations
from compiler.providers.normalize import datadog as dd
from compiler.providers.ownership import OwnershipStyle
from compiler.providers.paging import Paging

NATIVE_DOWNTIME_FIELDS = (
    "scope", "message", "monitor_identifier", "schedule", "display_timezone", "mute_first_recovery_notification",
    "notify_end_states", "notify_end_types",
)  # fmt: skip


class Downtime(DatadogKind):
    """Cancel is idempotent (204 twice); cancelled and ended downtimes stay listed as history."""

    kind = "downtime"
    accepts_same_name = True
    api_family = "datadog:downtimes"
    api_paths = ("/api/v2/downtime", "/api/v2/downtime/{downtime_id}")
    api = DowntimesApi
    operations = Operations.crud("downtime", delete="cancel_downtime")
    envelope = JsonApi("downtime")
    page_size = 100
    paging = Paging(
        size="page_limit", offset="page_offset", items="data", total=("meta", "page", "total_filtered_count")
    )
    ownership = OwnershipStyle(mode="marker", field="message")
    depends_on = ("datadog:monitor", "datadog:slo_alert")
    name_field = None
    server_owned = dd.DOWNTIME_SERVER_OWNED
    order_free = ("notify_end_states", "notify_end_types", "monitor_identifier.monitor_tags")
    key_names_kind = True
    native_kind = "datadog_downtimes"
    native_fields = NATIVE_DOWNTIME_FIELDS

    ids = UUID_IDS

    unwrap = staticmethod(dd.unwrap_downtime)
    reconcile = staticmethod(dd.reconcile_downtime)
    rules = staticmethod(dd.normalize_downtime)

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        """§1.4: cancelled (and ended) downtimes stay in the list; they are history, not state."""
        return self.unwrap(dict(body)).get("status") not in ("canceled", "ended")

    def live_name(self, body: dict[str, Any]) -> str:
        return str(self.unwrap(body).get("message") or "")


KIND = Downtime()
