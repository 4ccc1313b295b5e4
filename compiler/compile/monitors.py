"""Monitors → Datadog monitor bodies, with routing and the message the on-call reads.

The message is written for the person paged at 3 a.m.: what fired and where, the value against the
threshold, which group, how bad it is by the team's own table, how fast they must respond, the runbook, what
a warning or No Data means, the banner it raises for which sign-in methods, and (once the process requires
it) to declare an incident. Where each handle sits, and why, is explained in ``messages.py``.
"""

from __future__ import annotations

import sys
from typing import Any

from compiler.compile.banners import banner_depends_on, banner_handles
from compiler.compile.messages import (
    MessageContext,
    capitalized,
    declaration_block,
    group_line,
    guidance_lines,
    routing_block,
)
from compiler.compile.routing import Rating, declaration_for, renotify_options
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


def pages(monitor: m.Monitor, service: m.Service, rating: Rating, context: MessageContext | None = None) -> bool:
    """Whether the monitor's alert pages: its severity pages, its service can, and no other monitor's group pages
    for the same failure (``one_page``)."""
    paged_elsewhere = context is not None and monitor.name in context.paged_by
    return (
        rating.pages and service.pagerduty is not None and not monitor.notify.replace_defaults and not paged_elsewhere
    )


def paging_handles(
    monitor: m.Monitor, service: m.Service, rating: Rating, context: MessageContext | None = None
) -> list[str]:
    if not pages(monitor, service, rating, context):
        return []
    return [pagerduty_handle(pagerduty_object_name(service))]


def channel_handles(monitor: m.Monitor, team: m.Team) -> list[str]:
    """Unconditional recipients: the team's channel (unless replaced), extra channels and handles."""
    handles = [] if monitor.notify.replace_defaults else [slack_handle(team.slack.alerts, team.slack.account)]
    handles.extend(slack_handle(c, team.slack.account) for c in monitor.notify.channels)
    handles.extend(monitor.notify.handles)
    return list(dict.fromkeys(handles))


def recipients(
    monitor: m.Monitor, service: m.Service, team: m.Team, rating: Rating, context: MessageContext | None = None
) -> list[str]:
    """Everyone the monitor can notify, whatever the transition (paging, channel, banner, extra handles)."""
    banners = banner_handles(monitor, context.banner_routes if context else None)
    paging = paging_handles(monitor, service, rating, context)
    return list(dict.fromkeys([*paging, *channel_handles(monitor, team), *banners]))


def _what_fired(monitor: m.Monitor, service: m.Service) -> str:
    return (
        f"{monitor.title} on {service.title} ({service.environment}): {{{{value}}}} {monitor.comparator} "
        f"{{{{threshold}}}} over the last {monitor.window}."
    )


def monitor_message(
    process: m.Process,
    monitor: m.Monitor,
    service: m.Service,
    team: m.Team,
    rating: Rating,
    context: MessageContext | None = None,
) -> str:
    context = context or MessageContext()
    sev, prio = rating.severity, rating.priority
    paged_by = context.paged_by.get(monitor.name)
    declaration = declaration_for(process, rating) if paged_by is None else None
    lines = [_what_fired(monitor, service)]
    group = group_line(monitor.query)
    if group:
        lines.append(group)
    lines += [
        "",
        f"Severity: {sev.title} ({sev.name}), {rating.users_explained}. Priority: {prio.name}.",
        f"Respond within {sev.response_time}"
        + (" (business hours)." if sev.coverage == "business_hours" else ", 24x7.")
        + (f" {capitalized(sev.handling)}." if sev.handling else ""),
    ]
    runbook = monitor.runbook or service.runbook
    if paged_by is not None:
        lines.append(paged_by.sentence())
    if runbook:
        lines.append(f"Runbook: {runbook}")
    if service.dashboard:
        lines.append(f"Dashboard: {service.dashboard}")
    lines += guidance_lines(service.guidance, monitor.guidance)
    if monitor.thresholds.warning is not None:
        lines += [
            "",
            "{{#is_warning}}Warning only ({{value}} past the warning threshold {{warn_threshold}}): nobody is paged "
            "and no banner is raised. Watch it here.{{/is_warning}}",
        ]
    if monitor.banner_key and monitor.banner_key in context.banner_effects:
        lines += ["", f"{{{{#is_alert}}}}{context.banner_effects[monitor.banner_key]}{{{{/is_alert}}}}"]
    if monitor.no_data is not None:
        lines += ["", _no_data_text(monitor, pages(monitor, service, rating, context))]
    lines += declaration_block(process, team, context, declaration)
    lines += [
        "",
        *routing_block(
            paging=paging_handles(monitor, service, rating, context),
            banners=banner_handles(monitor, context.banner_routes),
            always=channel_handles(monitor, team),
            no_data_pages=monitor.no_data is not None,
            banner_on_no_data=monitor.banner_on_no_data,
        ),
    ]
    return "\n".join(lines)


def _no_data_text(monitor: m.Monitor, paging: bool) -> str:
    who = "the on-call is paged" if paging else "nobody is paged"
    banner = (
        " and the banner is raised"
        if monitor.banner_key and monitor.banner_on_no_data
        else (" (no banner: a gap in metrics is not proof of an outage)" if monitor.banner_key else "")
    )
    return (
        f"{{{{#is_no_data}}}}No data for {monitor.no_data}: either traffic stopped entirely (a total outage) or "
        f"the metrics pipeline is broken; {who}{banner}. Check whether users can sign in before anything "
        "else.{{/is_no_data}}"
    )


DEPENDENCY_GROUP_TAG = "dependency-group"  # a maintenance downtime finds a monitor's per-key groups by it


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
    if monitor.dependency_group:
        tags.add(f"{DEPENDENCY_GROUP_TAG}:{monitor.dependency_group}")
    # Interned: most tags repeat across a team's monitors, and a large set holds each monitor's list twice
    # (compiled, and live, which shares these objects: compiler.providers.shared_strings).
    return sorted(sys.intern(tag) for tag in tags)


def monitor_options(process: m.Process, monitor: m.Monitor, rating: Rating, paging: bool) -> dict[str, Any]:
    """Thresholds, No Data, and the re-notification of paging alerts (the declaration prompt at exactly
    ``incident_after``; reminders only when the process asks for them)."""
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
    if paging:
        options.update(renotify_options(process, declaration_for(process, rating), no_data=monitor.no_data is not None))
    options.update(monitor.options)
    return options


def compile_monitor(
    process: m.Process,
    monitor: m.Monitor,
    service: m.Service,
    team: m.Team,
    rating: Rating,
    context: MessageContext | None = None,
) -> Resource:
    context = context or MessageContext()
    paging = pages(monitor, service, rating, context)
    depends: tuple[str, ...] = ()
    if paging:
        depends = (f"datadog:pagerduty_service_object/{pagerduty_object_name(service)}",)
    depends = (*depends, *banner_depends_on(monitor, context.banner_routes))
    body: dict[str, Any] = {
        "name": f"[{service.title}] {monitor.title}",
        "type": monitor.type,
        "query": monitor_query(monitor),
        "message": monitor_message(process, monitor, service, team, rating, context),
        "tags": monitor_tags(monitor, service, rating),
        "priority": rating.priority.datadog_priority,
        "options": monitor_options(process, monitor, rating, paging),
    }
    return Resource("datadog", "monitor", monitor.name, body, depends)
