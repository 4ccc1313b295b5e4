"""PagerDuty services, read with their integrations (``include[]=integrations``)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from compiler.kinds.base import Clients, NativeNames, ReadContext
from compiler.kinds.pagerduty.common import PagerDutyKind, definition_or_id
from compiler.kinds.pagerduty.integration import KIND as INTEGRATION
from compiler.providers.normalize import pagerduty as pd
from compiler.resources import LiveObject


class Service(PagerDutyKind):
    """Only status=active is accepted on create; disable with a second PUT (§2.1)."""

    kind = "service"
    collection = "services"
    list_params = MappingProxyType({"include[]": ["integrations"]})
    depends_on = ("pagerduty:escalation_policy",)
    order_free = ("support_hours.days_of_week", "scheduled_actions")
    server_owned = pd.SERVICE_SERVER_OWNED
    native_kind = "pagerduty_services"
    selected_by_id = True
    import_brings = ("pagerduty:escalation_policy",)

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        """The escalation policy as its imported definition's key (else its id); other fields as settings."""
        canonical = dict(self.canonical_live(obj.body))
        policy = definition_or_id("pagerduty:escalation_policy", canonical.pop("escalation_policy", {}), names)
        out: dict[str, Any] = {k: canonical.pop(k) for k in ("name", "description") if k in canonical}
        canonical.pop("type", None)
        return {**out, "escalation_policy": policy, **({"settings": canonical} if canonical else {})}

    rules = staticmethod(pd.normalize_service)

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT keeps the fields it is not sent: leaving support-hours urgency clears them explicitly.

        ``support_hours`` and ``scheduled_actions`` are only allowed with a
        ``use_support_hours`` rule (pagerduty-api.md §2.1, TF #535); a service moving
        to constant urgency would keep its old ones and PagerDuty answers 400
        "Active urgency must be in high, low, or severity_based.". ``null`` and an
        empty list are what PagerDuty itself shows for "none" (§2.1, go-pagerduty #234).
        """
        rule = body.get("incident_urgency_rule")
        if isinstance(rule, dict) and rule.get("type") != "use_support_hours":
            body = {**body, "support_hours": None, "scheduled_actions": []}
        return super().update(clients, live_id, body)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        """Services, and each one's Datadog integration (which has no list of its own)."""
        out: list[LiveObject] = []
        for body in self.list_bodies(clients):
            service = self.live_object(body, str(body["id"]), self.live_name(body))
            out.append(service)
            out += INTEGRATION.from_service(body, service)
        return out


KIND = Service()
INTEGRATION.service_kind = KIND
