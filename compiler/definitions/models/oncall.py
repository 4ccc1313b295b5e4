"""The on-call sections: schedules (who is on call when) and escalation policies (who is paged next)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from compiler.checks.references import NOT_A_TEAM_MEMBER
from compiler.definitions.models.teams import TEAMS, member_emails
from compiler.definitions.section import Many, Model, Named, References
from compiler.definitions.types import (
    WEEKDAYS,
    CalendarDuration,
    ClockTime,
    Email,
    Name,
    TimeZone,
    Weekday,
    fail,
)


class Restriction(Model):
    """When a layer is on call. ``daily`` repeats every day; ``weekly`` starts on ``start_day``."""

    type: Literal["daily", "weekly"]
    start_time: ClockTime
    duration: CalendarDuration
    start_day: Weekday | None = None

    @model_validator(mode="after")
    def _shape(self) -> Restriction:
        if self.type == "weekly" and self.start_day is None:
            raise fail("a weekly restriction needs start_day", f"one of {', '.join(WEEKDAYS)}")
        if self.type == "daily" and self.start_day is not None:
            raise fail("a daily restriction has no start_day", "remove start_day or use type: weekly")
        limit = 86400 if self.type == "daily" else 7 * 86400
        if self.duration.seconds > limit:
            raise fail(f"a {self.type} restriction lasts at most {'1d' if limit == 86400 else '1w'}")
        return self


class Layer(Model):
    name: str
    start: AwareDatetime = Field(description="When the rotation starts, with its UTC offset.")
    rotation: CalendarDuration = Field(description="How long each member is on call, e.g. '1w'.")
    members: list[Email] = Field(min_length=1)
    restrictions: list[Restriction] = Field(default_factory=list)
    end: AwareDatetime | None = None


class Schedule(Named):
    team: Name
    time_zone: TimeZone
    layers: list[Layer] = Field(min_length=1)


class EscalationTarget(Model):
    """Exactly one of ``schedule`` (a schedule name) or ``user`` (a member's email)."""

    schedule: Name | None = None
    user: Email | None = None

    @model_validator(mode="after")
    def _one(self) -> EscalationTarget:
        if (self.schedule is None) == (self.user is None):
            raise fail("a target is exactly one of 'schedule' or 'user'", "e.g. {schedule: identity-primary}")
        return self


class EscalationRule(Model):
    delay: CalendarDuration = Field(description="Escalate to the next rule after this long without acknowledgement.")
    targets: list[EscalationTarget] = Field(min_length=1)


class EscalationPolicy(Named):
    team: Name
    loops: Annotated[int, Field(ge=0, le=9)] = Field(default=0, description="Times to repeat the rules (0-9).")
    rules: list[EscalationRule] = Field(min_length=1)


def _not_a_member(refs: References, item: Model, path: tuple[str | int, ...], email: str, where: str) -> None:
    refs.add(NOT_A_TEAM_MEMBER, refs.at(item, *path), f"'{email}' is not a member of any team", where)


def _schedule_references(refs: References) -> None:
    teams = refs.items(TEAMS)
    team_names = {t.name for t in teams}
    members = member_emails(teams)
    for schedule in refs.items(SCHEDULES):
        refs.check_known(schedule, ("team",), "team", schedule.team, team_names)
        for li, layer in enumerate(schedule.layers):
            refs.unique_within(schedule, ("layers", li, "members"), layer.members, "layer member")
            for mi, email in enumerate(layer.members):
                if email not in members:
                    path = ("layers", li, "members", mi)
                    _not_a_member(refs, schedule, path, email, "on-call people must be listed under a team's members")


def _policy_references(refs: References) -> None:
    teams = refs.items(TEAMS)
    team_names = {t.name for t in teams}
    members = member_emails(teams)
    schedules = {s.name for s in refs.items(SCHEDULES)}
    for policy in refs.items(ESCALATION_POLICIES):
        refs.check_known(policy, ("team",), "team", policy.team, team_names)
        for ri, rule in enumerate(policy.rules):
            for ti, target in enumerate(rule.targets):
                path: tuple[str | int, ...] = ("rules", ri, "targets", ti)
                if target.schedule is not None:
                    refs.check_known(policy, (*path, "schedule"), "schedule", target.schedule, schedules)
                if target.user is not None and target.user not in members:
                    where = "escalation targets must be listed under a team's members"
                    _not_a_member(refs, policy, (*path, "user"), target.user, where)


SCHEDULES: Many[Schedule] = Many(Schedule, "schedule", check=_schedule_references)
ESCALATION_POLICIES: Many[EscalationPolicy] = Many(EscalationPolicy, "escalation policy", check=_policy_references)
