"""PagerDuty schedules: read with their layers; GET answers the layers reversed (R5-4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from compiler.kinds.pagerduty.common import PagerDutyKind
from compiler.providers.normalize import pagerduty as pd
from compiler.providers.normalize.common import JSONDict


class Schedule(PagerDutyKind):
    """Layers are never deleted, only ended (R5-5); delete fails while an EP uses the schedule (R5-20)."""

    kind = "schedule"
    collection = "schedules"
    depends_on = ("pagerduty:team",)
    list_params = MappingProxyType({"include[]": ["schedule_layers"]})
    server_owned = pd.SCHEDULE_SERVER_OWNED

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return pd.normalize_schedule(body)

    def from_live(self, body: Mapping[str, Any]) -> JSONDict:
        return pd.schedule_from_live(body)

    def reconcile(self, desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
        return pd.reconcile_schedule(desired, live, now)


KIND = Schedule()
