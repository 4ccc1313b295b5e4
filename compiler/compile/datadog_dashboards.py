"""Service dashboards: one overview dashboard per service, so whoever answers a page lands on one screen.

Each service (unless it says ``dashboards: false``) gets a Datadog dashboard in the API's
own shape, an ordered layout of group widgets:

* **Responding**: a note with the runbook, the PagerDuty service, the escalation policy and
  its schedules, the team's Slack channels, the team's own dashboard and the guidance;
* **SLOs**: per SLO its status and error budget (the ``slo`` widget) and its burn rate over
  time (the SLO data source) with the burn rates that page marked;
* **Monitors**: the states of the service's monitors and burn-rate alerts (``manage_status``);
* **Downtime banners**: the banner keys its monitors drive, each with its PagerDuty status
  service and who sees the banner.

Objects alertc creates in the same apply are named by placeholders (an SLO's id, a PagerDuty
object's ``html_url``), resolved like every other reference and listed in ``depends_on``.
Native dashboards (``datadog_dashboards``, what ``alertc import`` writes) pass through as written, with the
other native forms in ``compile/native.py`` (they also compile in a set without a process).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from compiler.compile.banners import StatusService, methods_depending_on, status_address, status_services
from compiler.compile.slos import burn_tiers, slo_depends, slo_id
from compiler.compile.step import CompileContext, compile_step
from compiler.compile.text import number
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.resources import Resource, ref

Slo = m.MetricSlo | m.TimeSliceSlo

TIME_SLICE = "time_slice"


def link(address: str, text: str) -> str:
    """A Markdown link to an object alertc manages in PagerDuty, by its ``html_url`` (known once it exists)."""
    return f"[{text}]({ref(address, 'html_url')})"


def _url(url: str) -> str:
    """A Markdown link to ``url`` named by its last path segment (``SiS_SRP.md``), or the host."""
    name = unquote(url.rstrip("/").rsplit("/", 1)[-1]) if url.count("/") > 2 else url
    return f"[{name}]({url})"


def _group(title: str, widgets: list[dict[str, Any]]) -> dict[str, Any]:
    return {"definition": {"type": "group", "layout_type": "ordered", "title": title, "widgets": widgets}}


def _note(content: str) -> dict[str, Any]:
    return {"definition": {"type": "note", "content": content, "text_align": "left"}}


def responding(d: Definitions, c: CompileContext, service: m.Service, depends: list[str]) -> dict[str, Any]:
    """What a responder reads first: where the runbook is, who is on call, where to talk."""
    team = c.teams[service.team]
    lines = [f"**{service.title}**" + (f": {service.description}" if service.description else ""), ""]
    if service.runbook:
        lines.append(f"- **Runbook:** {_url(service.runbook)}")
    routing = service.pagerduty
    if routing is None:
        lines.append("- **On call:** none; this service pages nobody (its definition has no `pagerduty`)")
    else:
        address = f"pagerduty:service/{service.name}"
        depends.append(address)
        lines.append(f"- **PagerDuty service:** {link(address, routing.service or service.title)}")
        policy = next(p for p in d.escalation_policies if p.name == routing.escalation_policy)
        depends.append(f"pagerduty:escalation_policy/{policy.name}")
        on_call = link(f"pagerduty:escalation_policy/{policy.name}", policy.title or policy.name)
        titles = {s.name: s.title or s.name for s in d.schedules}
        named = dict.fromkeys(t.schedule for rule in policy.rules for t in rule.targets if t.schedule is not None)
        schedules = []
        for name in named:
            depends.append(f"pagerduty:schedule/{name}")
            schedules.append(link(f"pagerduty:schedule/{name}", titles[name]))
        lines.append(f"- **On call:** {on_call}" + (f" (schedules: {', '.join(schedules)})" if schedules else ""))
    lines.append(f"- **Slack:** {team.slack.alerts} (alerts), {team.slack.incidents} (incident updates)")
    if service.dashboard:
        lines.append(f"- **Team dashboard:** {_url(service.dashboard)}")
    if service.guidance:
        lines += ["", f"**Guidance:** {service.guidance}"]
    return _group("Responding", [_note("\n".join(lines))])


def slo_widgets(c: CompileContext, slo: Slo) -> list[dict[str, Any]]:
    """Status and error budget over the SLO's timeframe, and its burn rate with the rates that page marked."""
    title = slo.title or slo.name
    status = {
        "type": "slo",
        "view_type": "detail",
        "slo_id": slo_id(slo),
        "view_mode": "overall",
        "time_windows": [slo.timeframe],
        "show_error_budget": True,
        "title": title,
    }
    query = {
        "data_source": "slo",
        "name": "query1",
        "slo_id": slo_id(slo),
        "measure": "burn_rate",
        "slo_query_type": TIME_SLICE if isinstance(slo, m.TimeSliceSlo) else "metric",
        "group_mode": "overall",
    }
    markers = [
        {
            "value": f"y = {number(tier.burn_rate)}",
            "display_type": "error dashed" if tier.severity.pages else "warning dashed",
            "label": f"{number(tier.burn_rate)}x over {tier.long_window}: {tier.severity.name}",
        }
        for tier in burn_tiers(c.process, slo)
    ]
    burn: dict[str, Any] = {
        "type": "timeseries",
        "title": f"{title}: burn rate",
        "show_legend": False,
        "requests": [
            {
                "response_format": "timeseries",
                "display_type": "line",
                "queries": [query],
                "formulas": [{"formula": "query1"}],
            }
        ],
    }
    if slo.alerting.enabled:
        burn["markers"] = markers
    return [{"definition": status}, {"definition": burn}]


