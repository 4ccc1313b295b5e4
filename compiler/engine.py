"""Desired + live → a Plan: diff, then the verdicts (conflicts, adoptions, Datadog's word on new monitors).

The last step of one plan: ``compiler.app`` compiles, seeds the embedded sandbox
and checks what the definitions reference outside alertc (``compiler.preflight``),
and reads live state (``compiler.live``) before it. Time is an argument, taken
once by the caller: compile and diff stay pure. This module and ``compiler.live``
import nothing from ``compile/``, ``banners/``, ``preflight/`` or the sandbox
(``tests/test_engine_imports.py``).
"""

from __future__ import annotations

import threading
from datetime import datetime

from compiler.errors import PlanError
from compiler.events import MonitorValidated, phase
from compiler.kinds import get_kind
from compiler.live import LiveState, Session
from compiler.plan import Change, Plan, build_plan
from compiler.providers.pacing import paced_map
from compiler.resources import ResourceSet, references_in, resolve_references


def make_plan(
    desired: ResourceSet,
    live: LiveState,
    session: Session,
    *,
    now: datetime,
    validate: bool = True,
    adopt_by_name: bool = False,
    owner: str | None = None,
) -> Plan:
    """The plan of ``desired`` against ``live`` (read for ``owner``'s scope) on ``session``'s target.

    ``adopt_by_name`` plans an adopt, instead of a conflict, for an unowned object with a
    definition's name and kind; ``validate`` (not for drift) asks Datadog about new and changed monitors.
    """
    plan = build_plan(
        desired,
        live.objects,
        get_kind,
        now=now,
        target=session.target.describe(),
        lookups=live.lookups(),
        owner=owner,
        adopt_by_name=adopt_by_name,
    )
    if validate:
        validate_monitors(plan, session)
    return plan


def validate_monitors(plan: Plan, session: Session) -> None:
    """Ask Datadog whether each new or changed monitor would be accepted (Terraform does the same).

    SLO alerts whose SLO does not exist yet cannot be checked: their query
    needs the SLO's id, which apply fills in.
    """
    todo = [
        change
        for change in plan.changes
        if get_kind(change.provider, change.kind).validates_at_plan
        and change.desired is not None
        and change.action in ("create", "update", "adopt")
        and not references_in(change.desired)
    ]
    finished = [0]  # verdicts in so far, for progress (workers finish in any order)
    lock = threading.Lock()

    def verdict(change: Change) -> str | None:
        kind = get_kind(change.provider, change.kind)
        assert change.desired is not None
        message = kind.validate(session, resolve_references(change.desired, lambda _a, _f: None), change.live_id)
        with lock:
            finished[0] += 1
            done = finished[0]
        session.observer(MonitorValidated(change.address, done, len(todo)))
        return None if message is None else f"{change.address}: Datadog rejects this monitor: {message}"

    # Concurrently, as many at once as the validate endpoint's rate-limit headers allow.
    family = get_kind("datadog", "monitor").api_family
    with phase(session.observer, "validating monitors", len(todo)):
        verdicts = paced_map(verdict, todo, limiter=session.datadog.limiter, family=family)
    problems = [v for v in verdicts if v is not None]
    if problems:
        raise PlanError("\n".join(problems) + "\n  hint: fix the monitor's query or thresholds in the definitions")
