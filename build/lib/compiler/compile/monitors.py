"""Monitors → Datadog monitor bodies, with routing and the message the on-call reads.

The message is written for the person paged at 3 a.m.: what fired and where,
how bad it is by the team's own table, how fast they must respond, where the
runbook is, and (for priorities that require it) to declare an incident and
post updates on the process's cadence. Notification handles sit outside
``{{#is_alert}}`` so PagerDuty also receives the recovery and auto-resolves.
"""

from __future__ import annotations

from typing import Any

from compiler.compile.banners import banner_depends_on, banner_handles
from compiler.compile.routing import Rating
from compiler.compile.text import datadog_window, number, one_line, pagerduty_handle, slack_handle
from compiler.definitions import models as m
from compiler.resources import Resource


def pagerduty_object_name(service: m.Service) -> str:
    """The Datadog PagerDuty-integration service object a service's monitors page (no spaces: it is a handle)."""
    return service.name


def monitor_query(monitor: m.Monitor) -> str:
    expression = one_line(monitor.query)
    return (
        f"{monitor.aggregation}(last_{datadog_window(monitor.window)}):{expression} "
        f"{monitor.comparator} {number(monitor.thresholds.critical)}"
    )


def recipients(monitor: m.Monitor, service: m.Service, team: m.Team, rating: Rating) -> list[str]:
    handles: list[str] = []
    if not monitor.notify.replace_defaults:
        if rating.pages and service.pagerduty is not None:
            handles.append(pagerduty_handle(pagerduty_object_name(service)))
        handles.append(slack_handle(team.slack.alerts, team.slack.account))
    handles.extend(banner_handles(monitor))  # whatever the team's routing: a banner never depends on paging
    handles.extend(slack_handle(c, team.slack.account) for c in monitor.notify.channels)
    handles.extend(monitor.notify.handles)
    return list(dict.fromkeys(handles))


def monitor_message(process: m.Process, monitor: m.Monitor, service: m.Service, team: m.Team, rating: Rating) -> str:
    sev, prio = rating.severity, rating.priority
    lines = [
        f"{monitor.title} on {service.title} ({service.environment}).",
        "",
        f"Severity: {sev.title} ({sev.name}), {rating.users_explained}. Priority: {prio.name}.",
        f"Respond within {sev.response_time}"
        + (" (business hours)." if sev.coverage == "business_hours" else ", 24x7."),
    ]
    runbook = monitor.runbook or service.runbook
    if runbook:
        lines.append(f"Runbook: {runbook}")
    if service.dashboard:
        lines.append(f"Dashboard: {service.dashboard}")
    if prio.declare_incident:
        lines += [
            "",
            "{{#is_alert}}",
            f"{prio.name} requires a declared incident: declare it in Datadog Incidents and post a status update "
            f"in {team.slack.incidents} every {process.status_update_every} until it is resolved.",
            "{{/is_alert}}",
        ]
    lines += ["", " ".join(recipients(monitor, service, team, rating))]
    return "\n".join(lines)


def monitor_tags(monitor: m.Monitor, service: m.Service, rating: Rating) -> list[str]:
    tags = {
        f"team:{service.team}",
        f"service:{service.name}",
        f"env:{service.environment}",
        f"severity:{rating.severity.name}",
        f"priority:{rating.priority.name.lower()}",
        *monitor.tags,
    }
    if monitor.banner_key:
        tags.add(f"banner:{monitor.banner_key}")
    return sorted(tags)


def monitor_options(process: m.Process, monitor: m.Monitor, team: m.Team, rating: Rating) -> dict[str, Any]:
    t = monitor.thresholds
    thresholds: dict[str, float] = {"critical": float(t.critical)}
    if t.warning is not None:
        thresholds["warning"] = float(t.warning)
    if t.recovery is not None:
        thresholds["critical_recovery"] = float(t.recovery)
    if t.warning_recovery is not None:
        thresholds["warning_recovery"] = float(t.warning_recovery)
    options: dict[str, Any] = {
        "thresholds": thresholds,
        "notify_no_data": monitor.no_data is not None,
        "include_tags": True,
        "notify_audit": False,
        "require_full_window": False,
    }
    if monitor.no_data is not None:
        options["no_data_timeframe"] = monitor.no_data.minutes
    if rating.pages:
        options["renotify_interval"] = process.status_update_every.minutes
        options["renotify_statuses"] = ["alert"]
        options["escalation_message"] = (
            f"Still alerting after {process.status_update_every}: post a status update in "
            f"{team.slack.incidents} and escalate if nobody has acknowledged."
        )
    options.update(monitor.options)
    return options


def compile_monitor(
    process: m.Process, monitor: m.Monitor, service: m.Service, team: m.Team, rating: Rating
) -> Resource:
    depends: tuple[str, ...] = ()
    if rating.pages and service.pagerduty is not None and not monitor.notify.replace_defaults:
        depends = (f"datadog:pagerduty_service_object/{pagerduty_object_name(service)}",)
    depends = (*depends, *banner_depends_on(monitor))
    body: dict[str, Any] = {
        "name": f"[{service.title}] {monitor.title}",
        "type": monitor.type,
        "query": monitor_query(monitor),
        "message": monitor_message(process, monitor, service, team, rating),
        "tags": monitor_tags(monitor, service, rating),
        "priority": rating.priority.datadog_priority,
        "options": monitor_options(process, monitor, team, rating),
    }
    return Resource("datadog", "monitor", monitor.name, body, depends)
