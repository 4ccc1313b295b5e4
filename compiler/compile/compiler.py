"""The compile entry point: the whole definition set → desired ResourceSet + findings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from compiler.checks.findings import Finding
from compiler.checks.references import NATIVE_KEY_COMPILED_BY_THE_PROCESS
from compiler.compile.banners import (
    banner_routes,
    compile_banners,
    methods_depending_on,
    referenced_banner_targets,
    windows_not_ended,
)
from compiler.compile.datadog_misc import compile_maintenance_downtimes, compile_service_definition
from compiler.compile.incidents import compile_incidents
from compiler.compile.messages import MessageContext, app_url, banner_effect
from compiler.compile.monitors import compile_monitor
from compiler.compile.native import compile_native
from compiler.compile.pagerduty import compile_escalation_policy, compile_schedule, compile_service
from compiler.compile.pagerduty_teams import compile_pagerduty_teams
from compiler.compile.routing import rate_monitor
from compiler.compile.slos import compile_slo
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.resources import ResourceSet


@dataclass
class CompileResult:
    resources: ResourceSet
    findings: list[Finding] = field(default_factory=list)
    banner_targets: dict[str, str] = field(default_factory=dict)
    """``@pagerduty-<handle>`` → banner key for referenced status services (no service object of ours)."""

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


def message_context(d: Definitions, datadog_site: str | None) -> MessageContext:
    assert d.process is not None
    return MessageContext(
        app_url=app_url(datadog_site, d.process.datadog_subdomain),
        banner_effects={dep.key: banner_effect(dep, methods_depending_on(d, dep.key)) for dep in d.dependencies},
        banner_routes=banner_routes(d.dependencies),
    )


def compile_definitions(
    d: Definitions, *, now: datetime | None = None, datadog_site: str | None = None
) -> CompileResult:
    """Compile validated definitions. Deterministic: iteration follows sorted names.

    ``now`` (given by plan, never read from the clock here) drops maintenance
    windows that have already ended: the past is left alone, not recreated.
    ``datadog_site`` (the target's, e.g. ``ddog-gov.com``) builds the links in messages; compile stays pure.
    """
    if d.process is None:  # validated: then every definition is native (an import), nothing process-derived
        natives = ResourceSet()
        for resource in compile_native(d):
            natives.add(resource)
        return CompileResult(natives, [], referenced_banner_targets(d.dependencies))
    process = d.process
    context = message_context(d, datadog_site)
    resources = ResourceSet()
    findings: list[Finding] = []
    teams = {t.name: t for t in d.teams}
    services = {s.name: s for s in d.services}
    monitors_by_service: dict[str, list[m.Monitor]] = defaultdict(list)
    for monitor in d.monitors:
        monitors_by_service[monitor.service].append(monitor)

    for resource in compile_pagerduty_teams(d.teams):
        resources.add(resource)
    for schedule in sorted(d.schedules, key=lambda s: s.name):
        resources.add(compile_schedule(schedule, teams[schedule.team]))
    for policy in sorted(d.escalation_policies, key=lambda p: p.name):
        resources.add(compile_escalation_policy(policy, teams[policy.team]))
    for service in sorted(d.services, key=lambda s: s.name):
        resources.add(compile_service_definition(service, teams[service.team]))
        if service.pagerduty is not None:
            for resource in compile_service(process, service, service.pagerduty, monitors_by_service[service.name]):
                resources.add(resource)
    for monitor in sorted(d.monitors, key=lambda mon: mon.name):
        service = services[monitor.service]
        rating = rate_monitor(process, monitor, service)
        resources.add(compile_monitor(process, monitor, service, teams[service.team], rating, context))
    for slo in sorted(d.slos, key=lambda s: s.name):
        service = services[slo.service]
        for resource in compile_slo(process, slo, service, teams[service.team], context):
            resources.add(resource)
    group_tags = sorted({mon.dependency_group for mon in d.monitors if mon.dependency_group})
    for window in windows_not_ended(d.maintenance_windows, now):
        for resource in compile_maintenance_downtimes(window, process.time_zone, group_tags):
            resources.add(resource)
    for resource in compile_incidents(process, d.teams):
        resources.add(resource)
    banners = compile_banners(d, now=now)
    for resource in banners.resources:
        resources.add(resource)
    for resource in compile_native(d):
        if resource.address in resources:
            findings.append(
                NATIVE_KEY_COMPILED_BY_THE_PROCESS.finding(
                    None,
                    f"{resource.address}: a native definition has the key of an object the process compiles",
                    "rename the native definition's key",
                    where=str(d.root),
                )
            )
            continue
        resources.add(resource)
    return CompileResult(resources, findings, referenced_banner_targets(d.dependencies))
