"""Native definitions → Resources: the vendor's own fields, passed through (pure).

A native definition is already shaped like the API body; compiling it only
adds what alertc needs around it (the ownership key, the id it adopts, the
placeholders for people and for objects alertc creates in the same apply).
``compile_native`` iterates the native forms of the table of sections
(``models/native.py``): a form declares its address and the fields the API
requires, and ``pass_through`` builds the body from that data, so a new
pass-through form needs nothing here. The forms whose fields are not the API's
have a hook in ``HOOKS``: references in native PagerDuty forms name a
definition key (a placeholder, resolved from live state like every other) or an
existing object by its id; a monitor of type ``slo alert`` is the SLO-alert
kind; a service definition's body is its ``definition`` field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any, cast

from pydantic import BaseModel

from compiler.definitions import Definitions
from compiler.definitions.models import native as n
from compiler.resources import Provider, Resource, ref


def _drop_empty(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v not in (None, "", [], {})}


def api_fields(item: BaseModel, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a native definition, in that order, as the API writes them: copies (a body never
    shares the definitions' lists and mappings), empty ones left to the server."""
    return _drop_empty({name: copy.deepcopy(getattr(item, name)) for name in names})


def pass_through(form: n.NativeForm[Any], item: n.NativeBase, *, kind: str | None = None) -> Resource:
    """The body a form's data describes: its constants, the fields the API requires, the others when set."""
    required = {name: copy.deepcopy(getattr(item, name)) for name in form.always}
    body = {**form.constants, **required, **api_fields(item, form.api_fields()[len(form.always) :])}
    adopt = getattr(item, "adopt", None)  # each form types its own live id
    return Resource(cast("Provider", form.provider), kind or form.kind, item.key, body, adopt=adopt, native=True)


def compile_datadog_monitor(monitor: n.DatadogMonitor) -> Resource:
    kind = "slo_alert" if monitor.type.strip() == "slo alert" else "monitor"  # burn-rate alerts are their own kind
    return pass_through(n.DATADOG_MONITORS, monitor, kind=kind)


def compile_datadog_service_definition(service: n.DatadogServiceDefinition) -> Resource:
    body = dict(service.definition)
    return Resource("datadog", "service_definition", service.key, body, adopt=service.adopt, native=True)


Named = n.PagerDutySchedule | n.PagerDutyEscalationPolicy | n.PagerDutyService


def _named(kind: str, item: Named, **fields: Any) -> dict[str, Any]:
    """A PagerDuty object as its API writes it: its type, name and description (null when empty), then ``fields``."""
    return {"type": kind, "name": item.name, "description": item.description or None, **fields}


def _user(email: str) -> dict[str, str]:
    return {"id": ref(f"lookup:user/{email}"), "type": "user_reference"}


def _pagerduty_ref(kind: str, value: str, depends: list[str]) -> str:
    """A PagerDuty id as written, or the placeholder of the definition with that key."""
    if n.is_pagerduty_id(value):
        return value
    address = f"pagerduty:{kind}/{value}"
    depends.append(address)
    return ref(address)


def compile_pagerduty_schedule(schedule: n.PagerDutySchedule) -> Resource:
    layers = [
        _drop_empty(
            {
                "name": layer.name,
                "start": layer.start,
                "end": layer.end,
                "rotation_virtual_start": layer.rotation_virtual_start,
                "rotation_turn_length_seconds": layer.rotation_turn_length_seconds,
                "users": [{"user": _user(email)} for email in layer.users],
                "restrictions": [dict(r) for r in layer.restrictions],
            }
        )
        for layer in schedule.layers
    ]
    body = _named("schedule", schedule, time_zone=schedule.time_zone, schedule_layers=layers)
    return Resource("pagerduty", "schedule", schedule.key, body, adopt=schedule.adopt, native=True)


def compile_pagerduty_escalation_policy(policy: n.PagerDutyEscalationPolicy) -> Resource:
    depends: list[str] = []
    rules = []
    for rule in policy.rules:
        targets = []
        for target in rule.targets:
            if target.schedule is not None:
                targets.append(
                    {"id": _pagerduty_ref("schedule", target.schedule, depends), "type": "schedule_reference"}
                )
            elif target.user is not None:
                targets.append(_user(target.user))
        rules.append({"escalation_delay_in_minutes": rule.escalation_delay_in_minutes, "targets": targets})
    teams = [{"id": _pagerduty_ref("team", t, depends), "type": "team_reference"} for t in policy.teams]
    named = _named("escalation_policy", policy, num_loops=policy.num_loops, escalation_rules=rules)
    body = {**policy.settings, **({"teams": teams} if teams else {}), **named}
    return Resource(
        "pagerduty",
        "escalation_policy",
        policy.key,
        body,
        tuple(dict.fromkeys(depends)),
        adopt=policy.adopt,
        native=True,
    )


def compile_pagerduty_service(service: n.PagerDutyService) -> Resource:
    depends: list[str] = []
    policy = {
        "id": _pagerduty_ref("escalation_policy", service.escalation_policy, depends),
        "type": "escalation_policy_reference",
    }
    body = {**service.settings, **_named("service", service, escalation_policy=policy)}
    return Resource("pagerduty", "service", service.key, body, tuple(depends), adopt=service.adopt, native=True)


def compile_pagerduty_maintenance_window(window: n.PagerDutyMaintenanceWindow) -> Resource:
    depends: list[str] = []
    services = [{"id": _pagerduty_ref("service", s, depends), "type": "service_reference"} for s in window.services]
    body = {
        "type": "maintenance_window",
        "start_time": window.start_time,
        "end_time": window.end_time,
        "description": window.description or None,
        "services": services,
    }
    return Resource(
        "pagerduty", "maintenance_window", window.key, body, tuple(depends), adopt=window.adopt, native=True
    )


HOOKS: dict[n.NativeForm[Any], Callable[[Any], Resource]] = {
    n.DATADOG_MONITORS: compile_datadog_monitor,
    n.DATADOG_SERVICE_DEFINITIONS: compile_datadog_service_definition,
    n.PAGERDUTY_SCHEDULES: compile_pagerduty_schedule,
    n.PAGERDUTY_ESCALATION_POLICIES: compile_pagerduty_escalation_policy,
    n.PAGERDUTY_SERVICES: compile_pagerduty_service,
    n.PAGERDUTY_MAINTENANCE_WINDOWS: compile_pagerduty_maintenance_window,
}


def compile_native(d: Definitions) -> list[Resource]:
    """Every native definition: PagerDuty forms first, then Datadog's (each in the table's order, the
    order apply creates them in), sorted by key within each form."""
    out: list[Resource] = []
    for form in sorted(n.native_forms(), key=lambda f: f.provider != "pagerduty"):
        hook = HOOKS.get(form)
        for item in sorted(d.items(form.key), key=lambda i: i.key):
            out.append(hook(item) if hook is not None else pass_through(form, item))
    return out
