"""The definitions language: what a team writes under ``definitions/``.

Every model forbids unknown fields, so a misspelt key is an error rather than
a silently ignored setting. The process itself (severities, priorities, tiers,
cadences) is data here, not code: another team writes a different ladder and
the compiler follows it.

Checks that need only one object live here (a model validator); checks that
need the whole definition set (references, duplicates, cycles) live in
``references.py``.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, model_validator

from compiler.definitions import native
from compiler.definitions.types import (
    WEEKDAYS,
    BannerKey,
    CalendarDuration,
    ClockTime,
    Duration,
    Email,
    Name,
    Percentage,
    SlackChannel,
    TimeZone,
    Url,
    Weekday,
    clock_minutes,
    fail,
)


class Model(BaseModel):
    """Base of every definitions model: closed, and documented in the JSON Schema."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, validate_default=False)


# --- process ---------------------------------------------------------------------------------


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


class Process(Model):
    """The documented incident-response process, as data."""

    name: str
    time_zone: TimeZone = Field(description="Time zone of business hours (PagerDuty's ids).")
    business_hours: BusinessHours
    acknowledgement_target: CalendarDuration = Field(description="On-call acknowledges a page within this.")
    status_update_every: CalendarDuration = Field(description="Cadence of incident status updates.")
    status_update_reminder: Literal["timer", "on_change"] | None = Field(
        default=None,
        description="What Datadog posts to the incident channels while a declared incident is open: 'timer', a "
        "notification every status_update_every (Datadog cannot: lint P116; alertc compiles on_change), or "
        "'on_change', a notification whenever its severity, state or status changes. Omit it for none.",
    )
    incident_after: CalendarDuration | None = Field(
        default=None, description="A production alert active this long qualifies for the top priority."
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


# --- teams and on-call -----------------------------------------------------------------------


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
    pagerduty_team: ExistingPagerDutyTeam | None = Field(
        default=None,
        description="An existing PagerDuty team this team's schedules, escalation policies and services join; "
        "alertc then creates no team of its own, and plan fails if the team does not exist.",
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


class Schedule(Model):
    name: Name
    title: str = ""
    description: str = ""
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


class EscalationPolicy(Model):
    name: Name
    title: str = ""
    description: str = ""
    team: Name
    loops: Annotated[int, Field(ge=0, le=9)] = Field(default=0, description="Times to repeat the rules (0-9).")
    rules: list[EscalationRule] = Field(min_length=1)


# --- services, SLOs and monitors ---------------------------------------------------------------


class AlertGrouping(Model):
    """PagerDuty alert grouping on a service: related alerts become one incident."""

    type: Literal["time", "intelligent"] = Field(
        description="'time': alerts within `timeout` join the open incident; 'intelligent': PagerDuty's model."
    )
    timeout: CalendarDuration | None = Field(default=None, description="For 'time': the grouping window.")

    @model_validator(mode="after")
    def _timeout(self) -> AlertGrouping:
        if (self.type == "time") != (self.timeout is not None):
            raise fail("alert_grouping needs a timeout exactly when type is 'time'", "e.g. {type: time, timeout: 15m}")
        return self


class PagerDutyRouting(Model):
    service: str | None = Field(default=None, description="PagerDuty service name; defaults to the service title.")
    escalation_policy: Name
    email_integration: Email | None = Field(
        default=None,
        description="Address of an email integration on the service (e.g. the after-hours route people write to); "
        "PagerDuty requires it to end in the account's PagerDuty domain.",
    )
    alert_grouping: AlertGrouping | None = None


class Service(Model):
    name: Name
    title: str
    team: Name
    environment: Name = Field(description="Maps to a tier through process.tiers.")
    description: str = ""
    runbook: Url | None = None
    dashboard: Url | None = None
    depends_on: list[Name] = Field(default_factory=list, description="Services this one needs.")
    external_dependencies: list[BannerKey] = Field(
        default_factory=list, description="Dependency (banner) keys of external systems this service needs."
    )
    users_per_hour: Annotated[int, Field(ge=0)] = Field(description="Typical traffic: users per hour.")
    pagerduty: PagerDutyRouting | None = None
    guidance: str = Field(default="", description="What responders must know for any alert of this service.")


class BurnRateTier(Model):
    """One window pair of a multi-window burn-rate alert."""

    long_window: CalendarDuration
    short_window: CalendarDuration
    burn_rate: Annotated[float, Field(gt=0)]
    severity: Name

    @model_validator(mode="after")
    def _windows(self) -> BurnRateTier:
        if self.short_window.seconds >= self.long_window.seconds:
            raise fail(f"short_window ({self.short_window}) must be shorter than long_window ({self.long_window})")
        return self


class SloAlerting(Model):
    enabled: StrictBool = True
    tiers: list[BurnRateTier] | None = Field(
        default=None, description="Burn-rate tiers; omitted means Datadog's recommended tiers for the timeframe."
    )
    on_invalid_tier: Literal["error", "drop", "clamp"] = Field(
        default="error", description="What to do with a tier Datadog would reject."
    )


Timeframe = Literal["7d", "30d", "90d"]


class SloBase(Model):
    name: Name
    title: str = ""
    description: str = ""
    service: Name
    target: Percentage
    warning: Percentage | None = None
    timeframe: Timeframe = "30d"
    tags: list[str] = Field(default_factory=list)
    alerting: SloAlerting = Field(default_factory=SloAlerting)
    datadog_slo: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")] | None = Field(
        default=None,
        description="An existing Datadog SLO, by id: alertc creates and changes no SLO for this definition, its "
        "burn-rate alerts watch that id, and plan checks it exists. The other fields describe the SLO for the "
        "process lint and the burn-rate tiers.",
    )

    @model_validator(mode="after")
    def _warning_above_target(self) -> SloBase:
        if self.warning is not None and self.warning <= self.target:
            raise fail(f"warning ({self.warning}%) must be above target ({self.target}%)")
        return self


class MetricSlo(SloBase):
    """Good events over total events (Datadog metric SLO)."""

    type: Literal["metric"]
    good: str = Field(min_length=1, description="Query counting good events.")
    total: str = Field(min_length=1, description="Query counting all events.")


class TimeSliceSlo(SloBase):
    """Share of time slices in which a query meets a threshold (Datadog time-slice SLO)."""

    type: Literal["time_slice"]
    query: str = Field(min_length=1)
    comparator: Literal["<", "<=", ">", ">="]
    threshold: float
    slice: Literal["1m", "5m"] = "5m"


Slo = Annotated[MetricSlo | TimeSliceSlo, Field(discriminator="type")]

Comparator = Literal["<", "<=", ">", ">="]


class Thresholds(Model):
    critical: float
    warning: float | None = None
    recovery: float | None = Field(default=None, description="Critical recovers only past this value.")
    warning_recovery: float | None = None


class Impact(Model):
    """What a firing monitor means for users: absolute, or a fraction of the service's traffic."""

    users_per_hour: Annotated[int, Field(ge=0)] | None = None
    failing_fraction: Annotated[float, Field(gt=0, le=1)] | None = None

    @model_validator(mode="after")
    def _one(self) -> Impact:
        if (self.users_per_hour is None) == (self.failing_fraction is None):
            raise fail("impact is exactly one of users_per_hour or failing_fraction")
        return self


class Notifications(Model):
    channels: list[SlackChannel] = Field(default_factory=list, description="Extra Slack channels.")
    handles: list[Annotated[str, Field(pattern=r"^@[\w.+-]+(@[\w.-]+)?$")]] = Field(
        default_factory=list, description="Extra Datadog @-handles."
    )
    replace_defaults: StrictBool = Field(
        default=False, description="Notify only these, not the team channel and PagerDuty service."
    )


class Monitor(Model):
    name: Name
    title: str
    service: Name
    type: Literal["query alert", "metric alert", "service check", "event-v2 alert", "log alert"] = "query alert"
    query: str = Field(min_length=1, description="The metric expression, without aggregation or comparison.")
    aggregation: Literal["avg", "sum", "min", "max", "last", "change", "pct_change"] = "avg"
    window: CalendarDuration = Field(description="Evaluation window, e.g. '15m'.")
    comparator: Comparator
    thresholds: Thresholds
    severity: Name | None = None
    impact: Impact | None = None
    runbook: Url | None = None
    notify: Notifications = Field(default_factory=Notifications)
    banner_key: BannerKey | None = Field(default=None, description="Dependency key whose status service this drives.")
    banner_on_no_data: StrictBool = Field(
        default=False,
        description="Also raise the banner on No Data (off by default: a metrics gap is not a sign-in outage).",
    )
    guidance: str = Field(default="", description="What the responder must know or decide for this alert.")
    no_data: CalendarDuration | None = Field(default=None, description="Alert when data is missing this long.")
    tags: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_./:-]*$")]] = Field(default_factory=list)
    options: dict[str, Any] = Field(
        default_factory=dict, description="Raw Datadog monitor options, merged last (escape hatch)."
    )

    @model_validator(mode="after")
    def _thresholds(self) -> Monitor:
        if self.severity is None and self.impact is None:
            raise fail(
                "a monitor needs a severity or an impact",
                "set severity: <name>, or impact: {users_per_hour: N} to derive it from the severity table",
            )
        t, below = self.thresholds, self.comparator in ("<", "<=")
        sign = 1.0 if below else -1.0  # healthy values are above critical for '<', below it for '>'
        ok_side = "above" if below else "below"
        if t.warning is not None and sign * (t.warning - t.critical) <= 0:
            raise fail(
                f"warning threshold {t.warning} must be {ok_side} critical {t.critical} "
                f"for comparator '{self.comparator}'"
            )
        if t.recovery is not None and sign * (t.recovery - t.critical) <= 0:
            raise fail(
                f"recovery threshold {t.recovery} must be {ok_side} critical {t.critical} "
                f"for comparator '{self.comparator}'",
                "the monitor recovers once the value is back on the healthy side of this threshold",
            )
        if t.warning_recovery is not None:
            if t.warning is None:
                raise fail("warning_recovery needs a warning threshold")
            if sign * (t.warning_recovery - t.warning) <= 0:
                raise fail(f"warning_recovery {t.warning_recovery} must be {ok_side} warning {t.warning}")
        if self.options and {"thresholds", "notify_no_data", "no_data_timeframe"} & set(self.options):
            reserved = {"thresholds", "notify_no_data", "no_data_timeframe"} & set(self.options)
            raise fail(
                f"options may not set {', '.join(sorted(reserved))}",
                "use the monitor's thresholds and no_data fields instead",
            )
        return self


