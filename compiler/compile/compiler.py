"""The compile entry point: the whole definition set → desired ResourceSet + findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from compiler.checks.findings import Finding, Location
from compiler.checks.references import NATIVE_KEY_COMPILED_BY_THE_PROCESS
from compiler.checks.routed import UNROUTED_HANDLE, unrouted_handles
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
from compiler.compile.monitors import compile_monitor, recipients
from compiler.compile.native import compile_native
from compiler.compile.one_page import paged_by
from compiler.compile.pagerduty import compile_escalation_policy, compile_schedule, compile_service
from compiler.compile.pagerduty_teams import compile_pagerduty_teams
from compiler.compile.routing import rate_monitor
from compiler.compile.slos import compile_slo
from compiler.compile.step import CompileContext, compile_step, declared_steps
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.resources import Resource, ResourceSet


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
        paged_by=paged_by(d.process, d.monitors, {s.name: s for s in d.services}),
    )


def compile_definitions(
    d: Definitions, *, now: datetime | None = None, datadog_site: str | None = None
) -> CompileResult:
    """Compile validated definitions: every declared step (``compile.step``). Deterministic: steps run in a
    fixed order and iterate sorted names.

    ``now`` (given by plan, never read from the clock here) drops maintenance
    windows that have already ended: the past is left alone, not recreated.
    ``datadog_site`` (the target's, e.g. ``ddog-gov.com``) builds the links in messages; compile stays pure.
    """
    if d.process is None:  # validated: then every definition is native (an import), nothing process-derived
        only_native = ResourceSet()
        for resource in compile_native(d):
            only_native.add(resource)
        return CompileResult(only_native, [], referenced_banner_targets(d.dependencies))
    context = CompileContext(
        process=d.process,
        messages=message_context(d, datadog_site),
        now=now,
        datadog_site=datadog_site,
        teams={t.name: t for t in d.teams},
        services={s.name: s for s in d.services},
    )
    resources = ResourceSet()
    natives: list[Resource] = []
    for step in declared_steps():
        for resource in step(d, context):
            if resource.native:
                natives.append(resource)
            else:
                resources.add(resource)
    findings: list[Finding] = []
    for resource in natives:
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
    findings += unrouted(d, context, resources)
    return CompileResult(resources, findings, referenced_banner_targets(d.dependencies))


def unrouted(d: Definitions, c: CompileContext, resources: ResourceSet) -> list[Finding]:
    """Findings for compiled monitors whose message notifies a handle their routing did not produce."""
    findings: list[Finding] = []
    for monitor in d.monitors:
        compiled = resources.get(f"datadog:monitor/{monitor.name}")
        if compiled is None:
            continue
        service = c.services[monitor.service]
        team = c.teams[service.team]
        rating = rate_monitor(c.process, monitor, service)
        extra = unrouted_handles(compiled.body, recipients(monitor, service, team, rating, c.messages))
        if extra:
            findings.append(
                UNROUTED_HANDLE.finding(
                    _position(d, monitor),
                    f"{compiled.address}: its compiled message notifies {', '.join(extra)}, which its routing "
                    "did not produce",
                    "name the recipient in the monitor's notify.handles, or remove the handle from its text",
                    where=f"monitor '{monitor.name}'",
                )
            )
    return findings


def _position(d: Definitions, monitor: m.Monitor) -> Location | None:
    """Where the monitor was written (None for definitions built in code)."""
    try:
        return d.origin(monitor).at("name")
    except KeyError:
        return None


# --- the process's own steps (a kind with a compile module of its own declares its step there) -------


@compile_step
def pagerduty_objects(d: Definitions, c: CompileContext) -> Iterator[Resource]:
    """Teams, schedules, escalation policies and the services that page."""
    monitors_by_service: dict[str, list[m.Monitor]] = defaultdict(list)
    for monitor in d.monitors:
        monitors_by_service[monitor.service].append(monitor)
    yield from compile_pagerduty_teams(d.teams)
    for schedule in sorted(d.schedules, key=lambda s: s.name):
        yield compile_schedule(schedule, c.teams[schedule.team])
    for policy in sorted(d.escalation_policies, key=lambda p: p.name):
        yield compile_escalation_policy(policy, c.teams[policy.team])
    for service in sorted(d.services, key=lambda s: s.name):
        if service.pagerduty is not None:
            yield from compile_service(c.process, service, service.pagerduty, monitors_by_service[service.name])


@compile_step
def service_definitions(d: Definitions, c: CompileContext) -> Iterator[Resource]:
    for service in sorted(d.services, key=lambda s: s.name):
        yield compile_service_definition(service, c.teams[service.team])


@compile_step
def monitors(d: Definitions, c: CompileContext) -> Iterator[Resource]:
    for monitor in sorted(d.monitors, key=lambda mon: mon.name):
        service = c.services[monitor.service]
        rating = rate_monitor(c.process, monitor, service)
        yield compile_monitor(c.process, monitor, service, c.teams[service.team], rating, c.messages)


@compile_step
def slos(d: Definitions, c: CompileContext) -> Iterator[Resource]:
    for slo in sorted(d.slos, key=lambda s: s.name):
        service = c.services[slo.service]
        yield from compile_slo(c.process, slo, service, c.teams[service.team], c.messages)


@compile_step
def maintenance(d: Definitions, c: CompileContext) -> Iterator[Resource]:
    group_tags = sorted({mon.dependency_group for mon in d.monitors if mon.dependency_group})
    for window in windows_not_ended(d.maintenance_windows, c.now):
        yield from compile_maintenance_downtimes(window, c.process.time_zone, group_tags)


@compile_step
def incidents(d: Definitions, c: CompileContext) -> Iterable[Resource]:
    return compile_incidents(c.process, d.teams)


@compile_step
def banners(d: Definitions, c: CompileContext) -> Iterable[Resource]:
    return compile_banners(d, now=c.now).resources


@compile_step
def native(d: Definitions, c: CompileContext) -> Iterable[Resource]:
    return compile_native(d)
