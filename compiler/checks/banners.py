"""Rules of the banner chain: a monitor may only drive banners its own users see (B4xx).

The defect these guard against: an SSOe outage showed a banner to users signing
in with SiS. With one status service per key the remaining way to reintroduce
it is a definitions change that routes a monitor of one sign-in method to
another method's status service, through ``banner_key`` or an explicit
``@pagerduty-status-<key>`` handle. Both are checked the same way.

Severity choices:

* routing a monitor to another method's identity key is an **error**: it shows
  one method's users an outage of the other, which is the defect itself;
* an auth method none of whose own keys (the keys no other method depends on,
  or all its keys if it has none of its own) is driven by any monitor is an
  **error**: its users would never see a banner for an outage of their method,
  so the split by method would be silently undone;
* a monitor driving a key that references an existing service without naming its Datadog handle
  (``datadog_handle``) is an **error**: alertc has no route to that service and may not add one;
* a dependency key no monitor drives (and that is not an existing service referenced by id without a
  handle, which its owners drive) is a **warning**: its status service still
  exists, so its banner can be shown by opening an incident by hand or by a
  maintenance window (the process allows manual downtimes), but nothing will
  show it automatically.

The checks trust that names resolve: they run after the reference checks pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pydantic import BaseModel

from compiler.banners.config import GLOBAL_KEY
from compiler.checks.context import LintContext, SetRule, set_rule
from compiler.checks.findings import Finding
from compiler.checks.rule import Rule
from compiler.compile.banners import (
    DEFAULT_STATUS_PREFIX,
    key_of_status_handle,
    methods_depending_on,
    referenced_banner_targets,
    status_escalation_policy,
    status_handle,
    status_prefix_of,
    status_service_name,
)
from compiler.definitions import Definitions
from compiler.definitions import models as m


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _finding(
    rule: Rule, ctx: LintContext, item: BaseModel, path: tuple[str | int, ...], message: str, hint: str
) -> Finding:
    return rule.finding(ctx.at(item, *path), message, hint, where=ctx.root_shown)


def driven_keys(
    monitor: m.Monitor, referenced: Mapping[str, str] | None = None
) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Banner keys a monitor drives, with the path of the field that says so.

    ``referenced`` (``@pagerduty-<datadog_handle>`` → key) makes an explicit handle of a referenced status
    service count like ``@pagerduty-status-<key>``.
    """
    if monitor.banner_key is not None:
        yield monitor.banner_key, ("banner_key",)
    for index, handle in enumerate(monitor.notify.handles):
        key = key_of_status_handle(handle) or (referenced or {}).get(handle)
        if key is not None:
            yield key, ("notify", "handles", index)


def own_keys(d: Definitions, method: m.AuthMethod) -> list[str]:
    """Keys only this method depends on (its identity), or all its keys when it shares every one."""
    others = [o for o in d.auth_methods if o is not method]
    own = [k for k in method.depends_on if not any(k in o.depends_on for o in others)]
    return own or list(method.depends_on)


def _driven(ctx: LintContext) -> Iterator[tuple[m.Monitor, str, tuple[str | int, ...]]]:
    referenced = referenced_banner_targets(ctx.definitions.dependencies)
    for monitor in ctx.definitions.monitors:
        for key, path in driven_keys(monitor, referenced):
            yield monitor, key, path


