"""Datadog's PagerDuty service objects: no list endpoint (§1.7), ``service_key`` write-only.

They are read by name, only for the PagerDuty services alertc manages (the
only per-object reads of a plan), and are alertc's when the same-named
PagerDuty service is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from compiler.kinds.base import Clients, ReadContext, ResourceKind
from compiler.providers.datadog import request_body
from compiler.providers.normalize import datadog as dd
from compiler.providers.normalize.common import JSONDict
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject

PARENT = "pagerduty:service"


class PagerDutyServiceObject(ResourceKind):
    provider = "datadog"
    kind = "pagerduty_service_object"
    api_family = "datadog:integration_pagerduty"
    ownership = OwnershipStyle(mode="inherited", parent=PARENT)
    depends_on = ("pagerduty:integration",)
    name_field = "service_name"
    server_owned = ("service_key",)
    max_concurrency = 2
    reads_after = (PARENT,)
    # the id is the PagerDuty service's name, a path segment: no '/', '\\', '?', '#', '%' or control characters
    id_pattern = re.compile(r"[^/\\?#%\x00-\x1f\x7f]{1,255}")
    id_description = "a PagerDuty service name without '/', '\\', '?', '#', '%' or control characters"

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return dd.normalize_pagerduty_service_object(body)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        """GET by name, a few at a time, for every wanted or owned PagerDuty service name."""
        owned = {o.key: o.owner for o in context.earlier if f"{o.provider}:{o.kind}" == PARENT and o.key}
        wanted = {r.key for r in context.desired.by_kind(self.provider, self.kind)}
        api = clients.datadog.pagerduty

        def fetch(name: str) -> LiveObject | None:
            what = "get PagerDuty service object"
            body = clients.datadog.get_or_none(self, lambda: api.get_pager_duty_integration_service(name), what=what)
            if body is None:
                return None
            key = name if name in owned else None
            return LiveObject(self.provider, self.kind, name, name, body, key, owner=owned.get(name))

        with ThreadPoolExecutor(max_workers=self.max_concurrency * 2, thread_name_prefix="alertc-pdso") as pool:
            found = list(pool.map(fetch, sorted(wanted | set(owned))))
        return [obj for obj in found if obj is not None]

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """The id is the service name (Datadog refuses a second): one GET by name. It is alertc's when its
        PagerDuty service is, which is why apply is creating it."""
        name = str(body.get("service_name") or key)
        api = clients.datadog.pagerduty
        what = "get PagerDuty service object"
        found = clients.datadog.get_or_none(self, lambda: api.get_pager_duty_integration_service(name), what=what)
        return [] if found is None else [LiveObject(self.provider, self.kind, name, name, found, key)]

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        api = clients.datadog.pagerduty
        clients.datadog.call(
            self,
            lambda: api.create_pager_duty_integration_service(body=request_body(body)),
            idempotent=False,
            what=f"create {self.kind}",
        )
        return str(body["service_name"]), {"service_name": body["service_name"]}

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        api = clients.datadog.pagerduty
        key_only = {"service_key": body["service_key"]}
        clients.datadog.call(
            self,
            lambda: api.update_pager_duty_integration_service(live_id, body=request_body(key_only)),
            what=f"update {self.kind} {live_id}",
        )
        return {"service_name": live_id}

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        api = clients.datadog.pagerduty
        clients.datadog.delete(
            self, lambda: api.delete_pager_duty_integration_service(live_id), what=f"delete {self.kind} {live_id}"
        )


KIND = PagerDutyServiceObject()
