"""Datadog monitors and SLO alerts: one list endpoint (1000 a page), told apart by type and ownership key."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.kinds.base import Clients, IdFormat, NativeNames
from compiler.kinds.datadog.common import DatadogKind, Operations
from compiler.providers.datadog import request_body
from compiler.providers.normalize import datadog as dd
from compiler.providers.ownership import OwnershipStyle
from compiler.providers.paging import Paging
from compiler.resources import LiveObject

MONITORS_FAMILY = "datadog:monitors"
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


class Monitor(DatadogKind):
    """PUT replaces ``options`` as a whole: the complete desired options are always sent (§1.1).

    New or changed monitors are checked with Datadog's validate endpoints during plan.
    """

    kind = "monitor"
    api_family = MONITORS_FAMILY
    api_paths = (
        "/api/v1/monitor", "/api/v1/monitor/{monitor_id}", "/api/v1/monitor/validate",
        "/api/v1/monitor/{monitor_id}/validate",
    )  # fmt: skip
    api = MonitorsApi
    operations = Operations.crud("monitor")
    page_size = 1000
    paging = Paging(size="page_size", number="page")
    list_params = MappingProxyType({"with_downtimes": False})
    key_filter = "monitor_tags"
    ownership = OwnershipStyle(mode="tags", field="tags")
    depends_on: tuple[str, ...] = ("datadog:pagerduty_service_object", "datadog:service_definition")
    server_owned = SERVER_OWNED
    order_free = ("tags", "restricted_roles", "options.notify_by", "options.renotify_statuses")
    # A ceiling: apply keeps as many writes in flight as the rate-limit headers allow (a tenth of the
    # window's budget), at most this many (datadog-sync-cli caps monitor concurrency too: the monitor
    # API's proxy answers 512 under load).
    max_concurrency = 16
    validates_at_plan = True
    key_names_kind = True
    native_kind: str | None = "datadog_monitors"
    native_fields = NATIVE_MONITOR_FIELDS
    found_by_monitor_search = True

    ids = IdFormat(re.compile(r"[1-9][0-9]{0,18}"), "a positive integer")

    reconcile = staticmethod(dd.reconcile_monitor)
    rules = staticmethod(dd.normalize_monitor)

    def api_id(self, live_id: str) -> Any:
        return int(live_id)

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        return not is_slo_alert(body)

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        """The normalized native form, but with the type as Datadog has it: the normalizer folds ``metric alert``
        into ``query alert`` to compare them, and a definition saying ``query alert`` would ask to change the type
        of a live ``metric alert``, which Datadog refuses."""
        native = super().to_native(obj, names)
        live_type = obj.body.get("type")
        if "type" in native and isinstance(live_type, str):
            native["type"] = live_type.strip()
        return native

    def listed_object(self, body: dict[str, Any]) -> LiveObject:
        """Monitors and SLO alerts share one list: each listed body is one or the other."""
        for noise in READ_NOISE:
            body.pop(noise, None)
        kind = SLO_ALERT if is_slo_alert(body) else KIND
        return kind.live_object(body, kind.live_id(body), kind.live_name(body))

    def read_one(self, clients: Clients, live_id: str) -> LiveObject | None:
        """One monitor by id (Datadog's duplicate-monitor 400 names the id it collides with)."""
        if self.check_id(live_id) is not None:
            return None
        api = self.client_api(clients)
        body = clients.datadog.get_or_none(self, lambda: api.get_monitor(int(live_id)), what=f"get monitor {live_id}")
        return None if body is None else self.listed_object(body)

    def validate(self, clients: Clients, body: dict[str, Any], live_id: str | None) -> str | None:
        """Datadog's own verdict on a monitor body (Terraform does this during plan); None when valid."""
        api = self.client_api(clients)
        if live_id is None:
            call: Any = lambda: api.validate_monitor(body=request_body(body))  # noqa: E731
        else:
            call = lambda: api.validate_existing_monitor(int(live_id), body=request_body(body))  # noqa: E731
        return clients.datadog.verdict(self, call, what="validate monitor")


class SloAlert(Monitor):
    """A burn-rate alert on an SLO: a monitor of type ``slo alert``, listed with the monitors.

    Burn-rate alerts import as native monitors of type "slo alert" (compiled back to this kind).
    """

    kind = "slo_alert"
    depends_on = ("datadog:slo",)
    accepts_same_name = True  # two burn-rate alerts on two copies of one SLO are not identical
    listed_by = "datadog:monitor"

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        return is_slo_alert(body)


KIND = Monitor()
SLO_ALERT = SloAlert()
KINDS = (KIND, SLO_ALERT)  # both registered (``kinds/registry.py``)
