"""Datadog incident notification templates: the messages incident notification rules send.

No tags: alertc's marker line goes at the end of ``content`` (like a downtime's
message), so it is the last line of the Slack message. Updates are PATCH.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from datadog_api_client.v2.api.incidents_api import IncidentsApi

from compiler.kinds.datadog.incident_common import IncidentConfigKind
from compiler.providers.normalize.common import JSONDict, drop, finalize, strip_fields
from compiler.providers.ownership import OwnershipStyle, strip_marker

TEXT_FIELDS = ("name", "subject", "content", "category")


def normalize_notification_template(body: Mapping[str, Any]) -> JSONDict:
    """Flat template → canonical form: no server fields, no marker, trimmed text."""
    t = copy.deepcopy(dict(body))
    drop(t, (*IncidentConfigKind.server_owned, "incident_type"))
    t["content"] = strip_marker(t.get("content"))
    strip_fields(t, TEXT_FIELDS)
    return finalize(t, drop_empty_strings=True)  # type: ignore[no-any-return]


class IncidentNotificationTemplate(IncidentConfigKind):
    kind = "incident_notification_template"
    type_name = "notification_templates"
    ownership = OwnershipStyle(mode="marker", field="content")
    key_names_kind = False

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return normalize_notification_template(body)

    def _list(self, api: IncidentsApi) -> Any:
        return api.list_incident_notification_templates()

    def _create(self, api: IncidentsApi, request: Any) -> Any:
        return api.create_incident_notification_template(body=request)

    def _update(self, api: IncidentsApi, live_id: Any, request: Any) -> Any:
        return api.update_incident_notification_template(live_id, body=request)

    def _delete(self, api: IncidentsApi, live_id: Any) -> Any:
        return api.delete_incident_notification_template(live_id)


KIND = IncidentNotificationTemplate()
