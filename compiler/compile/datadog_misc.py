"""Datadog objects around the monitors: service definitions and maintenance downtimes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from compiler.compile.monitors import DEPENDENCY_GROUP_TAG
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


def compile_maintenance_downtimes(
    window: m.MaintenanceWindow, process_tz: str, group_tags: Iterable[str] = ()
) -> list[Resource]:
    """Per affected key, the downtimes that silence its monitors for the window.

    One mutes the monitors tagged ``banner:<key>`` (the key's own monitors, whole). Then, per group-by tag
    that monitors name as their ``dependency_group``, one mutes only the key's group of those monitors
    (scope ``<tag>:<key>``: Datadog mutes the groups a downtime's scope matches,
    https://docs.datadoghq.com/monitors/downtimes/), so a per-CSP monitor stays live for the other CSPs. A group
    still failing when the window ends notifies then (``notify_end_states``): the page comes back after it.
    """
    resources = []
    for key in window.dependencies:
        muted = [("*", [f"banner:{key}"], f"{window.name}.{key}")]
        muted += [
            (f"{tag}:{key}", [f"{DEPENDENCY_GROUP_TAG}:{tag}"], f"{window.name}.{key}.{tag}") for tag in group_tags
        ]
        for scope, tags, name in muted:
            attributes: dict[str, Any] = {
                "scope": scope,
                "monitor_identifier": {"monitor_tags": tags},
                "schedule": {"start": window.start.isoformat(), "end": window.end.isoformat()},
                "message": window.message,
                "display_timezone": process_tz,
                "mute_first_recovery_notification": False,
                "notify_end_states": ["alert", "no data", "warn"],
                "notify_end_types": ["expired"],
            }
            resources.append(Resource("datadog", "downtime", name, attributes))
    return resources
