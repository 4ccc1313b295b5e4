"""The teams section: who is on a team, and where its alerts and incidents go."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, model_validator

from compiler.checks.references import PAGERDUTY_TEAM_OF_ANOTHER_TEAM
from compiler.definitions.section import Many, Model, References
from compiler.definitions.types import (
    Email,
    Name,
    SlackChannel,
    fail,
)


class Member(Model):
    email: Email
    name: str
    role: str = "engineer"


class SlackChannels(Model):
    alerts: SlackChannel = Field(description="Where monitors notify.")
    incidents: SlackChannel = Field(description="Where incident status updates are posted.")
    account: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")] | None = Field(
        default=None,
        description="Name of the Slack account in Datadog's Slack integration; handles become "
        "@slack-<account>-<channel> (Datadog's full form) instead of @slack-<channel>.",
    )


class ExistingPagerDutyTeam(Model):
    """A PagerDuty team made outside alertc, by id or by name: alertc attaches to it and never changes it."""

    id: str | None = Field(
        default=None,
        json_schema_extra={"pattern": r"^P[A-Z0-9]{5,13}$"},
        description="The team's id, as in its URL (e.g. PQ9K7I8).",
    )
    name: str | None = Field(
        default=None,
        json_schema_extra={"pattern": r"^[^{}#]{1,100}$"},
        description="The team's exact name (compared without regard to case, as PagerDuty keeps names unique).",
    )

    @model_validator(mode="after")
    def _one(self) -> ExistingPagerDutyTeam:
        if (self.id is None) == (self.name is None):
            raise fail("pagerduty_team is exactly one of 'id' or 'name'", "e.g. {id: PQ9K7I8} or {name: Identity}")
        if self.id is not None and not re.fullmatch(r"P[A-Z0-9]{5,13}", self.id):
            raise fail(
                f"pagerduty_team id {self.id!r} is not a PagerDuty team id",
                "ids are 'P' and upper-case letters or digits, as in the team's URL, e.g. PQ9K7I8",
            )
        if self.name is not None and not re.fullmatch(r"[^{}#]{1,100}", self.name.strip()):
            raise fail(
                f"pagerduty_team name {self.name!r} is not a PagerDuty team name",
                "1-100 characters, without '{', '}' or '#'",
            )
        return self


class Team(Model):
    name: Name
    title: str
    description: str = ""
    slack: SlackChannels
    members: list[Member] = Field(min_length=1)
    datadog_team: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,194}$")] | None = Field(
        default=None,
        description="The team's Datadog Teams handle (e.g. 'identity'): its incident notification rules match "
        "incidents whose Teams field holds it, so in a shared organisation another team's incident never reaches "
        "this team's channels [default: the team's name].",
    )
    pagerduty_team: ExistingPagerDutyTeam | None = Field(
        default=None,
        description="An existing PagerDuty team this team's schedules, escalation policies and services join; "
        "alertc then creates no team of its own, and plan fails if the team does not exist.",
    )


def _references(refs: References) -> None:
    teams = refs.items(TEAMS)
    for team in teams:
        refs.unique_within(team, "members", [member.email for member in team.members], "member")
    # ``pagerduty_team: {name: X}`` must not name the PagerDuty team alertc creates for another team
    created = {t.name.casefold(): t.name for t in teams if t.pagerduty_team is None}
    for team in teams:
        existing = team.pagerduty_team
        if existing is None or existing.name is None:
            continue
        other = created.get(existing.name.strip().casefold())
        if other is not None:
            refs.add(
                PAGERDUTY_TEAM_OF_ANOTHER_TEAM,
                refs.at(team, "pagerduty_team", "name"),
                f"pagerduty_team '{existing.name}' is the PagerDuty team alertc creates for team '{other}'",
                f"to share one PagerDuty team, give team '{other}' the same pagerduty_team, or name another team",
            )


TEAMS: Many[Team] = Many(Team, "team", check=_references)


def datadog_team(team: Team) -> str:
    """The Datadog Teams handle an incident of this team carries (its incident notification rules match it)."""
    return team.datadog_team or team.name


def member_emails(teams: list[Team]) -> set[str]:
    """Everyone on some team: the only people a schedule or an escalation policy may name."""
    return {member.email for team in teams for member in team.members}
