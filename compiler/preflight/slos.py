"""Existing Datadog SLOs the definitions reference by id (an SLO's ``datadog_slo``): alertc only alerts on them.

Burn-rate alerts on such an SLO name its id in their query. Datadog would
refuse each of them with "SLO not found" at validation; plan fails first, once,
naming the SLO and the id, with where to find the right one. The SLO list is
part of every plan's read (the SLO kind lists every SLO, owned or not), so the
check costs no request.

Nothing is seeded: an SLO's query and time windows cannot be guessed from an id,
and a made-up SLO would let burn-rate alerts pass review that the real one refuses.
"""

from __future__ import annotations

from compiler.definitions import Definitions
from compiler.errors import PlanError
from compiler.kinds.datadog.slo import KIND as SLO
from compiler.live import Session
from compiler.preflight.inputs import PlanInputs


def check(inputs: PlanInputs) -> None:
    """Every existing SLO a definition references by id exists (whoever owns it), else a PlanError naming each."""
    known = {o.live_id for o in inputs.live.objects if (o.provider, o.kind) == (SLO.provider, SLO.kind)}
    missing = [
        f"SLO '{s.name}': datadog_slo {s.datadog_slo}"
        for s in inputs.definitions.slos
        if s.datadog_slo and s.datadog_slo not in known
    ]
    if missing:
        raise PlanError(
            "no Datadog SLO has the id referenced by "
            + "; ".join(missing)
            + "\n  hint: copy the id from the SLO's page in Datadog, or remove datadog_slo to let alertc create it"
        )


def seed_embedded(definitions: Definitions, session: Session) -> list[str]:
    """Nothing: the embedded sandbox does not stand in for a referenced SLO (module docstring)."""
    return []
