"""Datadog incident notification rules: when an incident matches, notify handles with a template.

A rule has no free-text field and no tags (attributes: ``conditions``,
``handles``, ``trigger``, ``renotify_on``, ``enabled``, ``visibility``), so
alertc cannot mark it directly. Each compiled rule sends its own notification
template, which carries alertc's marker; a rule is alertc's when the template
it sends is, under the template's key (``inherited`` ownership, as PagerDuty
integrations inherit from their service). Every rule sending an alertc template
(or a copy of one two racing applies left) carries that key, so a second rule
is a duplicate under the key: the one sending the kept template is kept, the
others are deleted by the next plan and reported by drift
(``compiler.duplicates``), and never re-pointed onto the kept template — two
rules sending one template announce every incident twice. Updates are PUT
(complete replacement).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from compiler.kinds.base import Clients, ReadContext
from compiler.kinds.datadog.common import JsonApi
from compiler.kinds.datadog.incident_common import IncidentConfigKind
from compiler.providers.normalize.common import JSONDict, finalize, fold_defaults, sorted_by, sorted_set
from compiler.providers.ownership import OwnershipStyle
from compiler.resources import LiveObject

PARENT = "datadog:incident_notification_template"
KIND_ADDRESS = ("datadog", "incident_notification_rule")
RULE_DEFAULTS: Mapping[str, Any] = {"enabled": False, "renotify_on": [], "visibility": "organization"}


def normalize_notification_rule(body: Mapping[str, Any]) -> JSONDict:
    """Flat rule (server fields gone, ``handles`` and ``renotify_on`` sorted) → canonical form: condition
    values are sets too (values are ORed), conditions sorted by field."""
    r = copy.deepcopy(dict(body))
    fold_defaults(r, RULE_DEFAULTS)
    conditions = [
        {"field": str(c.get("field", "")).strip(), "values": sorted_set(c.get("values"))}
        for c in r.get("conditions") or []
        if isinstance(c, Mapping)
    ]
    r["conditions"] = sorted_by(conditions, "field")
    return finalize(r)  # type: ignore[no-any-return]


class IncidentNotificationRule(IncidentConfigKind):
    noun = "notification_rule"
    accepts_same_name = True
    envelope = JsonApi(
        "incident_notification_rules",
        relationships={"notification_template": "notification_templates", "incident_type": "incident_types"},
        flat=True,
    )
    ownership = OwnershipStyle(mode="inherited", parent=PARENT)
    depends_on = (PARENT,)
    reads_after = (PARENT,)
    name_field = None
    order_free = ("conditions", "handles", "renotify_on")

    rules = staticmethod(normalize_notification_rule)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        """Every rule; those sending an alertc template get that template's key."""
        parents = [o for o in context.earlier if f"{o.provider}:{o.kind}" == PARENT and o.key]
        templates = {o.live_id: o.key for o in parents if o.key}
        owners = {o.live_id: o.owner for o in parents}  # a rule is in its template's ownership scope
        return claim_by_template(self.list_bodies(clients), templates, owners)


def claim_by_template(
    bodies: list[dict[str, Any]], templates: Mapping[str, str], owners: Mapping[str, str | None] | None = None
) -> list[LiveObject]:
    """Rules as live objects: each rule sending an owned template gets its key and its template's
    ownership scope (``owners``); when several share a key, ``compiler.duplicates`` keeps one."""
    out = []
    for body in sorted(bodies, key=lambda b: str(b.get("created") or "")):  # stable: ties keep list order
        key = templates.get(str(body.get("notification_template")))
        owner = (owners or {}).get(str(body.get("notification_template"))) if key is not None else None
        out.append(LiveObject(KIND_ADDRESS[0], KIND_ADDRESS[1], body["id"], _summary(body), body, key, owner=owner))
    return out


def _summary(body: Mapping[str, Any]) -> str:
    """A rule has no name: ``trigger → handles`` says which one it is in drift and conflict reports."""
    handles = ", ".join(str(h) for h in body.get("handles") or [])
    return f"{body.get('trigger', '?')} -> {handles}"


KIND = IncidentNotificationRule()
