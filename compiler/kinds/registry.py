"""The registry the engine iterates: every kind alertc manages, the order apply runs them in, and the
Datadog client's path → rate-limit family table.

The kinds are collected, not listed: every module of the provider packages
(``COLLECTS``) that defines ``KIND`` (or ``KINDS``, for a module with more than
one) is registered, so adding a kind is writing its module (see README.md beside
this file). Apply order is the topological sort of ``depends_on``; where that
leaves a choice, PagerDuty kinds come before Datadog kinds (Datadog objects point
at PagerDuty ones, never the other way round) and then kind names decide, so the
order follows from the kinds' data alone, whatever the file system lists first.
``DATADOG_FAMILIES`` is built from the kinds' ``api_paths`` and ``api_family``,
so a family is declared once, on its kind.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Mapping

from compiler.kinds.base import ResourceKind
from compiler.providers.families import DATADOG_FALLBACK, ApiFamilies

# The packages whose modules are kinds, in the order of their providers for ties. The import-graph
# test reads this tuple: every module of these packages counts as imported by this one.
COLLECTS = ("compiler.kinds.pagerduty", "compiler.kinds.datadog")
PROVIDERS = ("pagerduty", "datadog")


def collected_kinds(packages: Iterable[str] = COLLECTS) -> Iterator[ResourceKind]:
    """The ``KINDS`` (else the ``KIND``) of every module of ``packages``; modules with neither
    (shared bases such as ``common.py``) are skipped."""
    for name in packages:
        package = importlib.import_module(name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{name}.{info.name}")
            yield from getattr(module, "KINDS", (module.KIND,) if hasattr(module, "KIND") else ())


def tie_order(kind: ResourceKind) -> tuple[int, str]:
    """Between kinds neither of which depends on the other: PagerDuty first, then by kind name."""
    return PROVIDERS.index(kind.provider), kind.kind


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


KINDS: Mapping[str, ResourceKind] = {k.address: k for k in topological_order(sorted(collected_kinds(), key=tie_order))}


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
