"""The process section: severities, tiers, priorities, roles and cadences, as data.

The process itself is data here, not code: another team writes a different ladder and the
compiler follows it.
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from compiler.checks.references import ENVIRONMENT_IN_TWO_TIERS, NO_PROCESS, TIER_WITHOUT_PRIORITIES
from compiler.definitions.section import SECTION, Model, References, Single
from compiler.definitions.types import (
    CalendarDuration,
    ClockTime,
    Duration,
    Name,
    SlackChannel,
    TimeZone,
    Url,
    Weekday,
    clock_minutes,
    fail,
)


class Severity(Model):
    """One rung of the severity ladder (the SLA's "Severity 1/2/3", OfficeLuv's "Critical/Moderate/Low").

    A rung is defined either by users affected (``users_per_hour_above``: a quantitative ladder, where a
    monitor may state the users/hour it means and the ladder derives its severity) or by what is impaired
    (``impact``: a qualitative ladder, where every monitor names its severity). One ladder is one kind.
    """

    name: Name = Field(description="Stable id used by monitors and rules, e.g. 'sev1'.")
    title: str = Field(description="Human label, e.g. 'Severity 1'.")
    description: str = ""
    users_per_hour_above: Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description="Quantitative rung: the severity applies when more than this many users per hour are "
        "affected. Omit it on a qualitative ladder (then set impact).",
    )
    impact: str | None = Field(
        default=None,
        description="Qualitative rung: the impact category that defines it, e.g. 'prevents customer operations'.",
    )
    examples: list[str] = Field(default_factory=list, description="Typical incidents of this severity.")
    handling: str = Field(default="", description="How the team treats it, e.g. 'all hands on deck, immediately'.")
    response_time: Duration = Field(description="How fast the team responds, e.g. '1h' or '1 business day'.")
    pages: StrictBool = Field(description="Whether alerts of this severity page the on-call through PagerDuty.")
    coverage: Literal["24x7", "business_hours"] = Field(
        default="24x7", description="When this severity is handled: around the clock or in business hours only."
    )
    includes_non_production: StrictBool = Field(
        default=False, description="Non-production problems always get this severity (the SLA's Severity 3)."
    )

    @model_validator(mode="after")
    def _kind(self) -> Severity:
        if (self.users_per_hour_above is None) == (self.impact is None):
            raise fail(
                f"severity '{self.name}' needs exactly one of users_per_hour_above or impact",
                "users_per_hour_above: N for a ladder by users affected; impact: '<what is impaired>' for a "
                "qualitative one",
            )
        return self


class Tier(Model):
    """An environment tier of the priority matrix (production = tier 1)."""

    name: Name
    description: str = ""
    environments: list[Name] = Field(min_length=1, description="Service environments that belong to this tier.")
    production: StrictBool = Field(default=False, description="Whether this tier serves real users.")


class Priority(Model):
    """A priority (P1–P4) and what it obliges."""

    name: Annotated[str, Field(pattern=r"^P[0-9]$")] = Field(description="P1, P2, ...")
    description: str = ""
    datadog_priority: Annotated[int, Field(ge=1, le=5)] = Field(description="Datadog monitor priority, 1 to 5.")
    declare_incident: StrictBool = Field(
        default=False, description="An alert of this priority requires a declared incident."
    )


class PriorityMatrix(Model):
    """Priority as a function of tier and what a firing alert means.

    The columns are either users affected per hour (``users_per_hour_above``, thresholds from the largest
    down: the identity process's matrix) or severities (``severities``, names from the ladder: a
    qualitative process rates a severity directly); each row gives one priority per column for a tier.
    """

    users_per_hour_above: list[Annotated[int, Field(ge=0)]] | None = Field(
        default=None, min_length=1, description="Column thresholds, users per hour, from the largest down."
    )
    severities: list[Name] | None = Field(
        default=None,
        min_length=1,
        description="Columns by severity name (every rung of the ladder once), instead of users per hour.",
    )
    rows: dict[Name, list[str]] = Field(description="Tier name → one priority name per column.")

    @property
    def columns(self) -> int:
        return len(self.users_per_hour_above or self.severities or [])

    @model_validator(mode="after")
    def _shape(self) -> PriorityMatrix:
        if (self.users_per_hour_above is None) == (self.severities is None):
            raise fail(
                "the priority matrix needs exactly one kind of column: users_per_hour_above or severities",
                "users_per_hour_above: [1000, 100, 0] for columns by users affected; severities: [critical, "
                "moderate, low] for columns by severity",
            )
        cols = self.users_per_hour_above
        if cols is not None and any(a <= b for a, b in pairwise(cols)):
            raise fail(
                f"users_per_hour_above must be strictly decreasing, got {cols}",
                "list the thresholds from the largest down, e.g. [1000, 100, 0]",
            )
        for tier, row in self.rows.items():
            if len(row) != self.columns:
                raise fail(
                    f"row '{tier}' has {len(row)} priorities but there are {self.columns} columns",
                    "give one priority per users_per_hour_above threshold"
                    if cols is not None
                    else "give one priority per severity column",
                )
        return self


class Role(Model):
    """A role someone holds during an incident (OfficeLuv's Incident Commander, Solutioneer, Communications)."""

    name: Name = Field(description="Stable id, e.g. 'incident-commander'.")
    title: str = Field(description="Human label, e.g. 'Incident Commander'.")
    duties: list[str] = Field(min_length=1, description="What the holder does, one duty per item.")
    holders: Literal["one", "one_or_more", "optional"] = Field(
        default="one_or_more",
        description="How many people hold it in an incident: exactly one, at least one, or none needed.",
    )
    held_by: list[str] = Field(
        default_factory=list,
        description="Team member roles (a member's `role`, e.g. 'lead', 'engineer') that may hold it; "
        "empty means anyone on the team.",
    )
    default_holder: Literal["on_call", "declarer"] | None = Field(
        default=None,
        description="Who holds it unless someone claims it: the paged on-call, or whoever declares the incident.",
    )
    commander: StrictBool = Field(
        default=False, description="The incident's primary decision-maker and source of truth (one role at most)."
    )


class IncidentChannels(Model):
    """Where an incident is worked in the open, beyond each team's own channels."""

    running_log: SlackChannel | None = Field(
        default=None,
        description="The incident channel that is the running log (OfficeLuv's #sitrep): the incident is "
        "announced there with its severity and topic, people state the role they hold, every action is "
        "logged, and the postmortem documents are attached to the topic.",
    )
    stakeholders: str = Field(
        default="", description="How stakeholders hear of the incident and its report, e.g. 'email from the IC'."
    )
    declare_in: Literal["datadog_incidents", "slack"] = Field(
        default="datadog_incidents",
        description="Where the process declares an incident: 'datadog_incidents' (declared there, its Teams field "
        "set, updates from its Notifications) or 'slack' (raised in the running-log channel, else the team's "
        "incident channel, and updated there). The alerts' declaration prompt follows it.",
    )


class Postmortem(Model):
    """When a postmortem is owed, who is told, and what it answers (compiled into the postmortem template)."""

    title: str = Field(default="Postmortem", description="The report's name, e.g. 'Situation report'.")
    triggers: list[str] = Field(
        default_factory=list,
        description="Conditions that require a postmortem (any one suffices); empty means every declared incident.",
    )
    notify_role: Name | None = Field(
        default=None, description="The role told when a trigger holds (e.g. the Product Owner)."
    )
    owner_role: Name | None = Field(
        default=None, description="The role that writes and sends the report (e.g. the Incident Commander)."
    )
    questions: list[str] = Field(default_factory=list, description="What the report answers, in order.")
    repository: Url | None = Field(default=None, description="Where postmortems are filed.")


class IncidentSeverity(Model):
    """A Datadog incident severity (SEV-1…SEV-5) and when to use it."""

    name: Annotated[str, Field(pattern=r"^SEV-[1-5]$")]
    description: str
    example: str = ""


class BusinessHours(Model):
    days: list[Weekday] = Field(min_length=1)
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _order(self) -> BusinessHours:
        if clock_minutes(self.end) <= clock_minutes(self.start):
            raise fail(f"business hours end ({self.end}) must be after start ({self.start})")
        if len(set(self.days)) != len(self.days):
            raise fail("business hours list a day twice")
        return self


class MaintenancePolicy(Model):
    """The SLA's rules for the team's own planned maintenance (the identity SLA: announced at least 3 business days
    ahead, at most 4 hours a month); the process lint checks the maintenance windows against them."""

    notice: Duration | None = Field(
        default=None, description="How far ahead a window must be announced, e.g. '3 business days' or '72h'."
    )
    max_per_month: CalendarDuration | None = Field(
        default=None, description="At most this much planned maintenance per calendar month, e.g. '4h'."
    )


class Process(Model):
    """The documented incident-response process, as data."""

    name: str
    time_zone: TimeZone = Field(description="Time zone of business hours (PagerDuty's ids).")
    business_hours: BusinessHours
    acknowledgement_target: CalendarDuration = Field(
        description="On-call acknowledges a page within this: the escalation policy's first delay enforces it "
        "(the process lint checks it); it is not a re-page of an acknowledged incident (see acknowledgement_timeout)."
    )
    acknowledgement_timeout: CalendarDuration | None = Field(
        default=None,
        description="Opt-in: PagerDuty's acknowledgement timeout on the paging services, which triggers an "
        "acknowledged incident not resolved this long after the acknowledgement again and pages the on-call anew. "
        "Omit it (the default) for none: an acknowledged incident is the responder's until resolved.",
    )
    status_update_every: CalendarDuration = Field(description="Cadence of incident status updates.")
    status_update_reminder: Literal["timer", "on_change"] | None = Field(
        default=None,
        description="What Datadog posts to the incident channels while a declared incident is open: 'timer', a "
        "notification every status_update_every (Datadog cannot: validate warns; alertc compiles on_change), or "
        "'on_change', a notification whenever its severity, state or status changes. Omit it for none.",
    )
    incident_after: CalendarDuration | None = Field(
        default=None, description="A production alert active this long qualifies for the top priority."
    )
    alert_reminders: CalendarDuration | None = Field(
        default=None,
        description="Opt-in: re-notify a paging alert that is still alerting every this long. Omit it for none: the "
        "status-update cadence belongs to the declared incident. With incident_after it must equal incident_after "
        "(the process lint checks it): Datadog re-notifies on one cadence, and the first re-notification is the "
        "declaration prompt.",
    )
    severities: list[Severity] = Field(
        min_length=1, description="Most severe first; by users/hour (users_per_hour_above) or by impact."
    )
    tiers: list[Tier] = Field(min_length=1)
    priorities: list[Priority] = Field(min_length=1, description="Most urgent first.")
    priority_matrix: PriorityMatrix
    incident_severities: list[IncidentSeverity] = Field(default_factory=list)
    datadog_subdomain: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = Field(
        default=None,
        description="The organisation's custom Datadog subdomain (e.g. 'vagov' for vagov.ddog-gov.com); links in "
        "alert messages (the incidents page) use it on the target's Datadog site.",
    )

    maintenance: MaintenancePolicy | None = Field(
        default=None,
        description="Notice and monthly hours of planned maintenance of the team's own systems (dependencies with a "
        "service); windows of other systems (a CSP's) do not count.",
    )
    roles: list[Role] = Field(default_factory=list, description="Roles held during an incident.")
    channels: IncidentChannels = Field(default_factory=IncidentChannels)
    postmortem: Postmortem | None = None

    @property
    def qualitative(self) -> bool:
        """A ladder of impact categories, not users/hour thresholds: monitors must name their severity."""
        return self.severities[0].users_per_hour_above is None

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)

    @property
    def commander(self) -> Role | None:
        return next((r for r in self.roles if r.commander), None)

    @model_validator(mode="after")
    def _ladder(self) -> Process:
        kinds = {s.users_per_hour_above is None for s in self.severities}
        if len(kinds) > 1:
            raise fail(
                "severities mix users_per_hour_above and impact rungs",
                "a ladder is one kind: every rung by users affected, or every rung by impact",
            )
        if self.qualitative:
            if self.priority_matrix.severities is None:
                raise fail(
                    "a qualitative severity ladder needs a priority matrix by severity",
                    "priority_matrix: {severities: [<every severity name, most severe first>], rows: {...}}",
                )
        else:
            thresholds = [s.users_per_hour_above for s in self.severities]
            if any(a is None or b is None or a <= b for a, b in pairwise(thresholds)):
                raise fail(
                    "severities must be ordered most severe first with decreasing users_per_hour_above, "
                    f"got {thresholds}"
                )
        names = [s.name for s in self.severities]
        columns = self.priority_matrix.severities
        if columns is not None and sorted(columns) != sorted(names):
            raise fail(
                f"priority_matrix.severities {columns} must list every severity once: {names}",
                "one column per rung of the ladder",
            )
        commanders = [r.name for r in self.roles if r.commander]
        if len(commanders) > 1:
            raise fail(f"roles {commanders} are all marked commander", "an incident has one commander role")
        for attr in ("notify_role", "owner_role"):
            wanted = getattr(self.postmortem, attr, None) if self.postmortem is not None else None
            if wanted is not None and self.role(wanted) is None:
                raise fail(
                    f"postmortem.{attr} '{wanted}' is not a role",
                    f"roles: {', '.join(r.name for r in self.roles) or 'none defined; add process.roles'}",
                )
        return self


