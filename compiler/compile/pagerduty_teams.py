"""Teams → PagerDuty teams, and the team reference escalation policies and schedules carry.

Every team becomes a PagerDuty team named after it, its description (or
title) as the team's description; apply adds alertc's ownership marker. A team
with ``pagerduty_team`` instead joins a team made outside alertc: no team
resource is compiled, and the reference is a ``lookup:`` placeholder that plan
resolves from the live teams (by id, or by name without regard to case, as
PagerDuty keeps names unique) and refuses to plan without.

PagerDuty puts a *service* in the team of its escalation policy (the
service's ``teams`` is read-only), so services carry no reference of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from compiler.definitions import models as m
from compiler.resources import LiveObject, Resource, ref

LOOKUP_TEAM_BY_NAME = "lookup:team/"
LOOKUP_TEAM_BY_ID = "lookup:team_id/"


def team_name_key(name: str) -> str:
    """How a team name is looked up: trimmed and case-folded (PagerDuty team names are unique that way)."""
    return name.strip().casefold()


def team_address(team: m.Team) -> str:
    """Where the team's id comes from: alertc's own team, or a lookup of the existing one."""
    existing = team.pagerduty_team
    if existing is None:
        return f"pagerduty:team/{team.name}"
    if existing.id is not None:
        return LOOKUP_TEAM_BY_ID + existing.id
    assert existing.name is not None  # the model requires id or name
    return LOOKUP_TEAM_BY_NAME + team_name_key(existing.name)


def team_reference(team: m.Team) -> dict[str, Any]:
    """``{id, type: team_reference}`` as PagerDuty's ``teams`` arrays take it (the id known after apply)."""
    return {"id": ref(team_address(team)), "type": "team_reference"}


def team_dependencies(team: m.Team) -> tuple[str, ...]:
    """A managed team must be created first; an existing one already is."""
    address = team_address(team)
    return (address,) if address.startswith("pagerduty:") else ()


def compile_pagerduty_teams(teams: Iterable[m.Team]) -> list[Resource]:
    return [
        Resource(
            "pagerduty",
            "team",
            team.name,
            {"type": "team", "name": team.name, "description": team.description or team.title},
        )
        for team in sorted(teams, key=lambda t: t.name)
        if team.pagerduty_team is None
    ]


TEAM_KIND = ("pagerduty", "team")


def is_live_team(obj: LiveObject) -> bool:
    """A live PagerDuty team, owned by alertc or not."""
    return (obj.provider, obj.kind) == TEAM_KIND


def team_lookups(objects: Iterable[LiveObject]) -> dict[str, str]:
    """Every live PagerDuty team's id, by ``lookup:team_id/<id>`` and ``lookup:team/<name key>``."""
    found: dict[str, str] = {}
    for obj in objects:
        if is_live_team(obj):
            found[LOOKUP_TEAM_BY_ID + obj.live_id] = obj.live_id
            found[LOOKUP_TEAM_BY_NAME + team_name_key(obj.name)] = obj.live_id
    return found
