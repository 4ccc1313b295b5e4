"""Downtime banners → PagerDuty status services and maintenance windows.

The sign-in page learns about outages only through PagerDuty: the backend
lists services named ``<status_prefix><title>`` and shows a key's banner while
its status is not ``active``. Each dependency (banner) key therefore gets its
own status service, a Datadog-vendor integration and the Datadog PagerDuty
service object ``status-<key>`` that monitors notify as ``@pagerduty-status-<key>``.
A key that references an existing service (``pagerduty_service``) gets none of
these: its monitors notify the handle Datadog already has for it
(``datadog_handle``), which alertc checks but never changes.
Keeping one service per key (never one per team) is what lets a SiS outage
show only the SiS banner.

Status services exist to carry a status, not to wake people: their urgency is
constantly low, so an incident on them notifies through the escalation policy
without paging around the clock (the owning service's monitors already page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from compiler.compile.pagerduty import service_with_datadog_integration
from compiler.compile.text import pagerduty_handle
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.resources import Resource, ref

DEFAULT_STATUS_PREFIX = "External: "
STATUS_KEY_PREFIX = "status-"
USER_MESSAGE_TAG = "USER_MESSAGE:"


def status_key(key: str) -> str:
    """Resource key (and Datadog service-object name) of a banner key's status service."""
    return STATUS_KEY_PREFIX + key


def status_address(key: str) -> str:
    """Address of the PagerDuty status service of ``key`` (what the banner config maps to an id)."""
    return f"pagerduty:service/{status_key(key)}"


def status_handle(key: str) -> str:
    """The Datadog @-handle that opens an incident on ``key``'s status service."""
    return pagerduty_handle(status_key(key))


def key_of_status_handle(handle: str) -> str | None:
    """The banner key a ``@pagerduty-status-<key>`` handle drives, or None for any other handle."""
    prefix = status_handle("")
    if handle.startswith(prefix) and len(handle) > len(prefix):
        return handle[len(prefix) :]
    return None


def referenced_handle(dependency: m.Dependency) -> str | None:
    """The existing Datadog handle of a referenced status service (``datadog_handle``), as ``@pagerduty-<name>``."""
    if dependency.pagerduty_service is None or dependency.datadog_handle is None:
        return None
    return pagerduty_handle(dependency.datadog_handle)


def banner_routes(dependencies: Iterable[m.Dependency]) -> dict[str, str]:
    """Banner key → the handle that opens an incident on its status service.

    A key of ours is reached through the service object alertc creates (``@pagerduty-status-<key>``); a
    referenced key through the handle Datadog already has for it (``datadog_handle``). A referenced key
    without a handle has no route (validation says so), so it is absent.
    """
    routes: dict[str, str] = {}
    for dependency in dependencies:
        if dependency.pagerduty_service is None:
            routes[dependency.key] = status_handle(dependency.key)
        elif (handle := referenced_handle(dependency)) is not None:
            routes[dependency.key] = handle
    return routes


def referenced_banner_targets(dependencies: Iterable[m.Dependency]) -> dict[str, str]:
    """``@pagerduty-<datadog_handle>`` → banner key, for the simulator (these handles are no service object of ours)."""
    return {handle: dep.key for dep in dependencies if (handle := referenced_handle(dep)) is not None}


def banner_handles(monitor: m.Monitor, routes: Mapping[str, str] | None = None) -> list[str]:
    """Handles a monitor adds to its recipients for the banner it drives.

    Exactly one handle per banner key, independent of severity and of
    ``replace_defaults``: whether users see a banner must not depend on
    whether the team is paged. ``routes`` (from :func:`banner_routes`) knows
    referenced keys' existing handles; without it every key is one of ours.
    """
    if monitor.banner_key is None:
        return []
    if routes is None:
        return [status_handle(monitor.banner_key)]
    handle = routes.get(monitor.banner_key)
    return [handle] if handle is not None else []


