"""Definitions + target → a Plan: compile, read live state in bulk, diff, validate monitors.

This is the one function ``alertc plan`` calls. Time is taken here, once, and
passed down: compile and diff stay pure.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from compiler.banners.handles import check_referenced_handles
from compiler.banners.sandbox_seed import seed_referenced_handles, seed_referenced_services
from compiler.banners.status import check_referenced_services
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions.loader import Definitions
from compiler.errors import PlanError
from compiler.events import MonitorValidated, phase
from compiler.existing_teams import check_referenced_teams, check_team_names_free, seed_referenced_teams
from compiler.kinds import get_kind
from compiler.live import LiveState, Session, read_live
from compiler.plan import Change, Plan, build_plan
from compiler.providers.pacing import paced_map
from compiler.resources import ResourceSet, references_in, resolve_references


@dataclass
class PlanOutcome:
    plan: Plan
    desired: ResourceSet
    live: LiveState


def make_plan(
    definitions: Definitions,
    session: Session,
    *,
    now: datetime,
    validate: bool = True,
    read_only: bool = False,
    compiled: CompileResult | None = None,
    adopt_by_name: bool = False,
    owner: str | None = None,
) -> PlanOutcome:
    """``read_only`` (drift) skips everything that writes, including seeding the embedded sandbox's people.

    ``compiled`` is the run's one compilation (made with the same ``now``), when the caller already has it.
    ``owner`` is the ownership scope (default: the definitions' ``owner``); ``adopt_by_name``
    plans an adopt, instead of a conflict, for an unowned object with a definition's name and kind.
    """
    owner = owner if owner is not None else definitions.owner
    compiled = compiled or compile_definitions(definitions, now=now, datadog_site=session.target.datadog_site)
    desired = compiled.resources
    if session.target.mode == "embedded" and not read_only:
        seed_embedded_people(definitions, session)
        seed_referenced_services(session.pagerduty.client, definitions)  # unowned, as the real account has them
        seed_referenced_handles(session, definitions)  # and the Datadog handles that reach them
        seed_referenced_teams(session.pagerduty.client, definitions)
    live = read_live(session, desired, owner=owner)
    check_people(desired, live)
    check_referenced_teams(definitions, live.lookups())
    if not adopt_by_name:  # with it, an unowned team of the same name is adopted, not a clash
        check_team_names_free(desired, live.objects)
    check_referenced_services(definitions, session)
    check_referenced_handles(definitions, session)
    check_referenced_slos(definitions, live)
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
    return PlanOutcome(plan, desired, live)


def check_referenced_slos(definitions: Definitions, live: LiveState) -> None:
    """Every existing SLO a definition references by id (``datadog_slo``) must exist (whoever owns it)."""
    slo = get_kind("datadog", "slo").address
    known = {o.live_id for o in live.objects if f"{o.provider}:{o.kind}" == slo}
    missing = [
        f"SLO '{s.name}': datadog_slo {s.datadog_slo}"
        for s in definitions.slos
        if s.datadog_slo and s.datadog_slo not in known
    ]
    if missing:
        raise PlanError(
            "no Datadog SLO has the id referenced by "
            + "; ".join(missing)
            + "\n  hint: copy the id from the SLO's page in Datadog, or remove datadog_slo to let alertc create it"
        )


def check_people(desired: ResourceSet, live: LiveState) -> None:
    """Every person the on-call definitions name must exist in PagerDuty (alertc does not create people)."""
    known = live.lookups()
    missing = sorted(
        {address for r in desired for address, _ in references_in(r.body) if address.startswith("lookup:user/")}
        - set(known)
    )
    if missing:
        emails = ", ".join(address.removeprefix("lookup:user/") for address in missing)
        raise PlanError(
            f"no PagerDuty user has the email {emails}\n"
            "  hint: add the people to PagerDuty (alertc does not create users), or fix the emails in teams"
        )


def seed_embedded_people(definitions: Definitions, session: Session) -> None:
    """In the embedded sandbox only, add the definitions' people as PagerDuty users.

    A real account has its people already (provisioned by SSO); the sandbox
    starts empty, and would otherwise fail every schedule on a fresh clone.
    This goes through the sandbox's users API, never against a real account.
    """
    if session.target.mode != "embedded":
        raise PlanError("refusing to create PagerDuty users outside the embedded sandbox")
    existing = set(session.pagerduty.read_users())
    for team in definitions.teams:
        for member in team.members:
            if member.email not in existing:
                session.pagerduty.client.rpost(
                    "users", json={"user": {"type": "user", "name": member.name, "email": member.email}}
                )
                existing.add(member.email)


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