# --- downtime banners and maintenance ----------------------------------------------------------


class BannerText(Model):
    headline: str
    body: str
    status: Literal["info", "warning", "error"] = "warning"


class Dependency(Model):
    """A banner key: a system whose outage users see (a CSP, MPI, SSOe, SiS)."""

    key: BannerKey = Field(description="The sign-in backend's key for this system, e.g. 'logingov', 'ssoe_oauth'.")
    title: str = Field(description="Display name; the PagerDuty status service is 'External: <title>'.")
    kind: Literal["csp", "identity", "backend"] = "backend"
    service: Name | None = Field(
        default=None, description="The service that implements this system, when the team owns it (e.g. SSOe)."
    )
    banner: BannerText
    pagerduty_service: str | None = Field(
        default=None,
        json_schema_extra={"pattern": r"^P[A-Z0-9]{5,13}$"},
        description="An existing PagerDuty status service, by id (e.g. PVWB4R8): alertc creates no status service "
        "for this key, uses the id in the banner configuration and maintenance windows, and plan checks it exists.",
    )
    datadog_handle: str | None = Field(
        default=None,
        json_schema_extra={"pattern": r"^[A-Za-z0-9_.+-]+$"},
        description="With pagerduty_service: the service_name Datadog's PagerDuty integration already has for that "
        "service; monitors with this banner_key notify '@pagerduty-<datadog_handle>' (plan checks it exists, "
        "alertc never changes it).",
    )
    status_prefix: str | None = Field(
        default=None,
        description="Status-service name prefix of this key when it differs from banners.status_prefix "
        "(e.g. 'Mobile: ' for a mobile team's own services).",
    )

    @model_validator(mode="after")
    def _service_id(self) -> Dependency:
        service_id = self.pagerduty_service
        if service_id is not None and not re.fullmatch(r"P[A-Z0-9]{5,13}", service_id):
            raise fail(
                f"pagerduty_service {service_id!r} is not a PagerDuty service id",
                "ids are 'P' and upper-case letters or digits, as in the service's URL, e.g. PVWB4R8",
            )
        return self

    @model_validator(mode="after")
    def _handle(self) -> Dependency:
        handle = self.datadog_handle
        if handle is None:
            return self
        if self.pagerduty_service is None:
            raise fail(
                f"datadog_handle {handle!r} needs pagerduty_service",
                "a handle names how Datadog reaches an existing service; without pagerduty_service alertc creates "
                f"the status service and its handle '@pagerduty-status-{self.key}' itself",
            )
        if not re.fullmatch(r"[A-Za-z0-9_.+-]+", handle):
            raise fail(
                f"datadog_handle {handle!r} is not a Datadog PagerDuty service name",
                "write the service_name as Datadog's PagerDuty integration lists it, without '@pagerduty-' "
                "(letters, digits, '_', '.', '+', '-')",
            )
        if handle.startswith("status-"):
            raise fail(
                f"datadog_handle {handle!r} starts with 'status-'",
                "'@pagerduty-status-<key>' handles are the status services alertc creates; name the existing one",
            )
        return self


