"""Datadog SLOs: listed 1000 at a time; create and update answer ``{data: [slo]}`` (§1.3)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from compiler.kinds.base import Clients, ReadContext, ResourceKind
from compiler.providers.datadog import plain, request_body
from compiler.providers.normalize import datadog as dd
from compiler.providers.normalize.common import JSONDict
from compiler.providers.ownership import KEY_TAG_PREFIX, OwnershipStyle
from compiler.resources import LiveObject

SLO_PAGE = 1000
NATIVE_SLO_FIELDS = (
    "name", "type", "description", "tags", "thresholds", "timeframe", "target_threshold", "warning_threshold",
    "query", "sli_specification", "monitor_ids", "groups",
)  # fmt: skip


class Slo(ResourceKind):
    """The full object is sent on update (§1.3)."""

    provider = "datadog"
    kind = "slo"
    api_family = "datadog:slos"
    ownership = OwnershipStyle(mode="tags", field="tags")
    depends_on = ("datadog:monitor",)
    page_size = SLO_PAGE
    order_free = (("tags",), ("monitor_ids",), ("groups",), ("thresholds",))
    server_owned = dd.SLO_SERVER_OWNED
    key_names_kind = True
    native_kind = "datadog_slos"
    native_fields = NATIVE_SLO_FIELDS

    id_pattern = re.compile(r"[0-9a-f]{32}")
    id_description = "32 lowercase hex digits"

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]:
        return dd.unwrap_slo(body)

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return dd.normalize_slo(body)

    def reconcile(self, desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
        return dd.reconcile_slo(desired, live, now)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        api = clients.datadog.slos
        bodies = clients.datadog.list_json(
            self,
            api._list_slos_endpoint,
            lambda p: {"limit": SLO_PAGE, "offset": p * SLO_PAGE},
            SLO_PAGE,
            items=lambda page: page.get("data"),
            total=lambda page: ((page.get("metadata") or {}).get("page") or {}).get("total_count"),
        )
        return [self.live_object(b, str(b["id"]), str(b.get("name", ""))) for b in bodies]

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """The SLOs tagged with this key (``tags_query`` narrows the list; the key is checked here anyway)."""
        api = clients.datadog.slos
        tag = f"{KEY_TAG_PREFIX}{self.kind}/{key}"
        bodies = clients.datadog.list_json(
            self,
            api._list_slos_endpoint,
            lambda p: {"tags_query": tag, "limit": SLO_PAGE, "offset": p * SLO_PAGE},
            SLO_PAGE,
            items=lambda page: page.get("data"),
        )
        found = [self.live_object(b, str(b["id"]), str(b.get("name", ""))) for b in bodies]
        return [o for o in found if o.key == key]

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        api = clients.datadog.slos
        what = f"create {self.kind}"
        slo = self.unwrap(
            plain(
                clients.datadog.call(self, lambda: api.create_slo(body=request_body(body)), idempotent=False, what=what)
            )
        )
        return str(slo["id"]), slo

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        api = clients.datadog.slos
        what = f"update {self.kind} {live_id}"
        return self.unwrap(
            plain(clients.datadog.call(self, lambda: api.update_slo(live_id, body=request_body(body)), what=what))
        )

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        api = clients.datadog.slos
        clients.datadog.delete(self, lambda: api.delete_slo(live_id), what=f"delete {self.kind} {live_id}")


KIND = Slo()
