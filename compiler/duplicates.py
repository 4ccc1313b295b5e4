"""Managed objects that share one ownership key: which one alertc keeps, and which are extras.

Two applies racing on different machines, or a monitor copied by hand with its
tags, leave two live objects under one key. Every paging monitor would then
page twice, so plan proposes deleting the extras and drift reports them. The
kept object is the one other objects reference (an escalation policy naming a
schedule, an SLO alert naming an SLO), then the oldest (creation time, then
the smaller numeric id), then the first listed: deleting it would leave
dangling references, deleting the others leaves nothing behind. Plan, apply
and drift all choose with this one function, so placeholders resolve to the
kept object and references to an extra show as updates (repointed) before the
extra is deleted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.resources import LiveObject


@dataclass(frozen=True)
class Duplicate:
    """An extra live object under ``keeper``'s key."""

    extra: LiveObject
    keeper: LiveObject


def _created(body: Mapping[str, Any]) -> str:
    """A sortable creation time, when the API gives one (monitors, SLOs, services, downtimes)."""
    for holder in (body, body.get("attributes"), body.get("data")):
        if isinstance(holder, Mapping):
            for name in ("created", "created_at"):
                value = holder.get(name)
                if isinstance(value, int | float):
                    return f"{float(value):020.3f}"
                if isinstance(value, str) and value:
                    return value
    return "~"  # unknown sorts after every known time


def _referenced(ids: Iterable[str], others: Iterable[LiveObject]) -> set[str]:
    """Which of ``ids`` appear in the bodies of ``others`` (as a whole token)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    pattern = re.compile(
        r"(?<![A-Za-z0-9_-])(" + "|".join(re.escape(i) for i in sorted(wanted)) + r")(?![A-Za-z0-9_-])"
    )
    found: set[str] = set()
    for obj in others:
        found |= set(pattern.findall(json.dumps(obj.body, default=str)))
    return found


def _rank(obj: LiveObject, position: int, referenced: set[str]) -> tuple[bool, str, int, int]:
    numeric = int(obj.live_id) if obj.live_id.isdigit() else 0
    return (obj.live_id not in referenced, _created(obj.body), numeric, position)


def split_duplicates(objects: list[LiveObject]) -> tuple[dict[str, LiveObject], list[Duplicate]]:
    """Managed objects by address (one per key: the keeper) and the extras sharing a keeper's key."""
    groups: dict[str, list[tuple[int, LiveObject]]] = {}
    for position, obj in enumerate(objects):
        if obj.address is not None:
            groups.setdefault(obj.address, []).append((position, obj))
    managed: dict[str, LiveObject] = {}
    extras: list[Duplicate] = []
    shared = {address: group for address, group in groups.items() if len(group) > 1}
    referenced: set[str] = set()
    if shared:
        ids = {obj.live_id for group in shared.values() for _, obj in group}
        referenced = _referenced(ids, [o for o in objects if o.live_id not in ids])
    for address, group in groups.items():
        if len(group) == 1:
            managed[address] = group[0][1]
            continue
        ordered = sorted(group, key=lambda item: _rank(item[1], item[0], referenced))
        keeper = ordered[0][1]
        managed[address] = keeper
        extras += [Duplicate(obj, keeper) for _, obj in ordered[1:]]
    extras.sort(key=lambda d: (d.extra.address or "", d.extra.live_id))
    return managed, extras
