"""Which live objects an import takes: unowned ones, chosen by filters.

Objects of any alertc scope are never imported (they are someone's definitions
already), nor objects written by alertc before scopes (a scoped plan migrates
those to the scope whose definitions name them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.kinds import all_kinds, get_kind
from compiler.resources import LiveObject


@dataclass(frozen=True)
class ImportFilters:
    """The selection; several filters select the union, ``name_regex`` narrows every one of them."""

    datadog_tags: tuple[str, ...] = ()
    datadog_monitor_ids: frozenset[str] | None = None  # the answer of a Datadog monitor search (--datadog-query)
    name_regex: str | None = None
    pagerduty_services: tuple[str, ...] = ()
    pagerduty_team: str | None = None
    all_unmanaged: bool = False

    @property
    def any_selector(self) -> bool:
        return bool(
            self.all_unmanaged
            or self.datadog_tags
            or self.datadog_monitor_ids is not None
            or self.pagerduty_services
            or self.pagerduty_team
        )


def _tags(obj: LiveObject) -> set[str]:
    inner = get_kind(obj.provider, obj.kind).unwrap(obj.body)
    return {str(t) for t in inner.get("tags") or () if isinstance(t, str)}


def _teams(obj: LiveObject) -> set[str]:
    inner = get_kind(obj.provider, obj.kind).unwrap(obj.body)
    return {str(t.get("id")) for t in inner.get("teams") or () if isinstance(t, Mapping)}


def _refs(value: Any, wanted: str) -> set[str]:
    """Ids of ``wanted``-typed references anywhere in a body (a policy's schedules, a service's policy)."""
    found: set[str] = set()
    if isinstance(value, Mapping):
        if str(value.get("type", "")).startswith(wanted) and value.get("id"):
            found.add(str(value["id"]))
        for item in value.values():
            found |= _refs(item, wanted)
    elif isinstance(value, list):
        for item in value:
            found |= _refs(item, wanted)
    return found


def _datadog_selected(obj: LiveObject, filters: ImportFilters) -> bool:
    if filters.datadog_tags and set(filters.datadog_tags) <= _tags(obj):
        return True
    ids = filters.datadog_monitor_ids
    return ids is not None and get_kind(obj.provider, obj.kind).found_by_monitor_search and obj.live_id in ids


def _pagerduty_selected(obj: LiveObject, filters: ImportFilters) -> bool:
    if filters.pagerduty_team and filters.pagerduty_team in _teams(obj):
        return True
    return get_kind(obj.provider, obj.kind).selected_by_id and obj.live_id in filters.pagerduty_services


def importable(objects: Iterable[LiveObject]) -> list[LiveObject]:
    """Unowned objects of kinds that have a native form."""
    return [
        o
        for o in objects
        if o.address is None and o.foreign_key is None and get_kind(o.provider, o.kind).native_kind is not None
    ]


def select(objects: Iterable[LiveObject], filters: ImportFilters) -> list[LiveObject]:
    """The objects the filters choose; a PagerDuty service brings its escalation policy and its schedules."""
    candidates = importable(objects)
    pattern = re.compile(filters.name_regex) if filters.name_regex else None
    chosen: dict[tuple[str, str, str], LiveObject] = {}

    def take(obj: LiveObject) -> None:
        chosen[(obj.provider, obj.kind, obj.live_id)] = obj

    for obj in candidates:
        if pattern is not None and not pattern.search(obj.name):
            continue
        if (
            filters.all_unmanaged
            or (pattern is not None and not filters.any_selector)
            or (obj.provider == "datadog" and _datadog_selected(obj, filters))
            or (obj.provider == "pagerduty" and _pagerduty_selected(obj, filters))
        ):
            take(obj)
    by_id = {(f"{o.provider}:{o.kind}", o.live_id): o for o in candidates}
    for spec in reversed(all_kinds()):  # dependents first: a service, then its policy, then the policy's schedules
        if not spec.import_brings:
            continue
        brings = [get_kind(*address.split(":", 1)) for address in spec.import_brings]
        for obj in [o for o in list(chosen.values()) if f"{o.provider}:{o.kind}" == spec.address]:
            for brought in brings:
                for ref_id in _refs(obj.body, brought.kind):
                    found = by_id.get((brought.address, ref_id))
                    if found is not None:
                        take(found)
    return sorted(chosen.values(), key=lambda o: (o.provider, o.kind, o.name, o.live_id))
