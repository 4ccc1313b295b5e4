"""PagerDuty escalation policies: delete answers 400 while services use the policy (§2.3)."""

from __future__ import annotations

from typing import Any

from compiler.kinds.base import NativeNames
from compiler.kinds.pagerduty.common import PagerDutyKind, definition_or_id, person
from compiler.providers.normalize import pagerduty as pd
from compiler.resources import LiveObject


class EscalationPolicy(PagerDutyKind):
    kind = "escalation_policy"
    accepts_same_name = True
    exact_creation_order = False  # no creation time, random ids
    collection = "escalation_policies"
    depends_on = ("pagerduty:team", "pagerduty:schedule")
    order_free = ("teams",)
    server_owned = pd.EP_SERVER_OWNED
    native_kind = "pagerduty_escalation_policies"
    import_brings = ("pagerduty:schedule",)

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        """Schedules as the keys of their imported definitions (else their ids), people by email."""
        canonical = dict(self.canonical_live(obj.body))
        rules = []
        for rule in canonical.pop("escalation_rules", []):
            targets: list[dict[str, str]] = []
            for target in rule.get("targets", []):
                if str(target.get("type", "")).startswith("schedule"):
                    targets.append({"schedule": definition_or_id("pagerduty:schedule", target, names)})
                else:
                    targets.append({"user": person(target, names)})
            rules.append(
                {"escalation_delay_in_minutes": rule.get("escalation_delay_in_minutes", 0), "targets": targets}
            )
        out: dict[str, Any] = {k: canonical.pop(k) for k in ("name", "description", "num_loops") if k in canonical}
        teams = [definition_or_id("pagerduty:team", t, names) for t in canonical.pop("teams", [])]
        canonical.pop("type", None)
        return {
            **out,
            "rules": rules,
            **({"teams": teams} if teams else {}),
            **({"settings": canonical} if canonical else {}),
        }

    rules = staticmethod(pd.normalize_escalation_policy)


KIND = EscalationPolicy()
