"""Native definitions: Datadog and PagerDuty objects written in the vendors' own terms.

The process-derived forms (``monitors``, ``slos``, ``services`` ...) are how a team
states intent; native forms are how an existing account is brought under alertc
as it is: ``alertc import`` writes them, and teams migrate them one at a time to
the process-derived form (``alertc validate`` notes each native monitor on a
service that has a process, so the migration's progress is visible).

Each native item has a ``key`` (alertc's identity: the ownership key
``<kind>/<key>``, so renaming it is a delete + create) and optionally ``adopt``
(the live id of the object it takes over, written by import). Every other field
is the API's own, after the same normalization the diff uses (server defaults
omitted).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from compiler.definitions.findings import Finding
from compiler.definitions.source import display_path
from compiler.definitions.types import Email, Name, TimeZone

if TYPE_CHECKING:  # the loader calls check_native: a runtime import back would be a cycle
    from compiler.definitions.loader import Definitions

DatadogId = Annotated[str, Field(pattern=r"^[0-9]{1,20}$|^[0-9a-f]{32}$")]
PagerDutyId = Annotated[str, Field(pattern=r"^P[A-Z0-9]{5,13}$")]


class Model(BaseModel):
    """Closed like every definitions model (a misspelt key is an error, not an ignored setting)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False, validate_default=False)


class NativeBase(Model):
    key: Name = Field(description="alertc's identity for the object (its ownership key); lowercase, digits, '-'.")
    service: Name | None = Field(
        default=None, description="The service (of `services`) this object belongs to, when there is one."
    )


class DatadogMonitor(NativeBase):
    """A Datadog monitor as the monitors API writes it."""

    adopt: DatadogId | None = Field(default=None, description="The live monitor id this definition takes over.")
    name: str = Field(min_length=1, description="The monitor's name in Datadog.")
    type: str = Field(min_length=1, description="Datadog's monitor type, e.g. 'query alert', 'log alert'.")
    query: str = Field(min_length=1)
    message: str = ""
    tags: list[str] = Field(default_factory=list)
    priority: Annotated[int, Field(ge=1, le=5)] | None = None
    restricted_roles: list[str] = Field(default_factory=list)
    draft_status: Literal["draft", "published"] | None = None
    assets: list[dict[str, Any]] = Field(default_factory=list, description="Linked runbooks and other assets.")
    options: dict[str, Any] = Field(
        default_factory=dict, description="Datadog monitor options (server defaults may be left out)."
    )


class DatadogSlo(NativeBase):
    """A Datadog SLO as the SLO API writes it (metric, monitor or time-slice)."""

    adopt: DatadogId | None = Field(default=None, description="The live SLO id this definition takes over.")
    name: str = Field(min_length=1)
    type: Literal["metric", "monitor", "time_slice"]
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    thresholds: list[dict[str, Any]] = Field(min_length=1)
    timeframe: str | None = None
    target_threshold: float | None = None
    warning_threshold: float | None = None
    query: dict[str, Any] | None = None
    sli_specification: dict[str, Any] | None = None
    monitor_ids: list[int] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)


class DatadogDowntime(NativeBase):
    """A Datadog downtime (v2 attributes); imported so a migration does not unmute what someone muted."""

    adopt: Annotated[str, Field(pattern=r"^[0-9a-f-]{8,64}$")] | None = Field(
        default=None, description="The live downtime id this definition takes over."
    )
    scope: str = Field(min_length=1)
    message: str = ""
    monitor_identifier: dict[str, Any] = Field(description="monitor_id, or monitor_tags.")
    schedule: dict[str, Any] = Field(default_factory=dict)
    display_timezone: str | None = None
    mute_first_recovery_notification: bool | None = None
    notify_end_states: list[str] = Field(default_factory=list)
    notify_end_types: list[str] = Field(default_factory=list)


class DatadogServiceDefinition(NativeBase):
    """A Datadog service definition (Service Catalog), as schema v2.2 has it; Datadog keys it by ``dd-service``."""

    adopt: str | None = Field(
        default=None, description="The live service's dd-service name this definition takes over."
    )
    definition: dict[str, Any] = Field(description="The service definition's fields (schema-version, dd-service, ...).")


class NativeLayer(Model):
    """One schedule layer, people by email; ``start`` / ``rotation_virtual_start`` as PagerDuty has them."""

    name: str
    start: str
    rotation_virtual_start: str
    rotation_turn_length_seconds: Annotated[int, Field(gt=0)]
    users: list[Email] = Field(min_length=1)
    restrictions: list[dict[str, Any]] = Field(default_factory=list)
    end: str | None = None


class PagerDutySchedule(NativeBase):
    adopt: PagerDutyId | None = None
    name: str = Field(min_length=1)
    description: str = ""
    time_zone: TimeZone
    layers: list[NativeLayer] = Field(min_length=1, description="In definition order (PagerDuty lists them reversed).")


class NativeEscalationTarget(Model):
    """Exactly one of: a schedule (by its definition key, or by PagerDuty id), a user by email."""

    schedule: str | None = None
    user: Email | None = None


class NativeEscalationRule(Model):
    escalation_delay_in_minutes: Annotated[int, Field(ge=0)]
    targets: list[NativeEscalationTarget] = Field(min_length=1)