class AuthMethod(Model):
    """A way to sign in, and the banner keys its users depend on."""

    name: Name
    title: str
    selector: str = Field(description="How the sign-in page recognises the method, e.g. 'oauth=true'.")
    service: Name = Field(description="The service implementing it.")
    depends_on: list[BannerKey] = Field(min_length=1, description="Banner keys whose outage these users see.")


class Feature(Model):
    """An app feature and the dependency (banner) keys it needs: the mobile team's feature → dependency map.

    When one of the keys is down or in maintenance, the feature is affected; ``maintenance`` names the key
    of the feature's own maintenance-window service, when it has one.
    """

    name: Name
    title: str
    depends_on: list[BannerKey] = Field(min_length=1, description="Banner keys whose outage affects this feature.")
    description: str = ""


class BannerSettings(Model):
    multiple_services: BannerText
    maintenance: BannerText
    maintenance_lead_time: CalendarDuration = Field(description="Show the maintenance banner this long before.")
    status_prefix: str = Field(default="External: ", description="Prefix of PagerDuty status service names.")


class MaintenanceWindow(Model):
    name: Name
    start: AwareDatetime
    end: AwareDatetime
    dependencies: list[BannerKey] = Field(min_length=1)
    message: str = Field(min_length=1, description="The user-facing message.")

    @model_validator(mode="after")
    def _order(self) -> MaintenanceWindow:
        if self.end <= self.start:
            raise fail(f"end ({self.end.isoformat()}) must be after start ({self.start.isoformat()})")
        return self


