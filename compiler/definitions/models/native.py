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

``NativeSections`` is the native block of the table of sections (``Definitions``
inherits it). Each native section is a ``NativeForm``: besides the model and the
reference check it says, as data, what its items compile to (``address``) and
which fields the API requires (``always``), so ``compile/native.py`` compiles a
pass-through form without code of its own. A native form is therefore its model,
its section object and its field here: one module's edit.
"""

# ruff: noqa: RUF009 - a section's ``field()`` is ``dataclasses.field`` with the section in its metadata

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, Field

from compiler.checks.references import NATIVE_KEY_NAMES_A_DEFINITION, NATIVE_TARGET_NOT_ONE, NATIVE_UNKNOWN_REFERENCE
from compiler.definitions.models.oncall import ESCALATION_POLICIES, SCHEDULES
from compiler.definitions.models.services import SERVICES
from compiler.definitions.models.teams import TEAMS
from compiler.definitions.section import SECTION, Many, Model, ReferenceCheck, References
from compiler.definitions.types import Email, Name, TimeZone, fail

T = TypeVar("T", bound="NativeBase")
DatadogId = Annotated[str, Field(pattern=r"^[0-9]{1,20}$|^[0-9a-f]{32}$")]
PagerDutyId = Annotated[str, Field(pattern=r"^P[A-Z0-9]{5,13}$")]


class NativeBase(Model):
    key: Name = Field(description="alertc's identity for the object (its ownership key); lowercase, digits, '-'.")
    service: Name | None = Field(
        default=None, description="The service (of `services`) this object belongs to, when there is one."
    )


NOT_SENT = frozenset({"key", "service", "adopt"})  # alertc's own fields of a native item; every other is the API's


class NativeForm(Many[T]):
    """A native form's section: a list of one vendor object kind, written in the API's own fields.

    What compiling its items needs is declared here, as data (definitions never import ``compile/``):
    ``address``, the ``provider:kind`` its items become; ``always``, the fields sent even when empty (the
    API requires them), first; ``constants``, fields every body carries (PagerDuty's ``type``). Every
    other field of the model except alertc's own (``NOT_SENT``) is sent when set, in the model's order.
    A form whose fields are the API's (a monitor, an SLO, a dashboard) thus compiles with no code of its
    own; one whose fields are not (references by key, a body held in one field) has a hook in
    ``compile/native.py``.
    """

    def __init__(
        self,
        model: type[T],
        singular: str,
        address: str,
        *,
        always: tuple[str, ...] = (),
        constants: Mapping[str, Any] | None = None,
        check: ReferenceCheck | None = None,
    ) -> None:
        super().__init__(model, singular, check=check)
        self.model = model
        self.address = address
        self.provider, self.kind = address.split(":", 1)
        self.always = always
        self.constants: Mapping[str, Any] = constants or {}
        unknown = [f for f in always if f not in model.model_fields]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")

    def api_fields(self) -> tuple[str, ...]:
        """The fields a body may carry, in order: ``always`` first, then the model's other API fields."""
        rest = (f for f in self.model.model_fields if f not in NOT_SENT and f not in self.always)
        return (*self.always, *rest)


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


def _team_tag(tag: str) -> str:
    if not tag.startswith("team:") or tag == "team:":
        raise fail(f"dashboard tag '{tag}' is not 'team:<name>'", "Datadog takes only team tags on dashboards")
    return tag


class DatadogDashboard(NativeBase):
    """A Datadog dashboard as the dashboards API writes it: widgets, layout, template variables."""

    adopt: Annotated[str, Field(pattern=r"^[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$")] | None = Field(
        default=None, description="The live dashboard id (abc-def-ghi) this definition takes over."
    )
    title: str = Field(min_length=1)
    layout_type: Literal["ordered", "free"]
    description: str = ""
    widgets: list[dict[str, Any]] = Field(
        default_factory=list, description="Widgets as the API has them ({definition: {type: ...}, layout: ...})."
    )
    reflow_type: Literal["auto", "fixed"] | None = None
    template_variables: list[dict[str, Any]] = Field(default_factory=list)
    template_variable_presets: list[dict[str, Any]] = Field(default_factory=list)
    notify_list: list[str] = Field(default_factory=list)
    tags: list[Annotated[str, AfterValidator(_team_tag)]] = Field(
        default_factory=list, description="Only 'team:<name>' tags (Datadog refuses others on dashboards)."
    )
    restricted_roles: list[str] = Field(default_factory=list)
    is_read_only: bool | None = None


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


_PD_ID = re.compile(r"^P[A-Z0-9]{5,13}$")


def is_pagerduty_id(value: str) -> bool:
    """References in native PagerDuty forms name a definition key, or an existing object by id."""
    return bool(_PD_ID.match(value))


def _unknown(refs: References, item: NativeBase, path: tuple[str | int, ...], message: str, hint: str) -> None:
    refs.add(NATIVE_UNKNOWN_REFERENCE, refs.at(item, *path), message, hint)


def _one_object_per_key(refs: References, section: Many[Any], process_kind: str) -> None:
    """A native kind the process-derived ``process_kind`` compiles to the same keys: a key must not also be a
    process-derived name (both would be one object), and the service named must exist."""
    if not refs.items(section):
        return  # most sets have no native items of a kind: no need for the names of, say, 10,000 monitors
    what = f"a {process_kind[:-1].replace('_', ' ')} name"
    hint = "rename one; when migrating, delete the native definition in the change that adds the other"
    _keys_not_compiled(refs, section, refs.names(process_kind), what, hint)


def _keys_not_compiled(refs: References, section: Many[Any], taken: set[str], what: str, hint: str) -> None:
    """No key of ``section`` among the ``taken`` keys (``what`` the process compiles them from), and each
    item's service known."""
    services = {s.name for s in refs.items(SERVICES)}
    for item in refs.items(section):
        if item.key in taken:
            refs.add(
                NATIVE_KEY_NAMES_A_DEFINITION,
                refs.at(item, "key"),
                f"key '{item.key}' is also {what}: both would be one object",
                hint,
            )
        if item.service is not None and item.service not in services:
            _unknown(refs, item, ("service",), f"unknown service '{item.service}'", "name a service of 'services'")


def _policy_references(refs: References) -> None:
    _one_object_per_key(refs, PAGERDUTY_ESCALATION_POLICIES, "escalation_policies")
    schedules = {s.key for s in refs.items(PAGERDUTY_SCHEDULES)} | {s.name for s in refs.items(SCHEDULES)}
    teams = {t.key for t in refs.items(PAGERDUTY_TEAMS)} | {t.name for t in refs.items(TEAMS)}
    for policy in refs.items(PAGERDUTY_ESCALATION_POLICIES):
        for index, team in enumerate(policy.teams):
            if not is_pagerduty_id(team) and team not in teams:
                _unknown(refs, policy, ("teams", index), f"unknown PagerDuty team '{team}'", "a team key, or an id")
        for r, rule in enumerate(policy.rules):
            for t, target in enumerate(rule.targets):
                at = ("rules", r, "targets", t)
                if (target.schedule is None) == (target.user is None):
                    refs.add(
                        NATIVE_TARGET_NOT_ONE, refs.at(policy, *at), "a target names exactly one of schedule, user", ""
                    )
                elif (
                    target.schedule is not None
                    and not is_pagerduty_id(target.schedule)
                    and target.schedule not in schedules
                ):
                    message = f"unknown schedule '{target.schedule}'"
                    _unknown(refs, policy, (*at, "schedule"), message, "a schedule key, or a PagerDuty id")


def _service_references(refs: References) -> None:
    _one_object_per_key(refs, PAGERDUTY_SERVICES, "services")
    policies = {p.key for p in refs.items(PAGERDUTY_ESCALATION_POLICIES)}
    policies |= {p.name for p in refs.items(ESCALATION_POLICIES)}
    for service in refs.items(PAGERDUTY_SERVICES):
        ref = service.escalation_policy
        if not is_pagerduty_id(ref) and ref not in policies:
            message = f"unknown escalation policy '{ref}'"
            _unknown(refs, service, ("escalation_policy",), message, "a policy key, or a PagerDuty id")


def _window_references(refs: References) -> None:
    services = {s.key for s in refs.items(PAGERDUTY_SERVICES)}
    services |= {s.name for s in refs.items(SERVICES) if s.pagerduty is not None}
    for window in refs.items(PAGERDUTY_MAINTENANCE_WINDOWS):
        for index, name in enumerate(window.services):
            if not is_pagerduty_id(name) and name not in services:
                message = f"unknown PagerDuty service '{name}'"
                _unknown(refs, window, ("services", index), message, "a service key, or an id")


PAGERDUTY_TEAMS: NativeForm[PagerDutyTeam] = NativeForm(
    PagerDutyTeam,
    "PagerDuty team",
    "pagerduty:team",
    constants={"type": "team"},
    check=lambda refs: _one_object_per_key(refs, PAGERDUTY_TEAMS, "teams"),
)
DATADOG_MONITORS: NativeForm[DatadogMonitor] = NativeForm(
    DatadogMonitor,
    "Datadog monitor",
    "datadog:monitor",  # or datadog:slo_alert, by its type (a hook)
    check=lambda refs: _one_object_per_key(refs, DATADOG_MONITORS, "monitors"),
)
DATADOG_SLOS: NativeForm[DatadogSlo] = NativeForm(
    DatadogSlo, "Datadog SLO", "datadog:slo", check=lambda refs: _one_object_per_key(refs, DATADOG_SLOS, "slos")
)
DATADOG_DOWNTIMES: NativeForm[DatadogDowntime] = NativeForm(DatadogDowntime, "Datadog downtime", "datadog:downtime")
DATADOG_SERVICE_DEFINITIONS: NativeForm[DatadogServiceDefinition] = NativeForm(
    DatadogServiceDefinition,
    "Datadog service definition",
    "datadog:service_definition",  # the body is one field: a hook
)


def _dashboard_references(refs: References) -> None:
    """A native dashboard's key must not be a service that keeps its generated dashboard (one key, two objects)."""
    generated = {s.name for s in refs.items(SERVICES) if s.dashboards}
    what, hint = "a service with a generated dashboard", "rename the key, or set 'dashboards: false' on the service"
    _keys_not_compiled(refs, DATADOG_DASHBOARDS, generated, what, hint)


DATADOG_DASHBOARDS: NativeForm[DatadogDashboard] = NativeForm(
    DatadogDashboard,
    "Datadog dashboard",
    "datadog:dashboard",
    always=("title", "layout_type", "widgets"),  # the API requires them, an empty widget list too
    check=_dashboard_references,
)
# PagerDuty forms with references (by definition key or id) compile through hooks in compile/native.py.
PAGERDUTY_SCHEDULES: NativeForm[PagerDutySchedule] = NativeForm(
    PagerDutySchedule,
    "PagerDuty schedule",
    "pagerduty:schedule",
    check=lambda refs: _one_object_per_key(refs, PAGERDUTY_SCHEDULES, "schedules"),
)
PAGERDUTY_ESCALATION_POLICIES: NativeForm[PagerDutyEscalationPolicy] = NativeForm(
    PagerDutyEscalationPolicy, "PagerDuty escalation policy", "pagerduty:escalation_policy", check=_policy_references
)
PAGERDUTY_SERVICES: NativeForm[PagerDutyService] = NativeForm(
    PagerDutyService, "PagerDuty service", "pagerduty:service", check=_service_references
)
PAGERDUTY_MAINTENANCE_WINDOWS: NativeForm[PagerDutyMaintenanceWindow] = NativeForm(
    PagerDutyMaintenanceWindow, "PagerDuty maintenance window", "pagerduty:maintenance_window", check=_window_references
)


@dataclass(kw_only=True)
class NativeSections:
    """The native forms' block of the table of sections, in its order (``Definitions`` inherits it)."""

    pagerduty_teams: list[PagerDutyTeam] = PAGERDUTY_TEAMS.field()
    datadog_monitors: list[DatadogMonitor] = DATADOG_MONITORS.field()
    datadog_slos: list[DatadogSlo] = DATADOG_SLOS.field()
    datadog_downtimes: list[DatadogDowntime] = DATADOG_DOWNTIMES.field()
    datadog_service_definitions: list[DatadogServiceDefinition] = DATADOG_SERVICE_DEFINITIONS.field()
    datadog_dashboards: list[DatadogDashboard] = DATADOG_DASHBOARDS.field()
    pagerduty_schedules: list[PagerDutySchedule] = PAGERDUTY_SCHEDULES.field()
    pagerduty_escalation_policies: list[PagerDutyEscalationPolicy] = PAGERDUTY_ESCALATION_POLICIES.field()
    pagerduty_services: list[PagerDutyService] = PAGERDUTY_SERVICES.field()
    pagerduty_maintenance_windows: list[PagerDutyMaintenanceWindow] = PAGERDUTY_MAINTENANCE_WINDOWS.field()


def native_forms() -> tuple[NativeForm[Any], ...]:
    """Every native form, in the table's order (what ``compile_native`` iterates)."""
    forms = (f.metadata.get(SECTION) for f in dataclasses.fields(NativeSections))
    return tuple(form for form in forms if isinstance(form, NativeForm))
