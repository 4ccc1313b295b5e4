"""The currency passed between compile, providers, kinds, plan and apply (below all of them).

A Resource is an API-shaped desired (or live) object plus the identity alertc
uses to match the two sides. Keeping it plain data (no behaviour, no client
objects) is what lets compile stay pure and the plan be saved as JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Provider = Literal["datadog", "pagerduty"]


@dataclass(frozen=True)
class Resource:
    """One object alertc manages.

    ``key`` is the stable, human-chosen identity (``monitor/sis-latency``); it is
    what ownership tags carry, so renaming a definition is a delete + create by
    design. ``body`` is shaped like the API's request body for the kind.
    ``depends_on`` lists addresses of resources that must exist first (for
    example an SLO alert needs its SLO's id).
    """

    provider: Provider
    kind: str
    key: str
    body: dict[str, Any]
    depends_on: tuple[str, ...] = ()
    live_id: str | None = None
    adopt: str | None = None  # the live id of an existing object this definition takes over (import)
    native: bool = False  # from a native definition: objects inheriting its ownership are kept, not managed

    @property
    def address(self) -> str:
        """``provider:kind/key``: unique across a ResourceSet."""
        return f"{self.provider}:{self.kind}/{self.key}"


@dataclass
class ResourceSet:
    """Resources indexed by address; insertion order is irrelevant, iteration is sorted."""

    _items: dict[str, Resource] = field(default_factory=dict)

    @classmethod
    def of(cls, resources: Iterable[Resource]) -> ResourceSet:
        rs = cls()
        for r in resources:
            rs.add(r)
        return rs

    def add(self, resource: Resource) -> None:
        if resource.address in self._items:
            raise ValueError(f"duplicate resource address {resource.address}")
        self._items[resource.address] = resource

    def get(self, address: str) -> Resource | None:
        return self._items.get(address)

    def __contains__(self, address: object) -> bool:
        return address in self._items

    def __iter__(self) -> Iterator[Resource]:
        return iter(sorted(self._items.values(), key=lambda r: r.address))

    def __len__(self) -> int:
        return len(self._items)

    def by_kind(self, provider: Provider, kind: str) -> list[Resource]:
        return [r for r in self if r.provider == provider and r.kind == kind]


@dataclass(frozen=True)
class LiveObject:
    """One object read from a target: its address if alertc owns it, else only its name."""

    provider: str
    kind: str
    live_id: str
    name: str
    body: dict[str, Any]
    key: str | None = None  # the ownership key; None for objects alertc does not own (in this scope)
    owner: str | None = None  # the alertc scope named by the object's mark (None: unscoped or not alertc's)
    foreign_key: str | None = None  # the ownership key of an object another scope owns (never managed here)

    @property
    def address(self) -> str | None:
        return f"{self.provider}:{self.kind}/{self.key}" if self.key is not None else None

    @property
    def foreign_address(self) -> str | None:
        """Where another scope's object would sit in this scope's address space (key collisions)."""
        return f"{self.provider}:{self.kind}/{self.foreign_key}" if self.foreign_key is not None else None


# --- references to values known only after apply -------------------------------------------------

_REF = re.compile(r"\$\{(?P<address>(?:datadog|pagerduty|lookup):[a-z_]+/[^}#]+)(?:#(?P<field>[a-z_]+))?\}")


def ref(address: str, field: str | None = None) -> str:
    """A placeholder for the live id (or another field) of the resource at ``address``.

    Compile is pure and cannot know ids; it writes ``${datadog:slo/sis-availability}``
    where the SLO's id goes, and the plan resolves it from live state or shows it
    as "(known after apply)". ``lookup:`` addresses name objects alertc reads but
    does not manage (``lookup:user/ada@example.com``).
    """
    return "${" + address + (f"#{field}" if field else "") + "}"


def references_in(value: Any) -> set[tuple[str, str | None]]:
    """Every (address, field) placeholder inside a JSON-like value."""
    found: set[tuple[str, str | None]] = set()
    if isinstance(value, str):
        for match in _REF.finditer(value):
            found.add((match.group("address"), match.group("field")))
    elif isinstance(value, dict):
        for item in value.values():
            found |= references_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            found |= references_in(item)
    return found


def resolve_references(value: Any, lookup: Callable[[str, str | None], str | None]) -> Any:
    """Replace placeholders whose value ``lookup`` knows; leave the others in place.

    Parts without a placeholder are returned as they are (not copied): most bodies have none,
    and a copy of every desired body was a plan's largest allocation after the live state.
    """
    if isinstance(value, str):
        if "${" not in value:
            return value

        def substitute(match: re.Match[str]) -> str:
            resolved = lookup(match.group("address"), match.group("field"))
            return match.group(0) if resolved is None else resolved

        return _REF.sub(substitute, value)
    if isinstance(value, dict):
        items = {k: resolve_references(v, lookup) for k, v in value.items()}
        return value if all(items[k] is v for k, v in value.items()) else items
    if isinstance(value, list):
        elements = [resolve_references(v, lookup) for v in value]
        return value if all(a is b for a, b in zip(elements, value, strict=True)) else elements
    return value