def banner_depends_on(monitor: m.Monitor, routes: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Addresses a monitor driving a banner needs first (its handle must resolve when created).

    A referenced key's handle is not alertc's: it exists already (plan checks it), nothing to wait for.
    """
    if monitor.banner_key is None or banner_handles(monitor, routes) != [status_handle(monitor.banner_key)]:
        return ()
    return (f"datadog:pagerduty_service_object/{status_key(monitor.banner_key)}",)


def status_prefix_of(dependency: m.Dependency, settings: m.BannerSettings | None) -> str:
    """The dependency's own prefix (e.g. a mobile team's ``Mobile: ``), else the banners block's, else the default.

    vets-api lists status services by one ``maintenance.service_query_prefix``
    (``External: ``, vets-api ``lib/pagerduty/models/service.rb``); the mobile
    team names its mobile-only services ``Mobile: `` (va.gov-team
    ``products/va-mobile-app/operations/Maintenance Window Procedure.md``), so
    the prefix is per dependency, not one per definitions set.
    """
    if dependency.status_prefix is not None:
        return dependency.status_prefix
    return settings.status_prefix if settings is not None else DEFAULT_STATUS_PREFIX


def status_service_name(dependency: m.Dependency, settings: m.BannerSettings | None) -> str:
    return f"{status_prefix_of(dependency, settings)}{dependency.title}"


def status_service_id(dependency: m.Dependency) -> str:
    """What a maintenance window or the banner config names: the referenced id, or the placeholder of ours."""
    if dependency.pagerduty_service is not None:
        return dependency.pagerduty_service
    return ref(status_address(dependency.key))


@dataclass(frozen=True)
class StatusService:
    """One banner key's PagerDuty status service, as everything after compile names it.

    Computed once (``status_services``) and handed along: the banner post-step reads
    PagerDuty by these names and ids and writes the config from the same entries.
    """

    key: str
    dependency: m.Dependency
    name: str  # status_prefix + title: how alertc's own is found live, and what the backend lists
    prefix: str
    referenced_id: str | None  # the existing service the key references (pagerduty_service); None: alertc's own
    config_id: str  # what a template config names: the referenced id, or the placeholder of alertc's own


def status_services(d: Definitions) -> list[StatusService]:
    """Every dependency key's status service, in definition order."""
    return [
        StatusService(
            dep.key,
            dep,
            status_service_name(dep, d.banners),
            status_prefix_of(dep, d.banners),
            dep.pagerduty_service,
            status_service_id(dep),
        )
        for dep in d.dependencies
    ]


def methods_depending_on(d: Definitions, key: str) -> list[m.AuthMethod]:
    """Auth methods whose users see ``key``'s banner, in definition order."""
    return [method for method in d.auth_methods if key in method.depends_on]


@dataclass(frozen=True)
class PolicyChoice:
    """The escalation policy a status service uses, and why (for messages and docs)."""

    policy: str | None
    reason: str


def status_escalation_policy(d: Definitions, dependency: m.Dependency) -> PolicyChoice:
    """The dependency's own service's policy, else that of the first auth method depending on it.

    A CSP has no service of ours; the team that owns the first sign-in method
    using it is the one that must know its status service is open.
    """
    services = {s.name: s for s in d.services}
    candidates: list[tuple[str, str]] = []
    if dependency.service is not None:
        candidates.append((dependency.service, f"service '{dependency.service}' implements '{dependency.key}'"))
    candidates += [
        (method.service, f"auth method '{method.name}' depends on '{dependency.key}'")
        for method in methods_depending_on(d, dependency.key)
    ]
    for service_name, why in candidates:
        service = services.get(service_name)
        if service is not None and service.pagerduty is not None:
            return PolicyChoice(service.pagerduty.escalation_policy, f"{why}; its service pages that policy")
    return PolicyChoice(None, "neither its service nor a service of an auth method depending on it pages anyone")


