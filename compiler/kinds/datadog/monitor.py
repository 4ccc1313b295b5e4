"""Datadog monitors and SLO alerts: one list endpoint (1000 a page), told apart by type and ownership key."""

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

MONITOR_PAGE = 1000
NATIVE_MONITOR_FIELDS = (
    "name", "type", "query", "message", "tags", "priority", "restricted_roles", "draft_status", "assets", "options",
)  # fmt: skip
SERVER_OWNED = (*dd.MONITOR_SERVER_OWNED, *(f"options.{k}" for k in dd.MONITOR_OPTIONS_SERVER_OWNED))
# Listed fields nothing reads (normalization drops them, no report shows them), dropped as each page
# is read: at 39,000 monitors and SLO alerts they were about 20 MB of a plan. ``created`` stays (the
# oldest of duplicates is kept).
READ_NOISE = (
    "creator", "org_id", "multi", "deleted", "overall_state", "overall_state_modified", "state",
    "restriction_policy", "matching_downtimes",
)  # fmt: skip


def is_slo_alert(body: Mapping[str, Any]) -> bool:
    return str(body.get("type", "")).strip() == "slo alert"


class Monitor(ResourceKind):
    """PUT replaces ``options`` as a whole: the complete desired options are always sent (§1.1).

    New or changed monitors are checked with Datadog's validate endpoints during plan.
    """

    provider = "datadog"
    kind = "monitor"
    api_family = "datadog:monitors"
    ownership = OwnershipStyle(mode="tags", field="tags")
    depends_on: tuple[str, ...] = ("datadog:pagerduty_service_object", "datadog:service_definition")
    page_size = MONITOR_PAGE
    order_free: tuple[tuple[str, ...], ...] = (
        ("tags",),
        ("restricted_roles",),
        ("options", "notify_by"),
        ("options", "renotify_statuses"),
    )
    server_owned = SERVER_OWNED
    # A ceiling: apply keeps as many writes in flight as the rate-limit headers allow (a tenth of the
    # window's budget), at most this many (datadog-sync-cli caps monitor concurrency too: the monitor
    # API's proxy answers 512 under load).
    max_concurrency = 16
    validates_at_plan = True
    key_names_kind = True
    native_kind: str | None = "datadog_monitors"
    native_fields = NATIVE_MONITOR_FIELDS
    found_by_monitor_search = True

    id_pattern = re.compile(r"[1-9][0-9]{0,18}")
    id_description = "a positive integer"

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return dd.normalize_monitor(body)

    def reconcile(self, desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
        return dd.reconcile_monitor(desired, live, now)

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        return not is_slo_alert(body)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        """Monitors and SLO alerts together: they share one list."""
        api = clients.datadog.monitors
        out = []
        for body in clients.datadog.list_json(
            self,
            api._list_monitors_endpoint,
            lambda p: {"page": p, "page_size": MONITOR_PAGE, "with_downtimes": False},
            MONITOR_PAGE,
        ):
            for noise in READ_NOISE:
                body.pop(noise, None)
            kind = self if self.owns_live(body) else SLO_ALERT
            out.append(kind.live_object(body, str(body["id"]), str(body.get("name", ""))))
        return out

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """One filtered list call: the monitors tagged with this key (monitors and SLO alerts share the list)."""
        api = clients.datadog.monitors
        tag = f"{KEY_TAG_PREFIX}{self.kind}/{key}"
        out = []
        for found in clients.datadog.list_json(
            self,
            api._list_monitors_endpoint,
            lambda p: {"monitor_tags": tag, "page": p, "page_size": MONITOR_PAGE},
            MONITOR_PAGE,
        ):
            obj = self.live_object(found, str(found["id"]), str(found.get("name", "")))
            if self.owns_live(found) and obj.key == key:
                out.append(obj)
        return out

    def read_one(self, clients: Clients, live_id: str) -> LiveObject | None:
        """One monitor by id (Datadog's duplicate-monitor 400 names the id it collides with)."""
        if self.check_id(live_id) is not None:
            return None
        api = clients.datadog.monitors
        body = clients.datadog.get_or_none(self, lambda: api.get_monitor(int(live_id)), what=f"get monitor {live_id}")
        if body is None:
            return None
        kind = self if self.owns_live(body) else SLO_ALERT
        return kind.live_object(body, str(body["id"]), str(body.get("name", "")))

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        api = clients.datadog.monitors
        created = plain(
            clients.datadog.call(
                self, lambda: api.create_monitor(body=request_body(body)), idempotent=False, what=f"create {self.kind}"
            )
        )
        return str(created["id"]), created

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        api = clients.datadog.monitors
        what = f"update {self.kind} {live_id}"
        return plain(
            clients.datadog.call(self, lambda: api.update_monitor(int(live_id), body=request_body(body)), what=what)
        )

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        api = clients.datadog.monitors
        clients.datadog.delete(self, lambda: api.delete_monitor(int(live_id)), what=f"delete {self.kind} {live_id}")

    def validate(self, clients: Clients, body: dict[str, Any], live_id: str | None) -> str | None:
        return clients.datadog.validate_monitor(body, live_id)


class SloAlert(Monitor):
    """A burn-rate alert on an SLO: a monitor of type ``slo alert``, listed with the monitors."""

    kind = "slo_alert"
    depends_on = ("datadog:slo",)
    listed_by = "datadog:monitor"
    order_free = (("tags",),)
    # burn-rate alerts import as native monitors of type "slo alert" (compiled back to this kind)
    max_concurrency = 16

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        return Monitor.find_by_key(self, clients, key, body)  # listed by the monitors, but filterable alone

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        return is_slo_alert(body)


KIND = Monitor()
SLO_ALERT = SloAlert()
