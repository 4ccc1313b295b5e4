"""PagerDuty maintenance windows: open ones only; the marker stays above ``USER_MESSAGE:``."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from compiler.kinds.base import Clients, NativeNames
from compiler.kinds.pagerduty.common import PagerDutyKind, definition_or_id
from compiler.providers.normalize import pagerduty as pd
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject


class MaintenanceWindow(PagerDutyKind):
    """POST needs the From header; DELETE of an ended window answers 405, which means done (§2.5)."""

    kind = "maintenance_window"
    accepts_same_name = True  # ordered by sequence_number
    collection = "maintenance_windows"
    list_params = MappingProxyType({"filter": "open"})
    # the banner backend shows users all text after USER_MESSAGE:, so the marker stays above it
    ownership = OwnershipStyle(mode="marker", field="description", marker_before="USER_MESSAGE:")
    depends_on = ("pagerduty:service",)
    name_field = None
    order_free = ("services",)
    server_owned = pd.MW_SERVER_OWNED
    native_kind = "pagerduty_maintenance_windows"
    native_fields = ("start_time", "end_time", "description")

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        """Services as the keys of their imported definitions, else their ids."""
        canonical = self.canonical_live(obj.body)
        out: dict[str, Any] = self.native_subset(canonical)
        out["services"] = [definition_or_id("pagerduty:service", s, names) for s in canonical.get("services", [])]
        return out

    reconcile = staticmethod(pd.reconcile_maintenance_window)
    rules = staticmethod(pd.normalize_maintenance_window)

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        clients.pagerduty.delete(
            self, f"{self.collection}/{live_id}", what=f"delete {self.kind} {live_id}", done_statuses=(404, 405)
        )


KIND = MaintenanceWindow()
