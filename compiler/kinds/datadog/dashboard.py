"""Datadog dashboards (v1): ownership in the description marker, the list answers summaries.

Dashboard tags take only ``team:`` (Datadog refuses others: "Invalid tag format. Valid
tag keys are: team."), so alertc's mark is a marker line in the description. The list
(``GET /api/v1/dashboard``) answers each dashboard without its widgets, tags or template
variables; the dashboards a run compares are read whole, one ``GET`` each
(``lists_summaries``): the run's own, not the account's. An object compared in its listed
form (an unowned dashboard a definition adopts) is compared on the fields the list has.

What the API rewrites (the public recordings of the v1 ``dashboards`` feature): it adds an
``id`` to every widget, group members included, and new ones on every update; ``url``,
``author_*``, ``created_at``, ``modified_at`` are its own; an omitted ``description``,
``notify_list`` or ``template_variables`` comes back ``null``, ``restricted_roles`` as ``[]``,
``is_read_only`` as ``false``. Widgets are otherwise answered as sent, in order (their
order is the layout), so they are compared as sent, numbers made canonical.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from datadog_api_client.v1.api.dashboards_api import DashboardsApi

from compiler.kinds.base import IdFormat
from compiler.kinds.datadog.common import DatadogKind, Operations
from compiler.providers.normalize.common import JSONDict, canonical_number, strip_fields
from compiler.providers.ownership import OwnershipStyle
from compiler.providers.paging import Paging

SERVER_OWNED = ("id", "url", "author_handle", "author_name", "created_at", "modified_at", "deleted_at")
LISTED = ("title", "description", "layout_type", "is_read_only")  # what a summary of the list carries
WRITTEN = (
    "title", "description", "layout_type", "reflow_type", "widgets", "template_variables",
    "template_variable_presets", "notify_list", "tags", "restricted_roles", "is_read_only",
)  # fmt: skip
_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _canonical(value: Any) -> Any:
    """Numbers made canonical all the way down (``2.0`` is ``2``); nothing else changes."""
    if isinstance(value, Mapping):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return canonical_number(value)


def _without_ids(widgets: Any) -> Any:
    """Widgets without the ids the server gives them (a group's members too)."""
    if not isinstance(widgets, list):
        return widgets
    out = []
    for widget in widgets:
        if not isinstance(widget, Mapping):
            out.append(widget)
            continue
        kept = {k: v for k, v in widget.items() if k != "id"}
        definition = kept.get("definition")
        if isinstance(definition, Mapping) and "widgets" in definition:
            kept["definition"] = {**definition, "widgets": _without_ids(definition["widgets"])}
        out.append(kept)
    return out


def normalize_dashboard(body: JSONDict) -> JSONDict:
    """The rules of the dashboard kind (server fields, tags and the mark are taken out before)."""
    strip_fields(body, ("title", "description"))
    if body.get("layout_type") == "ordered" and body.get("reflow_type") == "auto":
        del body["reflow_type"]  # an ordered layout reflows unless told "fixed"
    if body.get("is_read_only") is False:
        del body["is_read_only"]
    widgets = _canonical(_without_ids(body.get("widgets")))
    out = {k: _canonical(v) for k, v in body.items() if k != "widgets" and v not in _EMPTY}
    if widgets is not None:
        out["widgets"] = widgets  # required, compared even when empty
    return out


class Dashboard(DatadogKind):
    """Read whole only where compared; a summary-against-definition comparison keeps the listed fields."""

    kind = "dashboard"
    api_family = "datadog:dashboards"
    api_paths = ("/api/v1/dashboard", "/api/v1/dashboard/{dashboard_id}")
    api = DashboardsApi
    operations = Operations.crud("dashboard", get=True)
    page_size = 100
    paging = Paging(size="count", offset="start", items="dashboards")
    lists_summaries = True
    accepts_same_name = True  # Datadog keeps two dashboards of one title (created_at to the microsecond)
    ownership = OwnershipStyle(mode="marker", field="description")
    depends_on = ("datadog:slo", "pagerduty:service", "pagerduty:escalation_policy", "pagerduty:schedule")
    name_field = "title"
    server_owned = SERVER_OWNED
    order_free = ("tags", "notify_list", "restricted_roles")
    native_kind = "datadog_dashboards"
    native_fields = WRITTEN

    ids = IdFormat(
        re.compile(r"[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}"),
        "three groups of three lowercase letters or digits, e.g. abc-def-ghi",
    )

    rules = staticmethod(normalize_dashboard)

    def comparable(
        self, desired_body: Mapping[str, Any], live_body: Mapping[str, Any], *, now: datetime
    ) -> tuple[JSONDict, JSONDict]:
        desired, live = super().comparable(desired_body, live_body, now=now)
        if "widgets" not in live_body:  # a summary from the list: compared on what it has
            desired = {k: v for k, v in desired.items() if k in LISTED}
        return desired, live


KIND = Dashboard()
