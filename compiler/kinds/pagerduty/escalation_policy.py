"""PagerDuty escalation policies: delete answers 400 while services use the policy (§2.3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.kinds.pagerduty.common import PagerDutyKind
from compiler.providers.normalize import pagerduty as pd
from compiler.providers.normalize.common import JSONDict


class EscalationPolicy(PagerDutyKind):
    kind = "escalation_policy"
    collection = "escalation_policies"
    depends_on = ("pagerduty:team", "pagerduty:schedule")
    order_free = (("teams",),)
    server_owned = pd.EP_SERVER_OWNED

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        return pd.normalize_escalation_policy(body)


KIND = EscalationPolicy()
