"""Validation of the banner chain: a monitor may only drive banners its own users see.

The defect this guards against: an SSOe outage showed a banner to users signing
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
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from compiler.banners.config import GLOBAL_KEY
from compiler.checks.catalog import finding
from compiler.checks.findings import Finding, Location
from compiler.compile.banners import (
    DEFAULT_STATUS_PREFIX,
    key_of_status_handle,
    methods_depending_on,
    missing_policy_finding,
    referenced_banner_targets,
    status_escalation_policy,
    status_handle,
    status_prefix_of,
    status_service_name,
)
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.definitions.source import display_path


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


class _Checks:
    def __init__(self, d: Definitions) -> None:
        self.d = d
        self.findings: list[Finding] = []
        self.keys = {dep.key for dep in d.dependencies}
        self.referenced = referenced_banner_targets(d.dependencies)

    def at(self, item: m.Model, *path: str | int) -> Location | None:
        try:
            return self.d.origin(item).at(*path)
        except KeyError:  # definitions built in code carry no positions
            return None

    def add(self, rule_id: str, location: Location | None, message: str, hint: str) -> None:
        """A finding of rule ``rule_id`` (B4xx in ``compiler.checks.catalog``, which sets its severity)."""
        self.findings.append(finding(rule_id, location, message, hint, where=display_path(self.d.root)))


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


def check_banners(d: Definitions) -> list[Finding]:
    """Every banner-chain finding; run after the reference checks pass (it trusts names resolve)."""
    c = _Checks(d)
    _routing(c)
    _coverage(c)
    _status_services(c)
    return c.findings


def _routing(c: _Checks) -> None:
    unrouted = {
        dep.key: dep for dep in c.d.dependencies if dep.pagerduty_service is not None and dep.datadog_handle is None
    }
    for monitor in c.d.monitors:
        if monitor.banner_key in unrouted:
            dep = unrouted[monitor.banner_key]
            c.add(
                "B408",
                c.at(monitor, "banner_key"),
                f"monitor '{monitor.name}' drives banner key '{dep.key}', whose status service is the existing "
                f"PagerDuty service {dep.pagerduty_service}, and the dependency names no Datadog handle for it",
                f"set datadog_handle on dependency '{dep.key}' to the service_name Datadog's PagerDuty integration "
                "has for that service (alertc never adds an integration to a service it does not own), or drop "
                "pagerduty_service to let alertc create and route the status service",
            )
        methods = [method for method in c.d.auth_methods if method.service == monitor.service]
        for key, path in driven_keys(monitor, c.referenced):
            if key not in c.keys:
                if path != ("banner_key",):  # an unknown banner_key is already reported by the reference checks
                    c.add(
                        "B402",
                        c.at(monitor, *path),
                        f"handle '{status_handle(key)}' names unknown dependency key '{key}'",
                        f"defined keys: {', '.join(sorted(c.keys))}" if c.keys else "no dependency key is defined",
                    )
                continue
            for method in methods:
                if key in method.depends_on:
                    continue
                users = [o.name for o in methods_depending_on(c.d, key)]
                if not users:
                    continue
                plural = "s" if len(users) > 1 else ""
                c.add(
                    "B401",
                    c.at(monitor, *path),
                    f"monitor '{monitor.name}' of auth method '{method.name}' drives banner key '{key}', "
                    f"which only auth method{plural} {_quoted(users)} depend{'' if plural else 's'} on",
                    f"'{method.name}' users would never see this banner, and {_quoted(users)} users would see "
                    f"an outage of '{method.name}'; drive one of {_quoted(own_keys(c.d, method))} instead",
                )


def _coverage(c: _Checks) -> None:
    driven = {key for monitor in c.d.monitors for key, _ in driven_keys(monitor, c.referenced)}
    for method in c.d.auth_methods:
        own = own_keys(c.d, method)
        if not driven & set(own):
            c.add(
                "B403",
                c.at(method, "name"),
                f"no monitor drives a banner key of auth method '{method.name}' ({', '.join(own)}): "
                f"an outage of '{method.name}' would show its users no banner",
                f"set banner_key: {own[0]} on the monitor of service '{method.service}' that detects the outage",
            )
    for dep in c.d.dependencies:
        if dep.key == GLOBAL_KEY:
            continue  # global carries maintenance windows for everyone; no monitor is meant to drive it
        if dep.pagerduty_service is not None and dep.datadog_handle is None:
            continue  # an existing service owned elsewhere: its owners' monitors drive it, not ours
        if dep.key not in driven:
            where = dep.pagerduty_service or f"'{status_service_name(dep, c.d.banners)}'"
            c.add(
                "B404",
                c.at(dep, "key"),
                f"no monitor drives banner key '{dep.key}': its banner shows only for an incident opened by hand "
                f"on {where} or a maintenance window",
                f"set banner_key: {dep.key} on the monitor that detects an outage of {dep.title}",
            )


def _status_services(c: _Checks) -> None:
    prefixes = {status_prefix_of(dep, c.d.banners) for dep in c.d.dependencies}
    prefixes.add(c.d.banners.status_prefix if c.d.banners is not None else DEFAULT_STATUS_PREFIX)
    first: dict[str, m.Dependency] = {}
    seen_ids: dict[str, m.Dependency] = {}
    for dep in c.d.dependencies:
        if dep.pagerduty_service is not None:
            other = seen_ids.setdefault(dep.pagerduty_service, dep)
            if other is not dep:
                c.add(
                    "B409",
                    c.at(dep, "pagerduty_service"),
                    f"dependencies '{other.key}' and '{dep.key}' reference the same PagerDuty service "
                    f"{dep.pagerduty_service}",
                    "the backend maps each service id to one banner key; give each key its own service",
                )
            continue  # an existing service: its name and escalation policy are not alertc's to choose
        name = status_service_name(dep, c.d.banners)
        if name in first:
            c.add(
                "B405",
                c.at(dep, "title"),
                f"dependencies '{first[name].key}' and '{dep.key}' would share the PagerDuty status service '{name}'",
                "PagerDuty service names are unique: give each dependency its own title",
            )
        else:
            first[name] = dep
        choice = status_escalation_policy(c.d, dep)
        if choice.policy is None:
            c.findings.append(missing_policy_finding(c.d, dep, choice))
    for service in c.d.services:
        if service.pagerduty is None:
            continue
        name = service.pagerduty.service or service.title
        prefix = next((p for p in sorted(prefixes) if p and name.startswith(p)), None)
        if prefix is not None:
            where = ("pagerduty", "service") if service.pagerduty.service else ("title",)
            c.add(
                "B407",
                c.at(service, *where),
                f"PagerDuty service '{name}' of service '{service.name}' starts with the status prefix '{prefix}'",
                "the backend reads every such service as a banner status; rename it",
            )
