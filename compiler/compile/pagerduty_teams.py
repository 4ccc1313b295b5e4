"""Teams → PagerDuty teams: the team's name, its description (or title) as the team's description.

Apply adds alertc's ownership marker to the description; escalation policies
and services reference a team as ``${pagerduty:team/<name>}``.
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler.definitions import models as m
from compiler.resources import Resource


def compile_pagerduty_teams(teams: Iterable[m.Team]) -> list[Resource]:
    return [
        Resource(
            "pagerduty",
            "team",
            team.name,
            {"type": "team", "name": team.name, "description": team.description or team.title},
        )
        for team in sorted(teams, key=lambda t: t.name)
    ]