def compile_status_service(dependency: m.Dependency, settings: m.BannerSettings | None, policy: str) -> list[Resource]:
    """Service + Datadog integration + Datadog service object, shaped like ``pagerduty.compile_service``."""
    body: dict[str, Any] = {
        "name": status_service_name(dependency, settings),
        "description": (
            f"Downtime-banner status of '{dependency.key}' ({dependency.title}). Any status but active shows "
            f"its banner on the sign-in page; resolve the incident to remove it."
        ),
        # No auto-resolve: the banner must stay until the monitor recovers, not until a timer runs out.
        "acknowledgement_timeout": None,
        "auto_resolve_timeout": None,
        "incident_urgency_rule": {"type": "constant", "urgency": "low"},
    }
    return service_with_datadog_integration(status_key(dependency.key), body, policy)


def window_description(message: str) -> str:
    """The backend shows only the text after ``USER_MESSAGE:``; the first line is for PagerDuty's UI."""
    text = " ".join(message.split())
    return f"{text}\n{USER_MESSAGE_TAG} {text}"


def compile_maintenance_window(window: m.MaintenanceWindow, referenced: Mapping[str, str] | None = None) -> Resource:
    """A PagerDuty window on the status services of its keys.

    ``referenced`` maps keys that point at an existing PagerDuty service
    (``pagerduty_service``) to that id: the window names the id itself and
    depends on nothing alertc creates.
    """
    by_id = dict(referenced or {})
    keys = list(dict.fromkeys(window.dependencies))
    ids = [by_id[key] if key in by_id else ref(status_address(key)) for key in keys]
    addresses = tuple(status_address(key) for key in keys if key not in by_id)
    body: dict[str, Any] = {
        "type": "maintenance_window",
        "start_time": window.start.isoformat(),
        "end_time": window.end.isoformat(),
        "description": window_description(window.message),
        "services": [{"id": service_id, "type": "service_reference"} for service_id in ids],
    }
    return Resource("pagerduty", "maintenance_window", window.name, body, addresses)


def windows_not_ended(windows: Iterable[m.MaintenanceWindow], now: datetime | None) -> list[m.MaintenanceWindow]:
    """Windows still to come or in progress at ``now`` (None: all of them), sorted by name.

    An ended window cannot be changed or deleted in PagerDuty (405), and the
    live read lists only open ones, so it must leave the desired state too.
    To end an ongoing window early, remove it from the definitions: the plan
    deletes it, and PagerDuty ends an ongoing window on DELETE.
    """
    kept = [w for w in windows if now is None or w.end > now]
    return sorted(kept, key=lambda w: w.name)


@dataclass
class BannerResources:
    resources: list[Resource]


def compile_banners(d: Definitions, *, now: datetime | None = None) -> BannerResources:
    """Status services for every dependency key and PagerDuty windows for maintenance not yet ended.

    Pure: ``now`` is the plan time, passed in. A key whose status service has
    no escalation policy gets no resources (PagerDuty rejects a service without
    one; a banner rule reports it), and windows on it are skipped for the same reason.
    """
    resources: list[Resource] = []
    compiled_keys: set[str] = set()
    referenced = referenced_services(d)
    compiled_keys |= set(referenced)
    for dependency in sorted(d.dependencies, key=lambda dep: dep.key):
        if dependency.pagerduty_service is not None:
            continue  # an existing service, referenced by id: alertc neither creates nor changes it
        choice = status_escalation_policy(d, dependency)
        if choice.policy is None:
            continue
        resources += compile_status_service(dependency, d.banners, choice.policy)
        compiled_keys.add(dependency.key)
    for window in windows_not_ended(d.maintenance_windows, now):
        if all(key in compiled_keys for key in window.dependencies):
            resources.append(compile_maintenance_window(window, referenced))
    return BannerResources(resources)


def referenced_services(d: Definitions) -> dict[str, str]:
    """Banner key → id of the existing PagerDuty service it references (issue 12 item 6)."""
    return {dep.key: dep.pagerduty_service for dep in d.dependencies if dep.pagerduty_service is not None}
