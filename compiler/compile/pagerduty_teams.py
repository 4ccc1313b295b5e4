"""Teams → PagerDuty teams, and the team reference escalation policies and schedules carry.

Every team becomes a PagerDuty team named after it, its description (or
title) as the team's description; apply adds alertc's ownership marker. A team
with ``pagerduty_team`` instead joins a team made outside alertc: no team
resource is compiled, and the reference is a ``lookup:`` placeholder that plan
resolves from the live teams (the team kind's ``lookups``: by id, or by name
without regard to case, as PagerDuty keeps names unique); the preflight check
``compiler.preflight.teams`` refuses to plan without it.

PagerDuty puts a *service* in the team of its escalation policy (the
service's ``teams`` is read-only), so services carry no reference of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from compiler.definitions import models as m
from compiler.lookups import LOOKUP_BY_ID, LOOKUP_BY_NAME, team_name_key
from compiler.resources import Resource, ref


def team_address(team: m.Team) -> str:
    """Where the team's id comes from: alertc's own team, or a lookup of the existing one."""
    existing = team.pagerduty_team
    if existing is None:
        return f"pagerduty:team/{team.name}"
    if existing.id is not None:
        return LOOKUP_BY_ID + existing.id
    assert existing.name is not None  # the model requires id or name
    return LOOKUP_BY_NAME + team_name_key(existing.name)


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
