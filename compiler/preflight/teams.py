"""Existing PagerDuty teams the definitions join (``teams[].pagerduty_team``), and names alertc's own teams need.

alertc never creates, changes or deletes such a team; it only puts its own
schedules and escalation policies in it. Plan refuses to go on when one does
not exist live, naming the team, because apply would otherwise fail halfway.
The team kind's ``lookups`` hook finds it, by id or by name without regard to case.

The embedded sandbox starts empty, so (as people and referenced services are)
the referenced teams are seeded there **unowned**, as an administrator would
have made them: by name, or with exactly the referenced id.
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler.compile.pagerduty_teams import team_address
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.errors import PlanError
from compiler.kinds.pagerduty.team import KIND as TEAM
from compiler.live import Session
from compiler.lookups import team_name_key
from compiler.preflight.embedded import give_ids
from compiler.preflight.inputs import PlanInputs
from compiler.resources import LiveObject, ResourceSet

STORE_KIND = "pd_team"  # the sandbox store's name for PagerDuty teams


def referenced_teams(definitions: Definitions) -> list[m.Team]:
    return sorted((t for t in definitions.teams if t.pagerduty_team is not None), key=lambda t: t.name)


def describe(team: m.Team) -> str:
    existing = team.pagerduty_team
    assert existing is not None
    return f"id {existing.id}" if existing.id is not None else f"name {existing.name!r}"


def check(inputs: PlanInputs) -> None:
    """The joined teams exist; unless the plan adopts by name, no team alertc creates takes an unowned team's name."""
    check_referenced(inputs.definitions, inputs.live.lookups())
    if not inputs.adopt_by_name:  # with it, an unowned team of the same name is adopted, not a clash
        check_names_free(inputs.desired, inputs.live.objects)


def check_referenced(definitions: Definitions, lookups: dict[str, str]) -> None:
    """Every ``pagerduty_team`` exists live (by id, or by name without regard to case), else a PlanError."""
    missing = [t for t in referenced_teams(definitions) if team_address(t) not in lookups]
    if missing:
        listed = "; ".join(f"team {t.name}: pagerduty_team {describe(t)}" for t in missing)
        raise PlanError(
            f"no PagerDuty team matches {listed}\n"
            "  hint: fix the id or name (it is the team's, as in PagerDuty's URL or list of teams), "
            "or remove pagerduty_team to let alertc create the team"
        )


def check_names_free(desired: ResourceSet, live: Iterable[LiveObject]) -> None:
    """A team alertc would create must not share its name with a team it does not own.

    PagerDuty refuses the duplicate name, and every schedule and escalation
    policy of the team (and every service paging them) waits for the team's id:
    one name collision would leave the whole on-call setup unapplied. Plan
    stops instead, pointing at ``pagerduty_team``, which joins that team.
    """
    taken = {
        team_name_key(obj.name): obj
        for obj in live
        if (obj.provider, obj.kind) == (TEAM.provider, TEAM.kind) and obj.address is None
    }
    clashes = []
    for team in desired.by_kind(TEAM.provider, TEAM.kind):
        if team.adopt is not None:  # taken over in place (alertc import): the plan adopts it
            continue
        obj = taken.get(team_name_key(str(team.body.get("name") or "")))
        if obj is not None:
            clashes.append((team.key, obj))
    if clashes:
        listed = "; ".join(f"team {key}: {obj.name!r} (id {obj.live_id})" for key, obj in clashes)
        raise PlanError(
            f"a PagerDuty team alertc does not manage already has the name of {listed}\n"
            f"  hint: join it with 'pagerduty_team: {{id: {clashes[0][1].live_id}}}' on the team, "
            "or rename the team in the definitions"
        )


def seed_embedded(definitions: Definitions, session: Session) -> list[str]:
    """Create every referenced team the sandbox lacks, unowned; returns what was seeded."""
    wanted = referenced_teams(definitions)
    if not wanted:
        return []
    client = session.pagerduty.client
    live = client.list_all("teams")
    ids = {str(t["id"]) for t in live}
    names = {team_name_key(str(t.get("name") or "")) for t in live}
    seeded: list[str] = []
    renames: dict[str, str] = {}
    for team in wanted:
        existing = team.pagerduty_team
        assert existing is not None
        if existing.name is not None:
            if team_name_key(existing.name) in names:
                continue
            client.rpost("teams", json={"team": {"type": "team", "name": existing.name.strip()}})
            names.add(team_name_key(existing.name))
        else:
            assert existing.id is not None
            if existing.id in ids:
                continue
            created = client.rpost("teams", json={"team": {"type": "team", "name": _free_name(team.title, names)}})
            renames[str(created["id"])] = existing.id
            ids.add(existing.id)
        seeded.append(describe(team))
    give_ids(client, STORE_KIND, renames)
    return seeded


def _free_name(title: str, names: set[str]) -> str:
    name, number = title, 1
    while team_name_key(name) in names:
        number += 1
        name = f"{title} {number}"
    names.add(team_name_key(name))
    return name
