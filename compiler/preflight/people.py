"""People: every PagerDuty user the on-call definitions name must exist; alertc never creates people.

A real account has its people already (provisioned by SSO). The embedded
sandbox starts empty and would otherwise fail every schedule on a fresh clone,
so there the definitions' people are added as users, through the sandbox's
users API: never against a real account.
"""

from __future__ import annotations

from compiler.definitions import Definitions
from compiler.errors import PlanError
from compiler.live import Session
from compiler.preflight.inputs import PlanInputs
from compiler.resources import references_in

USER_LOOKUP = "lookup:user/"


def check(inputs: PlanInputs) -> None:
    """Every ``lookup:user/<email>`` the compiled set references is a live user, else a PlanError naming the emails."""
    referenced = {a for r in inputs.desired for a, _ in references_in(r.body) if a.startswith(USER_LOOKUP)}
    missing = sorted(referenced - set(inputs.live.lookups()))
    if missing:
        emails = ", ".join(address.removeprefix(USER_LOOKUP) for address in missing)
        hint = "add the people to PagerDuty (alertc does not create users), or fix the emails in teams"
        if inputs.session.target.mode == "embedded":  # drift reads only: the sandbox has who a plan added
            hint = "the embedded sandbox has only the people a plan added: run 'alertc plan --target sandbox' first"
        raise PlanError(f"no PagerDuty user has the email {emails}\n  hint: {hint}")


def seed_embedded(definitions: Definitions, session: Session) -> list[str]:
    """Add the teams' members the embedded sandbox lacks as PagerDuty users; returns their emails."""
    if session.target.mode != "embedded":
        raise PlanError("refusing to create PagerDuty users outside the embedded sandbox")
    existing = set(session.pagerduty.read_users())
    seeded: list[str] = []
    for team in definitions.teams:
        for member in team.members:
            if member.email not in existing:
                session.pagerduty.client.rpost(
                    "users", json={"user": {"type": "user", "name": member.name, "email": member.email}}
                )
                existing.add(member.email)
                seeded.append(member.email)
    return seeded
