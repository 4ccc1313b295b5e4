"""Datadog incident notification templates: the messages incident notification rules send.

No tags: alertc's marker line goes at the end of ``content`` (like a downtime's
message), so it is the last line of the Slack message. Updates are PATCH.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from compiler.kinds.datadog.common import JsonApi
from compiler.kinds.datadog.incident_common import SERVER_OWNED, IncidentConfigKind
from compiler.providers.normalize.common import JSONDict, finalize, strip_fields
from compiler.providers.ownership import OwnershipStyle

TEXT_FIELDS = ("name", "subject", "content", "category")


def normalize_notification_template(body: Mapping[str, Any]) -> JSONDict:
    """Flat template (server fields and marker gone) → canonical form: trimmed text."""
    t = copy.deepcopy(dict(body))
    strip_fields(t, TEXT_FIELDS)
    return finalize(t, drop_empty_strings=True)  # type: ignore[no-any-return]


class IncidentNotificationTemplate(IncidentConfigKind):
    noun = "notification_template"
    accepts_same_name = True
    envelope = JsonApi("notification_templates", flat=True)
    ownership = OwnershipStyle(mode="marker", field="content")
    server_owned = (*SERVER_OWNED, "incident_type")
    key_names_kind = False

    rules = staticmethod(normalize_notification_template)


KIND = IncidentNotificationTemplate()
