"""PagerDuty schedules: read with their layers; GET answers the layers reversed (R5-4)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from compiler.kinds.base import NativeNames
from compiler.kinds.pagerduty.common import PagerDutyKind, person
from compiler.providers.normalize import pagerduty as pd
from compiler.resources import LiveObject

LAYER_FIELDS = ("name", "start", "end", "rotation_virtual_start", "rotation_turn_length_seconds", "restrictions")


class Schedule(PagerDutyKind):
    """Layers are never deleted, only ended (R5-5); delete fails while an EP uses the schedule (R5-20)."""

    kind = "schedule"
    accepts_same_name = True
    exact_creation_order = False  # no creation time, random ids
    collection = "schedules"
    depends_on = ("pagerduty:team",)
    list_params = MappingProxyType({"include[]": ["schedule_layers"]})
    server_owned = pd.SCHEDULE_SERVER_OWNED
    native_kind = "pagerduty_schedules"
    native_fields = ("name", "description", "time_zone")

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        """Layers in definition order (``from_live`` undoes PagerDuty's reversal), people by email."""
        canonical = self.canonical_live(obj.body)
        layers = []
        for layer in canonical.get("schedule_layers", []):
            native = {k: layer[k] for k in LAYER_FIELDS if k in layer}
            native["users"] = [person(u, names) for u in layer.get("users", [])]
            layers.append(native)
        out: dict[str, Any] = self.native_subset(canonical)
        return {**out, "layers": layers}

    reconcile = staticmethod(pd.reconcile_schedule)
    from_live = staticmethod(pd.schedule_from_live)  # R5-4: GET answers the layers reversed
    rules = staticmethod(pd.normalize_schedule)


KIND = Schedule()