class PagerDutyEscalationPolicy(NativeBase):
    adopt: PagerDutyId | None = None
    name: str = Field(min_length=1)
    description: str = ""
    num_loops: Annotated[int, Field(ge=0, le=9)] = 0
    rules: list[NativeEscalationRule] = Field(min_length=1)
    teams: list[str] = Field(default_factory=list, description="PagerDuty teams: definition keys or ids.")
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Other policy fields as PagerDuty has them (teams, handoff notifications)."
    )


class PagerDutyService(NativeBase):
    adopt: PagerDutyId | None = None
    name: str = Field(min_length=1)
    description: str = ""
    escalation_policy: str = Field(description="The escalation policy: its definition key, or a PagerDuty id.")
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Other service fields as PagerDuty has them (urgency rules, timeouts ...)."
    )


class PagerDutyTeam(NativeBase):
    adopt: PagerDutyId | None = None
    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    default_role: Literal["manager", "none", "observer", "responder"] | None = None


class PagerDutyMaintenanceWindow(NativeBase):
    """A PagerDuty maintenance window; ``services`` by definition key or PagerDuty id."""

    adopt: PagerDutyId | None = None
    start_time: str
    end_time: str
    description: str = ""
    services: list[str] = Field(min_length=1)


NATIVE_KINDS: dict[str, type[NativeBase]] = {
    "pagerduty_teams": PagerDutyTeam,
    "datadog_monitors": DatadogMonitor,
    "datadog_slos": DatadogSlo,
    "datadog_downtimes": DatadogDowntime,
    "datadog_service_definitions": DatadogServiceDefinition,
    "pagerduty_schedules": PagerDutySchedule,
    "pagerduty_escalation_policies": PagerDutyEscalationPolicy,
    "pagerduty_services": PagerDutyService,
    "pagerduty_maintenance_windows": PagerDutyMaintenanceWindow,
}


_PROCESS_KIND = {  # native kind → the process-derived kind compiled to the same ownership keys
    "pagerduty_teams": "teams",
    "datadog_monitors": "monitors",
    "datadog_slos": "slos",
    "pagerduty_schedules": "schedules",
    "pagerduty_escalation_policies": "escalation_policies",
    "pagerduty_services": "services",
}
_PD_ID = re.compile(r"^P[A-Z0-9]{5,13}$")


def is_pagerduty_id(value: str) -> bool:
    """References in native PagerDuty forms name a definition key, or an existing object by id."""
    return bool(_PD_ID.match(value))


def check_native(d: Definitions) -> list[Finding]:
    """Cross-file rules of native forms: keys unique per kind (with the process-derived
    forms compiling to the same keys), services and references that exist."""
    findings: list[Finding] = []
    services = {s.name for s in d.services}

    def add(item: BaseModel, path: tuple[str | int, ...], code: str, message: str, hint: str) -> None:
        findings.append(Finding(d.origin(item).at(*path), message, hint, where=display_path(d.root), code=code))

    for kind, process_kind in _PROCESS_KIND.items():
        taken = {getattr(i, "name", None) for i in d.items(process_kind)}
        for item in d.items(kind):
            if item.key in taken:
                add(
                    item,
                    ("key",),
                    "R313",
                    f"key '{item.key}' is also a {process_kind[:-1].replace('_', ' ')} name: both would be one object",
                    "rename one; when migrating, delete the native definition in the change that adds the other",
                )
            if item.service is not None and item.service not in services:
                add(item, ("service",), "R314", f"unknown service '{item.service}'", "name a service of 'services'")
    schedules = {s.key for s in d.pagerduty_schedules} | {s.name for s in d.schedules}
    policies = {p.key for p in d.pagerduty_escalation_policies} | {p.name for p in d.escalation_policies}
    teams = {t.key for t in d.pagerduty_teams} | {t.name for t in d.teams}
    for policy in d.pagerduty_escalation_policies:
        for index, team in enumerate(policy.teams):
            if not is_pagerduty_id(team) and team not in teams:
                add(policy, ("teams", index), "R314", f"unknown PagerDuty team '{team}'", "a team key, or an id")
        for r, rule in enumerate(policy.rules):
            for t, target in enumerate(rule.targets):
                if (target.schedule is None) == (target.user is None):
                    add(policy, ("rules", r, "targets", t), "R315", "a target names exactly one of schedule, user", "")
                elif (
                    target.schedule is not None
                    and not is_pagerduty_id(target.schedule)
                    and target.schedule not in schedules
                ):
                    where = ("rules", r, "targets", t, "schedule")
                    add(
                        policy,
                        where,
                        "R314",
                        f"unknown schedule '{target.schedule}'",
                        "a schedule key, or a PagerDuty id",
                    )
    services = {s.key for s in d.pagerduty_services} | {s.name for s in d.services if s.pagerduty is not None}
    for window in d.pagerduty_maintenance_windows:
        for index, name in enumerate(window.services):
            if not is_pagerduty_id(name) and name not in services:
                add(
                    window,
                    ("services", index),
                    "R314",
                    f"unknown PagerDuty service '{name}'",
                    "a service key, or an id",
                )
    for service in d.pagerduty_services:
        ref = service.escalation_policy
        if not is_pagerduty_id(ref) and ref not in policies:
            at: tuple[str | int, ...] = ("escalation_policy",)
            add(service, at, "R314", f"unknown escalation policy '{ref}'", "a policy key, or a PagerDuty id")
    return findings