@set_rule("B401", "error")
def drives_another_methods_banner(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A monitor drives another auth method's banner key

    A monitor of one sign-in method routed to a key only another method depends on shows that method's users an
    outage that is not theirs (the SSOe-shown-to-SiS defect), and its own users nothing.

    Fix: drive one of the method's own keys (banner_key or @pagerduty-status-<key>).
    """
    d = ctx.definitions
    keys = {dep.key for dep in d.dependencies}
    for monitor, key, path in _driven(ctx):
        if key not in keys:
            continue
        for method in (method for method in d.auth_methods if method.service == monitor.service):
            if key in method.depends_on:
                continue
            users = [o.name for o in methods_depending_on(d, key)]
            if not users:
                continue
            plural = "s" if len(users) > 1 else ""
            yield _finding(
                rule,
                ctx,
                monitor,
                path,
                f"monitor '{monitor.name}' of auth method '{method.name}' drives banner key '{key}', "
                f"which only auth method{plural} {_quoted(users)} depend{'' if plural else 's'} on",
                f"'{method.name}' users would never see this banner, and {_quoted(users)} users would see "
                f"an outage of '{method.name}'; drive one of {_quoted(own_keys(d, method))} instead",
            )


@set_rule("B402", "error")
def status_handle_of_an_unknown_key(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A status handle names an unknown dependency key

    @pagerduty-status-<key> must name a defined dependency key, or the page goes nowhere.

    Fix: correct the key in the handle.
    """
    keys = {dep.key for dep in ctx.definitions.dependencies}
    for monitor, key, path in _driven(ctx):
        if key not in keys and path != ("banner_key",):  # an unknown banner_key is a reference error
            yield _finding(
                rule,
                ctx,
                monitor,
                path,
                f"handle '{status_handle(key)}' names unknown dependency key '{key}'",
                f"defined keys: {', '.join(sorted(keys))}" if keys else "no dependency key is defined",
            )


@set_rule("B403", "error")
def auth_method_undriven(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """No monitor drives an auth method's banner keys

    An outage of the method would show its users no banner, undoing the split of banners by method.

    Fix: set banner_key on the monitor that detects the outage.
    """
    driven = {key for _monitor, key, _path in _driven(ctx)}
    for method in ctx.definitions.auth_methods:
        own = own_keys(ctx.definitions, method)
        if not driven & set(own):
            yield _finding(
                rule,
                ctx,
                method,
                ("name",),
                f"no monitor drives a banner key of auth method '{method.name}' ({', '.join(own)}): "
                f"an outage of '{method.name}' would show its users no banner",
                f"set banner_key: {own[0]} on the monitor of service '{method.service}' that detects the outage",
            )


@set_rule("B404", "warning")
def dependency_undriven(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """No monitor drives a dependency key

    The key's status service exists, so its banner can still be shown by an incident opened by hand or a maintenance
    window, but nothing shows it automatically.

    Fix: set banner_key on a monitor.
    """
    driven = {key for _monitor, key, _path in _driven(ctx)}
    for dep in ctx.definitions.dependencies:
        if dep.key == GLOBAL_KEY:
            continue  # global carries maintenance windows for everyone; no monitor is meant to drive it
        if dep.pagerduty_service is not None and dep.datadog_handle is None:
            continue  # an existing service owned elsewhere: its owners' monitors drive it, not ours
        if dep.key not in driven:
            where = dep.pagerduty_service or f"'{status_service_name(dep, ctx.definitions.banners)}'"
            yield _finding(
                rule,
                ctx,
                dep,
                ("key",),
                f"no monitor drives banner key '{dep.key}': its banner shows only for an incident opened by hand "
                f"on {where} or a maintenance window",
                f"set banner_key: {dep.key} on the monitor that detects an outage of {dep.title}",
            )


@set_rule("B405", "error")
def shared_status_service(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """Two dependencies would share a PagerDuty status service

    PagerDuty service names are unique; two dependencies with the same title would fight over one status service.

    Fix: give each dependency its own title.
    """
    first: dict[str, m.Dependency] = {}
    for dep in ctx.definitions.dependencies:
        if dep.pagerduty_service is not None:
            continue  # an existing service: its name is not alertc's to choose
        name = status_service_name(dep, ctx.definitions.banners)
        if name in first:
            yield _finding(
                rule,
                ctx,
                dep,
                ("title",),
                f"dependencies '{first[name].key}' and '{dep.key}' would share the PagerDuty status service '{name}'",
                "PagerDuty service names are unique: give each dependency its own title",
            )
        else:
            first[name] = dep


@set_rule("B406", "error")
def status_service_without_policy(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A dependency's status service has no escalation policy

    PagerDuty services need an escalation policy; it is taken from the service implementing the dependency or from a
    service of an auth method depending on it.

    Fix: set 'service' on the dependency to a service with pagerduty routing.
    """
    for dep in ctx.definitions.dependencies:
        if dep.pagerduty_service is not None:
            continue  # an existing service: its escalation policy is not alertc's to choose
        choice = status_escalation_policy(ctx.definitions, dep)
        if choice.policy is None:
            yield _finding(
                rule,
                ctx,
                dep,
                ("key",),
                f"dependency '{dep.key}' has no escalation policy for its PagerDuty status service: {choice.reason}",
                "set 'service' on the dependency to a service with pagerduty.escalation_policy, or give the "
                "service of an auth method that depends on it a pagerduty routing",
            )


@set_rule("B407", "error")
def service_named_like_a_status(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A PagerDuty service name starts with the status prefix

    The banner backend reads every service whose name starts with the status prefix as a banner status; an ordinary
    service named so would show banners.

    Fix: rename the service.
    """
    d = ctx.definitions
    prefixes = {status_prefix_of(dep, d.banners) for dep in d.dependencies}
    prefixes.add(d.banners.status_prefix if d.banners is not None else DEFAULT_STATUS_PREFIX)
    for service in d.services:
        if service.pagerduty is None:
            continue
        name = service.pagerduty.service or service.title
        prefix = next((p for p in sorted(prefixes) if p and name.startswith(p)), None)
        if prefix is not None:
            where = ("pagerduty", "service") if service.pagerduty.service else ("title",)
            yield _finding(
                rule,
                ctx,
                service,
                where,
                f"PagerDuty service '{name}' of service '{service.name}' starts with the status prefix '{prefix}'",
                "the backend reads every such service as a banner status; rename it",
            )


@set_rule("B408", "error")
def referenced_status_without_handle(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """A monitor drives a banner key whose existing status service has no Datadog handle named

    A key with pagerduty_service names a status service alertc does not create; without datadog_handle alertc has no
    Datadog route to it (and never adds an integration to a service it does not own), so the banner would never be
    driven.

    Fix: set datadog_handle on the dependency to the service_name Datadog's PagerDuty integration has for that
    service, or drop pagerduty_service.
    """
    d = ctx.definitions
    unrouted = {
        dep.key: dep for dep in d.dependencies if dep.pagerduty_service is not None and dep.datadog_handle is None
    }
    for monitor in d.monitors:
        if monitor.banner_key in unrouted:
            dep = unrouted[monitor.banner_key]
            yield _finding(
                rule,
                ctx,
                monitor,
                ("banner_key",),
                f"monitor '{monitor.name}' drives banner key '{dep.key}', whose status service is the existing "
                f"PagerDuty service {dep.pagerduty_service}, and the dependency names no Datadog handle for it",
                f"set datadog_handle on dependency '{dep.key}' to the service_name Datadog's PagerDuty integration "
                "has for that service (alertc never adds an integration to a service it does not own), or drop "
                "pagerduty_service to let alertc create and route the status service",
            )


@set_rule("B409", "error")
def service_referenced_twice(rule: SetRule, ctx: LintContext) -> Iterator[Finding]:
    """Two dependencies reference the same existing PagerDuty service

    The banner backend maps each status service id to one banner key; two keys on one service would show both
    banners for one outage.

    Fix: give each key its own service.
    """
    seen: dict[str, m.Dependency] = {}
    for dep in ctx.definitions.dependencies:
        if dep.pagerduty_service is None:
            continue
        other = seen.setdefault(dep.pagerduty_service, dep)
        if other is not dep:
            yield _finding(
                rule,
                ctx,
                dep,
                ("pagerduty_service",),
                f"dependencies '{other.key}' and '{dep.key}' reference the same PagerDuty service "
                f"{dep.pagerduty_service}",
                "the backend maps each service id to one banner key; give each key its own service",
            )