NATIVE_PREFIXES = ("datadog_", "pagerduty_")  # native sections: the vendors' own objects, as an import writes them
WITHOUT_PROCESS = ("owner", "process", *NATIVE_PREFIXES)


def _process_shaped(refs: References) -> bool:
    """Whether any section is shaped by the process (native definitions alone, an import, need none)."""
    for definition_field in dataclasses.fields(refs.d):  # type: ignore[arg-type]
        section = definition_field.metadata.get(SECTION)
        if section is not None and not section.key.startswith(WITHOUT_PROCESS):
            value = getattr(refs.d, definition_field.name)
            if value is not None and value != []:
                return True
    return False


def _references(refs: References) -> None:
    process = refs.value(PROCESS)
    if process is None:
        if _process_shaped(refs):
            refs.add(
                NO_PROCESS, None, "no 'process' is defined", "add a 'process:' section (severities, tiers, priorities)"
            )
        return
    refs.unique_within(process, "severities", [s.name for s in process.severities], "severity name")
    refs.unique_within(process, "tiers", [t.name for t in process.tiers], "tier name")
    refs.unique_within(process, "priorities", [p.name for p in process.priorities], "priority name")
    environments: dict[str, str] = {}
    for ti, tier in enumerate(process.tiers):
        if not refs.unique_within(process, ("tiers", ti, "environments"), tier.environments, "environment"):
            continue
        for ei, env in enumerate(tier.environments):
            if env in environments:
                refs.add(
                    ENVIRONMENT_IN_TWO_TIERS,
                    refs.at(process, "tiers", ti, "environments", ei),
                    f"environment '{env}' is in tiers '{environments[env]}' and '{tier.name}'",
                    "an environment belongs to exactly one tier",
                )
            environments[env] = tier.name
    tiers = {t.name for t in process.tiers}
    priorities = {p.name for p in process.priorities}
    matrix = process.priority_matrix
    for tier_name, row in matrix.rows.items():
        refs.check_known(process, ("priority_matrix", "rows", tier_name), "tier", tier_name, tiers)
        for index, priority in enumerate(row):
            refs.check_known(process, ("priority_matrix", "rows", tier_name, index), "priority", priority, priorities)
    for tier in process.tiers:
        if tier.name not in matrix.rows:
            refs.add(
                TIER_WITHOUT_PRIORITIES,
                refs.at(process, "priority_matrix", "rows"),
                f"priority matrix has no row for tier '{tier.name}'",
                "every tier needs a row of priorities",
            )


PROCESS: Single[Process] = Single(Process, check=_references)


def environments(process: Process | None) -> set[str]:
    """Every environment of the process's tiers (none without a process)."""
    return {env for tier in process.tiers for env in tier.environments} if process is not None else set()


def severity_names(process: Process | None) -> set[str]:
    return {s.name for s in process.severities} if process is not None else set()
