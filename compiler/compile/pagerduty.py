"""On-call and paging → PagerDuty schedules, escalation policies, services, integrations.

PagerDuty users are not managed here: people are looked up by email in the
live account (``lookup:user/<email>``), because accounts are provisioned by
SSO and a monitoring compiler creating people would be surprising.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from compiler.compile.pagerduty_teams import team_dependencies, team_reference
from compiler.compile.routing import rate_monitor
from compiler.definitions import models as m
from compiler.definitions.types import WEEKDAYS, Duration
from compiler.resources import Resource, ref

DATADOG_VENDOR_ID = "PAM4FGS"


def _user_ref(email: str) -> dict[str, str]:
    return {"id": ref(f"lookup:user/{email}"), "type": "user_reference"}


def _restriction(r: m.Restriction) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"{r.type}_restriction",
        "start_time_of_day": f"{r.start_time}:00",
        "duration_seconds": r.duration.seconds,
    }
    if r.start_day is not None:
        body["start_day_of_week"] = WEEKDAYS.index(r.start_day) + 1
    return body


def compile_schedule(schedule: m.Schedule, team: m.Team) -> Resource:
    """PagerDuty honours a schedule's ``teams`` on create only (reference R5-6): later changes are not diffed."""
    layers = []
    for layer in schedule.layers:
        start = layer.start.isoformat()
        layers.append(
            {
                "name": layer.name,
                "start": start,
                "end": layer.end.isoformat() if layer.end else None,
                "rotation_virtual_start": start,
                "rotation_turn_length_seconds": layer.rotation.seconds,
                "users": [{"user": _user_ref(email)} for email in layer.members],
                "restrictions": [_restriction(r) for r in layer.restrictions],
            }
        )
    return _team_object("schedule", schedule, team, {"time_zone": schedule.time_zone, "schedule_layers": layers})


def compile_escalation_policy(policy: m.EscalationPolicy, team: m.Team) -> Resource:
    """The policy belongs to its team (at most one, §2.3); its services join that team through it."""
    rules = []
    depends: list[str] = []
    for rule in policy.rules:
        targets = []
        for target in rule.targets:
            if target.schedule is not None:
                address = f"pagerduty:schedule/{target.schedule}"
                depends.append(address)
                targets.append({"id": ref(address), "type": "schedule_reference"})
            elif target.user is not None:
                targets.append(_user_ref(target.user))
        rules.append({"escalation_delay_in_minutes": rule.delay.minutes, "targets": targets})
    fields = {"num_loops": policy.loops, "escalation_rules": rules}
    return _team_object("escalation_policy", policy, team, fields, depends)


def _team_object(
    kind: str, item: m.Schedule | m.EscalationPolicy, team: m.Team, fields: dict[str, Any], depends: Iterable[str] = ()
) -> Resource:
    """An object of the team's own: named by its title, described, in the team, created after the team."""
    body = {
        "type": kind,
        "name": item.title or item.name,
        "description": item.description or None,
        **fields,
        "teams": [team_reference(team)],
    }
    return Resource("pagerduty", kind, item.name, body, tuple(dict.fromkeys([*team_dependencies(team), *depends])))


def _support_hours(process: m.Process) -> dict[str, Any]:
    hours = process.business_hours
    return {
        "type": "fixed_time_per_day",
        "time_zone": process.time_zone,
        "start_time": f"{hours.start}:00",
        "end_time": f"{hours.end}:00",
        "days_of_week": sorted(WEEKDAYS.index(d) + 1 for d in hours.days),
    }


