"""Datadog v2 downtimes: no tags, so the ownership marker goes into the message; PATCH merges (§1.4)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from compiler.kinds.base import Clients, ReadContext, ResourceKind
from compiler.providers.datadog import plain, request_body
from compiler.providers.normalize import datadog as dd
from compiler.providers.normalize.common import JSONDict
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject

DOWNTIME_PAGE = 100
NATIVE_DOWNTIME_FIELDS = (
    "scope", "message", "monitor_identifier", "schedule", "display_timezone", "mute_first_recovery_notification",
    "notify_end_states", "notify_end_types",
)  # fmt: skip


class Downtime(ResourceKind):
    """Cancel is idempotent (204 twice); cancelled and ended downtimes stay listed as history."""

    provider = "datadog"
    kind = "downtime"
    api_family = "datadog:downtimes"
    ownership = OwnershipStyle(mode="marker", field="message")
    depends_on = ("datadog:monitor", "datadog:slo_alert")
    name_field = None
    page_size = DOWNTIME_PAGE
    order_free = (("notify_end_states",), ("notify_end_types",), ("monitor_identifier", "monitor_tags"))
    server_owned = (*dd.DOWNTIME_SERVER_OWNED, "schedule.current_downtime", "relationships", "included")
    key_names_kind = True
    native_kind = "datadog_downtimes"
    native_fields = NATIVE_DOWNTIME_FIELDS

    id_pattern = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    id_description = "a UUID"

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]:
        return dd.unwrap_downtime(body)

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return dd.normalize_downtime(body)

    def reconcile(self, desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
        return dd.reconcile_downtime(desired, live, now)

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        """§1.4: cancelled (and ended) downtimes stay in the list; they are history, not state."""
        inner = dd.unwrap_downtime(dict(body)) if "data" in body or "attributes" in body else body
        return inner.get("status") not in ("canceled", "ended")

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        api = clients.datadog.downtimes
        bodies = clients.datadog.list_json(
            self,
            api._list_downtimes_endpoint,
            lambda p: {"page_offset": p * DOWNTIME_PAGE, "page_limit": DOWNTIME_PAGE},
            DOWNTIME_PAGE,
            items=lambda page: page.get("data"),
            total=lambda page: ((page.get("meta") or {}).get("page") or {}).get("total_filtered_count"),
        )
        out = []
        for body in bodies:
            if self.owns_live(body):
                attributes = body.get("attributes") or {}
                out.append(self.live_object(body, str(body["id"]), str(attributes.get("message") or "")))
        return out

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        api = clients.datadog.downtimes
        envelope = {"data": {"type": "downtime", "attributes": body}}
        response = plain(
            clients.datadog.call(
                self,
                lambda: api.create_downtime(body=request_body(envelope)),
                idempotent=False,
                what=f"create {self.kind}",
            )
        )
        data: dict[str, Any] = response["data"]
        return str(data["id"]), data

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        api = clients.datadog.downtimes
        envelope = {"data": {"id": live_id, "type": "downtime", "attributes": body}}
        what = f"update {self.kind} {live_id}"
        response = plain(
            clients.datadog.call(self, lambda: api.update_downtime(live_id, body=request_body(envelope)), what=what)
        )
        data: dict[str, Any] = response["data"]
        return data

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        api = clients.datadog.downtimes
        clients.datadog.delete(self, lambda: api.cancel_downtime(live_id), what=f"delete {self.kind} {live_id}")


KIND = Downtime()
