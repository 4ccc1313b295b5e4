"""Datadog objects around the monitors: service definitions and maintenance downtimes."""

from __future__ import annotations

from typing import Any

from compiler.definitions import models as m
from compiler.resources import Resource


def compile_service_definition(service: m.Service, team: m.Team) -> Resource:
    links = []
    if service.runbook:
        links.append({"name": "Runbook", "type": "runbook", "url": service.runbook})
    if service.dashboard:
        links.append({"name": "Dashboard", "type": "dashboard", "url": service.dashboard})
    body: dict[str, Any] = {
        "schema-version": "v2.2",
        "dd-service": service.name,
        "team": team.name,
        "description": service.description,
        "lifecycle": service.environment,
        "contacts": [{"name": team.title, "type": "slack", "contact": team.slack.alerts}],
        "links": links,
        "tags": sorted({f"team:{team.name}", f"env:{service.environment}"}),
    }
    return Resource("datadog", "service_definition", service.name, body)


def compile_maintenance_downtimes(window: m.MaintenanceWindow, process_tz: str) -> list[Resource]:
    """One downtime per affected key, muting the monitors tagged ``banner:<key>`` for the window."""
    resources = []
    for key in window.dependencies:
        attributes: dict[str, Any] = {
            "scope": "*",
            "monitor_identifier": {"monitor_tags": [f"banner:{key}"]},
            "schedule": {"start": window.start.isoformat(), "end": window.end.isoformat()},
            "message": window.message,
            "display_timezone": process_tz,
            "mute_first_recovery_notification": False,
            "notify_end_states": ["alert", "no data", "warn"],
            "notify_end_types": ["expired"],
        }
        resources.append(Resource("datadog", "downtime", f"{window.name}.{key}", attributes))
    return resources