# --- one file, and the whole set --------------------------------------------------------------


class DefinitionsFile(Model):
    """One YAML document. Every kind is optional here; lists concatenate across files."""

    model_config = ConfigDict(
        extra="forbid",
        title="alertc definitions",
        json_schema_extra={"$comment": "Generated by `alertc schema`; do not edit by hand."},
    )

    owner: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] | None = Field(
        default=None,
        description="The alertc ownership scope of these definitions (a tag-safe slug, e.g. 'identity'): alertc "
        "manages only objects carrying it, and never changes another scope's.",
    )
    process: Process | None = None
    banners: BannerSettings | None = None
    teams: list[Team] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)
    escalation_policies: list[EscalationPolicy] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    slos: list[Slo] = Field(default_factory=list)
    monitors: list[Monitor] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    auth_methods: list[AuthMethod] = Field(default_factory=list)
    features: list[Feature] = Field(default_factory=list)
    maintenance_windows: list[MaintenanceWindow] = Field(default_factory=list)
    datadog_monitors: list[native.DatadogMonitor] = Field(default_factory=list)  # native forms: definitions/native.py
    datadog_slos: list[native.DatadogSlo] = Field(default_factory=list)
    datadog_downtimes: list[native.DatadogDowntime] = Field(default_factory=list)
    datadog_service_definitions: list[native.DatadogServiceDefinition] = Field(default_factory=list)
    pagerduty_schedules: list[native.PagerDutySchedule] = Field(default_factory=list)
    pagerduty_escalation_policies: list[native.PagerDutyEscalationPolicy] = Field(default_factory=list)
    pagerduty_services: list[native.PagerDutyService] = Field(default_factory=list)
    pagerduty_teams: list[native.PagerDutyTeam] = Field(default_factory=list)
    pagerduty_maintenance_windows: list[native.PagerDutyMaintenanceWindow] = Field(default_factory=list)


LIST_KINDS: tuple[str, ...] = (
    "teams",
    "schedules",
    "escalation_policies",
    "services",
    "slos",
    "monitors",
    "dependencies",
    "auth_methods",
    "features",
    "maintenance_windows",
    *native.NATIVE_KINDS,
)
SINGLE_KINDS: tuple[str, ...] = ("owner", "process", "banners")
KIND_SINGULAR: dict[str, str] = {
    "teams": "team",
    "schedules": "schedule",
    "escalation_policies": "escalation policy",
    "services": "service",
    "slos": "SLO",
    "monitors": "monitor",
    "dependencies": "dependency",
    "auth_methods": "auth method",
    "features": "feature",
    "maintenance_windows": "maintenance window",
    "datadog_monitors": "Datadog monitor",
    "datadog_slos": "Datadog SLO",
    "datadog_downtimes": "Datadog downtime",
    "datadog_service_definitions": "Datadog service definition",
    "pagerduty_schedules": "PagerDuty schedule",
    "pagerduty_escalation_policies": "PagerDuty escalation policy",
    "pagerduty_services": "PagerDuty service",
    "pagerduty_teams": "PagerDuty team",
    "pagerduty_maintenance_windows": "PagerDuty maintenance window",
}


def item_name(item: BaseModel) -> str:
    """The identifying field of an item of any list kind."""
    for attr in ("key", "name"):  # native forms: ``key`` is the identity, ``name`` the vendor's display name
        value = getattr(item, attr, None)
        if isinstance(value, str):
            return value
    raise AttributeError(f"{type(item).__name__} has no name")


__all__ = [
    "LIST_KINDS",
    "SINGLE_KINDS",
    "AuthMethod",
    "BannerSettings",
    "DefinitionsFile",
    "Dependency",
    "EscalationPolicy",
    "Feature",
    "MaintenanceWindow",
    "MetricSlo",
    "Monitor",
    "Process",
    "Schedule",
    "Service",
    "Slo",
    "Team",
    "TimeSliceSlo",
]
