"""Existing PagerDuty status services the definitions reference by id (a dependency's ``pagerduty_service``).

A real account already has them (VA's ``global`` service is PLPSIB0, issue 12);
alertc neither creates nor changes them, and one unknown id makes the sign-in
backend's whole maintenance-window query fail, so plan refuses an id PagerDuty
does not know, naming it and its banner key. Read-only: one GET per referenced id
(PagerDuty's service list is not part of a plan's read).

The embedded sandbox starts empty, so ``plan`` on a fresh clone would fail that
check. As the embedded sandbox's people are seeded "as SSO would", these services
are seeded as an account administrator would have made them: **unowned** (no
alertc marks, so alertc never changes or deletes them), named as alertc would
name the status service, on an unowned escalation policy, with exactly the ids
the definitions reference.
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler.compile.banners import referenced_services, status_service_name
from compiler.definitions import Definitions
from compiler.errors import PlanError
from compiler.live import Session
from compiler.preflight.embedded import give_ids
from compiler.preflight.inputs import PlanInputs
from compiler.providers.pagerduty import REST

SEED_POLICY_NAME = "Sandbox seed: existing services"
SEED_DESCRIPTION = (
    "Sandbox seed: stands for an existing PagerDuty service the definitions reference by id "
    "(pagerduty_service); not managed by alertc."
)
STORE_KIND = "pd_service"  # the sandbox store's name for PagerDuty services


def exists(session: Session, service_id: str) -> bool:
    """Whether PagerDuty has a service with this id (a 404 is no); retried on 429 and 5xx."""
    found = session.pagerduty.get_or_none(REST, f"services/{service_id}", what=f"get service {service_id}")
    return found is not None


def missing_ids_error(definitions: Definitions, missing: Iterable[str]) -> PlanError:
    """The finding for referenced ids that do not exist live, naming each id and its key."""
    keys = {dep.pagerduty_service: dep.key for dep in definitions.dependencies}
    listed = ", ".join(f"{service_id} (banner key '{keys.get(service_id, '?')}')" for service_id in missing)
    return PlanError(
        f"pagerduty_service id(s) not found in PagerDuty: {listed}\n"
        "  hint: one unknown id makes the backend's whole maintenance-window query fail (400); "
        "fix the id in the dependency or remove pagerduty_service to let alertc create the status service"
    )


def check(inputs: PlanInputs) -> None:
    """Every ``pagerduty_service`` id exists (issue 12 item 6), else a PlanError naming each."""
    wanted = dict.fromkeys(referenced_services(inputs.definitions).values())
    missing = [service_id for service_id in wanted if not exists(inputs.session, service_id)]
    if missing:
        raise missing_ids_error(inputs.definitions, missing)


def seed_embedded(definitions: Definitions, session: Session) -> list[str]:
    """Create every referenced service the sandbox lacks, with its referenced id; returns the ids seeded."""
    wanted = {
        dep.pagerduty_service: status_service_name(dep, definitions.banners)
        for dep in definitions.dependencies
        if dep.pagerduty_service is not None
    }
    missing = {service_id: name for service_id, name in wanted.items() if not exists(session, service_id)}
    if not missing:
        return []
    client = session.pagerduty.client
    policy = _seed_policy(session)
    renames: dict[str, str] = {}
    for service_id, name in sorted(missing.items()):
        created = client.rpost(
            "services",
            json={
                "service": {
                    "type": "service",
                    "name": name,
                    "description": SEED_DESCRIPTION,
                    "escalation_policy": {"id": policy, "type": "escalation_policy_reference"},
                }
            },
        )
        renames[str(created["id"])] = service_id
    give_ids(client, STORE_KIND, renames)
    return sorted(missing)


def _seed_policy(session: Session) -> str:
    """The unowned escalation policy the seeded services use (made once, on the account's own user)."""
    client = session.pagerduty.client
    for policy in client.list_all("escalation_policies", params={"query": SEED_POLICY_NAME}):
        if policy.get("name") == SEED_POLICY_NAME:
            return str(policy["id"])
    users = client.list_all("users", params={"query": client.default_from})
    owner = next(u for u in users if str(u.get("email", "")).lower() == str(client.default_from).lower())
    created = client.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": SEED_POLICY_NAME,
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 30, "targets": [{"id": owner["id"], "type": "user_reference"}]}
                ],
            }
        },
    )
    return str(created["id"])