def urgency_settings(process: m.Process, service: m.Service, monitors: list[m.Monitor]) -> dict[str, Any]:
    """High urgency around the clock if anything can page 24x7; else high only in business hours.

    PagerDuty requires ``scheduled_actions`` with ``use_support_hours`` (and
    forbids it otherwise), so both are always emitted together.
    """
    ratings = [rate_monitor(process, mon, service) for mon in monitors]
    if any(r.pages and r.severity.coverage == "24x7" for r in ratings):
        # The acknowledgement target is a time to acknowledge, which the escalation policy enforces; PagerDuty's
        # acknowledgement timeout re-triggers an *acknowledged* incident, so it is set only when the process opts in.
        timeout = process.acknowledgement_timeout
        return {
            "incident_urgency_rule": {"type": "constant", "urgency": "high"},
            "acknowledgement_timeout": timeout.seconds if timeout is not None else None,
        }
    return {
        "incident_urgency_rule": {
            "type": "use_support_hours",
            "during_support_hours": {"type": "constant", "urgency": "high"},
            "outside_support_hours": {"type": "constant", "urgency": "low"},
        },
        "support_hours": _support_hours(process),
        "scheduled_actions": [
            {
                "type": "urgency_change",
                "at": {"type": "named_time", "name": "support_hours_start"},
                "to_urgency": "high",
            }
        ],
    }


def service_with_datadog_integration(key: str, body: dict[str, Any], policy: str) -> list[Resource]:
    """A PagerDuty service on ``policy``, its Datadog integration, and the Datadog service object
    named ``key`` that carries the integration key, so ``@pagerduty-<key>`` reaches the service."""
    policy_address = f"pagerduty:escalation_policy/{policy}"
    service_address = f"pagerduty:service/{key}"
    integration_address = f"pagerduty:integration/{key}"
    service = {
        **body,
        "type": "service",
        "escalation_policy": {"id": ref(policy_address), "type": "escalation_policy_reference"},
    }
    integration = {
        "type": "generic_events_api_inbound_integration",
        "name": "Datadog",
        "service": {"id": ref(service_address), "type": "service_reference"},
        "vendor": {"id": DATADOG_VENDOR_ID, "type": "vendor_reference"},
    }
    service_object = {"service_name": key, "service_key": ref(integration_address, "integration_key")}
    return [
        Resource("pagerduty", "service", key, service, (policy_address,)),
        Resource("pagerduty", "integration", key, integration, (service_address,)),
        Resource("datadog", "pagerduty_service_object", key, service_object, (integration_address,)),
    ]


def alert_grouping_parameters(grouping: m.AlertGrouping) -> dict[str, Any]:
    """PagerDuty's ``alert_grouping_parameters`` (the deprecated ``alert_grouping`` fields are never sent)."""
    if grouping.type == "time":
        assert grouping.timeout is not None  # the model requires it for 'time'
        return {"type": "time", "config": {"timeout": grouping.timeout.minutes}}
    return {"type": "intelligent", "config": {}}


def email_integration_key(service: m.Service) -> str:
    return f"{service.name}.email"


def email_integration(service: m.Service, address: str) -> Resource:
    """An email integration: mail to ``address`` opens an incident on the service (the after-hours route)."""
    service_address = f"pagerduty:service/{service.name}"
    body = {
        "type": "generic_email_inbound_integration",
        "name": "Email",
        "service": {"id": ref(service_address), "type": "service_reference"},
        "integration_email": address,
    }
    return Resource("pagerduty", "integration", email_integration_key(service), body, (service_address,))


def compile_service(
    process: m.Process, service: m.Service, routing: m.PagerDutyRouting, monitors: list[m.Monitor]
) -> list[Resource]:
    body: dict[str, Any] = {
        "name": routing.service or service.title,
        "description": service.description or None,
        "acknowledgement_timeout": None,
        "auto_resolve_timeout": None,
        **urgency_settings(process, service, monitors),  # sets acknowledgement_timeout on 24x7 services
    }
    if routing.alert_grouping is not None:
        body["alert_grouping_parameters"] = alert_grouping_parameters(routing.alert_grouping)
    resources = service_with_datadog_integration(service.name, body, routing.escalation_policy)
    if routing.email_integration is not None:
        resources.append(email_integration(service, routing.email_integration))
    return resources


def duration_minutes(value: Duration) -> int:
    return value.seconds // 60
