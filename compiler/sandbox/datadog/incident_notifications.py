"""What Datadog's incident notification rules send when an incident is declared or saved.

A rule (``/api/v2/incidents/config/notification-rules``) is enabled, has a trigger, conditions and handles. As
Datadog documents them (https://docs.datadoghq.com/service_management/incident_management/incident_settings/
notification_rules/): every condition must hold — an incident field's value, or any of a multi-value field's
values such as ``teams``, is one of the condition's values; ``incident_created_trigger`` fires when an incident is
declared, ``incident_saved_trigger`` when it is saved and starts to match, and again when one of the
``renotify_on`` fields changes while it matches.

The sandbox cannot post to Slack: each notification is recorded (kind ``dd_incident_notification_sent``, in the
state dump) with the incident, the rule, its template and the handles, so a test can ask which channels heard of
which incident.
"""

from __future__ import annotations

import uuid
from typing import Any

from compiler.sandbox.world import World

RULES = "dd_incident_notification_rule"
SENT = "dd_incident_notification_sent"


def _values(incident: dict[str, Any], name: str) -> list[Any]:
    field = incident.get("fields", {}).get(name)
    value = field.get("value") if isinstance(field, dict) else field
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _matches(conditions: list[dict[str, Any]], incident: dict[str, Any]) -> bool:
    return all(set(map(str, _values(incident, c["field"]))) & set(map(str, c["values"])) for c in conditions)


def _fires(attrs: dict[str, Any], before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    conditions = attrs.get("conditions") or []
    if not attrs.get("enabled") or not _matches(conditions, after):
        return False
    if attrs.get("trigger") == "incident_created_trigger":
        return before is None
    if before is None or not _matches(conditions, before):
        return True
    return any(_values(before, name) != _values(after, name) for name in attrs.get("renotify_on") or [])


def notify(world: World, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """Record what every enabled rule sends for ``after`` (``before`` is the incident as it was, None if new)."""
    for rule in sorted(world.store.list(RULES), key=lambda r: r["id"]):
        attrs = rule["attributes"]
        if not _fires(attrs, before, after):
            continue
        template = rule.get("notification_template") or {}
        sent_id = str(uuid.uuid4())
        world.store.put(
            SENT,
            sent_id,
            {
                "id": sent_id,
                "incident_id": after["id"],
                "public_id": after.get("public_id"),
                "rule_id": rule["id"],
                "template_id": template.get("id"),
                "trigger": attrs.get("trigger"),
                "handles": list(attrs.get("handles") or []),
                "at": world.now().isoformat(),
            },
        )
