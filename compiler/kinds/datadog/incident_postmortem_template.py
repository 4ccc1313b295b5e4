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

from compiler.kinds.base import NAME_IDS
from compiler.kinds.datadog.common import JsonApi
from compiler.kinds.datadog.incident_common import SERVER_OWNED, IncidentConfigKind
from compiler.providers.normalize.common import JSONDict, finalize, fold_defaults, strip_fields
from compiler.providers.ownership import OwnershipStyle

NAME_SEPARATOR = " — "
POSTMORTEM_DEFAULTS: Mapping[str, Any] = {"location": "datadog_notebooks"}  # where Datadog writes it


def one_line_name(name: str) -> str:
    """``with_marker`` puts the marker on its own line; a template name is one line, so join them."""
    return NAME_SEPARATOR.join(line.strip() for line in name.splitlines() if line.strip())


def normalize_postmortem_template(body: Mapping[str, Any]) -> JSONDict:
    """Flat template (server fields and marker gone) → canonical form: the name without the marker's separator."""
    t = copy.deepcopy(dict(body))
    name = t.get("name")
    if isinstance(name, str):
        t["name"] = name.strip().removesuffix(NAME_SEPARATOR.strip()).strip()
    strip_fields(t, ("content",))
    fold_defaults(t, POSTMORTEM_DEFAULTS)
    return finalize(t, drop_empty_strings=True)  # type: ignore[no-any-return]


class IncidentPostmortemTemplate(IncidentConfigKind):
    noun = "postmortem_template"
    accepts_same_name = True
    envelope = JsonApi("postmortem_template", flat=True)
    ownership = OwnershipStyle(mode="marker", field="name")
    server_owned = (*SERVER_OWNED, "incident_type")
    ids = NAME_IDS

    rules = staticmethod(normalize_postmortem_template)

    def display_name(self, body: Mapping[str, Any]) -> str | None:
        name = self.normalize({"name": body.get("name")}).get("name")
        return name if isinstance(name, str) else None

    def outgoing(self, body: dict[str, Any]) -> dict[str, Any]:
        name = body.get("name")
        return {**body, "name": one_line_name(name)} if isinstance(name, str) else body


KIND = IncidentPostmortemTemplate()
