"""The registry the engine iterates: every kind alertc manages, the order apply runs them in, and the
Datadog client's path → rate-limit family table.

Adding a kind is one line in ``_REGISTERED`` (see README.md beside this file).
The order of that list only breaks ties; apply order is the topological sort
of ``depends_on``. ``DATADOG_FAMILIES`` is built from the kinds' ``api_paths`` and
``api_family``, so a family is declared once, on its kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from compiler.kinds.base import ResourceKind
from compiler.kinds.datadog import (
    dashboard,
    downtime,
    incident_notification_rule,
    incident_notification_template,
    incident_postmortem_template,
    monitor,
    pagerduty_service_object,
    service_definition,
    slo,
)
from compiler.kinds.pagerduty import escalation_policy, integration, maintenance_window, schedule, service, team
from compiler.providers.families import DATADOG_FALLBACK, ApiFamilies

_REGISTERED: tuple[ResourceKind, ...] = (
    team.KIND,
    schedule.KIND,
    escalation_policy.KIND,
    service.KIND,
    integration.KIND,
    maintenance_window.KIND,
    pagerduty_service_object.KIND,
    service_definition.KIND,
    monitor.KIND,
    slo.KIND,
    monitor.SLO_ALERT,
    downtime.KIND,
    incident_notification_template.KIND,
    incident_notification_rule.KIND,
    incident_postmortem_template.KIND,
    dashboard.KIND,
)


class DependencyCycleError(ValueError):
    """Kinds whose ``depends_on`` form a cycle (a programming error in a kind module)."""


def topological_order(kinds: Iterable[ResourceKind]) -> list[ResourceKind]:
    """Kinds sorted so that each comes after every kind it depends on; ties keep the given order.

    Dependencies outside ``kinds`` are ignored here; ``apply_order`` sorts subsets
    of the registry by the whole registry's order, so transitive ones count too.
    """
    pending = list(kinds)
    addresses = {k.address for k in pending}
    done: set[str] = set()
    ordered: list[ResourceKind] = []
    while pending:
        ready = next(
            (k for k in pending if all(d in done or d not in addresses for d in k.depends_on)),
            None,
        )
        if ready is None:
            raise DependencyCycleError(
                "kinds depend on each other in a cycle: " + ", ".join(k.address for k in pending)
            )
        ordered.append(ready)
        done.add(ready.address)
        pending.remove(ready)
    return ordered


KINDS: Mapping[str, ResourceKind] = {k.address: k for k in topological_order(_REGISTERED)}


def all_kinds() -> list[ResourceKind]:
    """Every registered kind, in apply order."""
    return list(KINDS.values())


def get_kind(provider: str, kind: str) -> ResourceKind:
    try:
        return KINDS[f"{provider}:{kind}"]
    except KeyError:
        known = ", ".join(KINDS)
        raise KeyError(f"unknown resource kind {provider}:{kind} (known: {known})") from None


def apply_order(kinds: Iterable[ResourceKind] | None = None) -> list[ResourceKind]:
    """Kinds (default: all registered) in the order creates and updates run."""
    if kinds is None:
        return all_kinds()
    wanted = {k.address for k in kinds}
    return [k for k in all_kinds() if k.address in wanted]


def delete_order(kinds: Iterable[ResourceKind] | None = None) -> list[ResourceKind]:
    """The reverse of ``apply_order``: dependents are deleted first."""
    return list(reversed(apply_order(kinds)))


DATADOG_FAMILIES = ApiFamilies.of(
    ((path, k.api_family) for k in all_kinds() if k.provider == "datadog" for path in k.api_paths),
    fallback=DATADOG_FALLBACK,
)