def monitors(service: m.Service) -> dict[str, Any]:
    """The states of every monitor of the service (burn-rate alerts too: they carry the same tags)."""
    summary = {
        "type": "manage_status",
        "title": f"Monitors of {service.title}",
        "query": f'tag:"service:{service.name}" tag:"team:{service.team}"',
        "summary_type": "monitors",
        "display_format": "countsAndList",
        "color_preference": "text",
        "hide_zero_counts": True,
        "show_last_triggered": True,
        "sort": "status,asc",
    }
    return _group("Monitors", [{"definition": summary}])


def banners(d: Definitions, keys: list[str], depends: list[str]) -> dict[str, Any]:
    """Each banner key the service's monitors drive: its status service, and who sees the banner."""
    table: dict[str, StatusService] = {s.key: s for s in status_services(d)}
    lines = ["An alert of these monitors opens an incident on the key's PagerDuty status service; while it is "
             "not resolved, the sign-in page shows the banner.", ""]  # fmt: skip
    for key in keys:
        entry = table[key]
        if entry.referenced_id is None:
            depends.append(status_address(key))
            service = link(status_address(key), entry.name)
        else:
            service = f"{entry.name} (existing, {entry.referenced_id})"
        methods = ", ".join(method.title for method in methods_depending_on(d, key)) or "no sign-in method"
        banner = entry.dependency.banner.headline
        lines.append(f"- **{key}** ({entry.dependency.title}): status service {service}; users of {methods} see "
                     f"\u201c{banner}\u201d")  # fmt: skip
    return _group("Downtime banners", [_note("\n".join(lines))])


def overview(
    d: Definitions, c: CompileContext, service: m.Service, slos: list[Slo], driven: set[str | None]
) -> Resource:
    """The service's overview dashboard: ``slos`` are the service's (by name), ``driven`` the banner keys its
    monitors drive."""
    depends: list[str] = []
    widgets = [responding(d, c, service, depends)]
    if slos:
        widgets.append(_group("Service level objectives", [w for slo in slos for w in slo_widgets(c, slo)]))
        depends += [address for slo in slos for address in slo_depends(slo)]
    widgets.append(monitors(service))
    keys = [dependency.key for dependency in d.dependencies if dependency.key in driven]  # in definition order
    if keys:
        widgets.append(banners(d, keys, depends))
    team = c.teams[service.team]
    body = {
        "title": f"{service.title}: service overview",
        "description": f"What whoever answers a page for {service.title} needs on one screen. Generated by alertc "
        f"from service '{service.name}' of team '{team.name}'.",
        "layout_type": "ordered",
        "widgets": widgets,
        "tags": [f"team:{team.name}"],
    }
    return Resource("datadog", "dashboard", service.name, body, tuple(dict.fromkeys(depends)))


@compile_step
def dashboards(d: Definitions, c: CompileContext) -> Iterator[Resource]:
    """An overview per service that keeps ``dashboards`` on (native dashboards: ``compile/native.py``)."""
    slos: dict[str, list[Slo]] = defaultdict(list)
    for slo in sorted(d.slos, key=lambda s: s.name):
        slos[slo.service].append(slo)
    driven: dict[str, set[str | None]] = defaultdict(set)  # one pass over the monitors, not one per service
    for monitor in d.monitors:
        driven[monitor.service].add(monitor.banner_key)
    for service in sorted(d.services, key=lambda s: s.name):
        if service.dashboards:
            yield overview(d, c, service, slos[service.name], driven[service.name])
