"""Native definitions → Resources: the vendor's own fields, passed through (pure).

A native definition is already shaped like the API body; compiling it only
adds what alertc needs around it (the ownership key, the id it adopts, the
placeholders for people and for objects alertc creates in the same apply).
References in native PagerDuty forms name a definition key (a placeholder,
resolved from live state like every other) or an existing object by its id.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from compiler.definitions import Definitions
from compiler.definitions.models import native as n
from compiler.resources import Resource, ref


def _drop_empty(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v not in (None, "", [], {})}


def api_fields(item: BaseModel, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a native definition, in that order, as the API writes them: copies (a body never
    shares the definitions' lists and mappings), empty ones left to the server."""
    return _drop_empty({name: copy.deepcopy(getattr(item, name)) for name in names})


def compile_datadog_monitor(monitor: n.DatadogMonitor) -> Resource:
    fields = ("name", "type", "query", "message", "tags", "priority", "restricted_roles", "draft_status")
    body = api_fields(monitor, (*fields, "assets", "options"))
    kind = "slo_alert" if monitor.type.strip() == "slo alert" else "monitor"  # burn-rate alerts are their own kind
    return Resource("datadog", kind, monitor.key, body, adopt=monitor.adopt, native=True)


def compile_datadog_slo(slo: n.DatadogSlo) -> Resource:
    fields = ("name", "type", "description", "tags", "thresholds", "timeframe", "target_threshold")
    body = api_fields(slo, (*fields, "warning_threshold", "query", "sli_specification", "monitor_ids", "groups"))
    return Resource("datadog", "slo", slo.key, body, adopt=slo.adopt, native=True)


def compile_datadog_downtime(downtime: n.DatadogDowntime) -> Resource:
    fields = ("scope", "message", "monitor_identifier", "schedule", "display_timezone")
    body = api_fields(downtime, (*fields, "mute_first_recovery_notification", "notify_end_states", "notify_end_types"))
    return Resource("datadog", "downtime", downtime.key, body, adopt=downtime.adopt, native=True)


def compile_datadog_service_definition(service: n.DatadogServiceDefinition) -> Resource:
    body = dict(service.definition)
    return Resource("datadog", "service_definition", service.key, body, adopt=service.adopt, native=True)


Named = n.PagerDutySchedule | n.PagerDutyEscalationPolicy | n.PagerDutyService


def _named(kind: str, item: Named, **fields: Any) -> dict[str, Any]:
    """A PagerDuty object as its API writes it: its type, name and description (null when empty), then ``fields``."""
    return {"type": kind, "name": item.name, "description": item.description or None, **fields}


DASHBOARD_OPTIONAL = (
    "description", "reflow_type", "template_variables", "template_variable_presets", "notify_list", "tags",
    "restricted_roles", "is_read_only",
)  # fmt: skip


def compile_datadog_dashboard(dashboard: n.DatadogDashboard) -> Resource:
    """The API's fields as written: title, layout and widgets always (the API requires them), the rest when set."""
    body = {
        "title": dashboard.title,
        "layout_type": dashboard.layout_type,
        "widgets": [dict(w) for w in dashboard.widgets],
        **api_fields(dashboard, DASHBOARD_OPTIONAL),
    }
    return Resource("datadog", "dashboard", dashboard.key, body, adopt=dashboard.adopt, native=True)


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


def compile_pagerduty_team(team: n.PagerDutyTeam) -> Resource:
    body = {"type": "team", **api_fields(team, ("name", "description", "default_role"))}
    return Resource("pagerduty", "team", team.key, body, adopt=team.adopt, native=True)


def compile_native(d: Definitions) -> list[Resource]:
    """Every native definition, sorted by key within each kind."""
    out: list[Resource] = []
    out += [compile_pagerduty_team(t) for t in sorted(d.pagerduty_teams, key=lambda t: t.key)]
    out += [compile_pagerduty_schedule(s) for s in sorted(d.pagerduty_schedules, key=lambda s: s.key)]
    out += [
        compile_pagerduty_escalation_policy(p) for p in sorted(d.pagerduty_escalation_policies, key=lambda p: p.key)
    ]
    out += [compile_pagerduty_service(s) for s in sorted(d.pagerduty_services, key=lambda s: s.key)]
    windows = sorted(d.pagerduty_maintenance_windows, key=lambda w: w.key)
    out += [compile_pagerduty_maintenance_window(w) for w in windows]
    out += [compile_datadog_monitor(m) for m in sorted(d.datadog_monitors, key=lambda m: m.key)]
    out += [compile_datadog_slo(s) for s in sorted(d.datadog_slos, key=lambda s: s.key)]
    out += [compile_datadog_downtime(t) for t in sorted(d.datadog_downtimes, key=lambda t: t.key)]
    definitions = sorted(d.datadog_service_definitions, key=lambda s: s.key)
    out += [compile_datadog_service_definition(s) for s in definitions]
    out += [compile_datadog_dashboard(x) for x in sorted(d.datadog_dashboards, key=lambda x: x.key)]
    return out
