"""Datadog incident postmortem templates: the document Datadog starts when an incident is resolved.

The only free text besides ``content`` is ``name``, and ``content`` is the
postmortem itself, so alertc's marker goes into the name, kept on one line
(``<title> — Managed by alertc (key: ..., digest: ...). Edits made outside
alertc are overwritten.``): the name is what people pick the template by.
Updates are PATCH.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from datadog_api_client.v2.api.incidents_api import IncidentsApi

from compiler.kinds.datadog.incident_common import IncidentConfigKind
from compiler.providers.normalize.common import JSONDict, drop, finalize, fold_defaults, strip_fields
from compiler.providers.ownership import OwnershipStyle, strip_marker

NAME_SEPARATOR = " — "
POSTMORTEM_DEFAULTS: Mapping[str, Any] = {"location": "datadog_notebooks"}  # where Datadog writes it


def one_line_name(name: str) -> str:
    """``with_marker`` puts the marker on its own line; a template name is one line, so join them."""
    return NAME_SEPARATOR.join(line.strip() for line in name.splitlines() if line.strip())


def normalize_postmortem_template(body: Mapping[str, Any]) -> JSONDict:
    """Flat template → canonical form: no server fields, the name without the marker and its separator."""
    t = copy.deepcopy(dict(body))
    drop(t, (*IncidentConfigKind.server_owned, "incident_type"))
    name = strip_marker(t.get("name"))
    if isinstance(name, str):
        t["name"] = name.strip().removesuffix(NAME_SEPARATOR.strip()).strip()
    strip_fields(t, ("content",))
    fold_defaults(t, POSTMORTEM_DEFAULTS)
    return finalize(t, drop_empty_strings=True)  # type: ignore[no-any-return]


class IncidentPostmortemTemplate(IncidentConfigKind):
    kind = "incident_postmortem_template"
    type_name = "postmortem_template"
    ownership = OwnershipStyle(mode="marker", field="name")
    uuid_ids = False

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return normalize_postmortem_template(body)

    def display_name(self, body: Mapping[str, Any]) -> str | None:
        name = normalize_postmortem_template({"name": body.get("name")}).get("name")
        return name if isinstance(name, str) else None

    def outgoing(self, body: dict[str, Any]) -> dict[str, Any]:
        name = body.get("name")
        return {**body, "name": one_line_name(name)} if isinstance(name, str) else body

    def _list(self, api: IncidentsApi) -> Any:
        return api.list_incident_postmortem_templates()

    def _create(self, api: IncidentsApi, request: Any) -> Any:
        return api.create_incident_postmortem_template(body=request)

    def _update(self, api: IncidentsApi, live_id: Any, request: Any) -> Any:
        return api.update_incident_postmortem_template(live_id, body=request)

    def _delete(self, api: IncidentsApi, live_id: Any) -> Any:
        return api.delete_incident_postmortem_template(live_id)


KIND = IncidentPostmortemTemplate()
