"""The one currency passed between compile, providers, plan and apply.

A Resource is an API-shaped desired (or live) object plus the identity alertc
uses to match the two sides. Keeping it plain data (no behaviour, no client
objects) is what lets compile stay pure and the plan be saved as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
