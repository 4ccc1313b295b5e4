"""Managed objects that share one ownership key: which one alertc keeps, and which are extras.

Two applies racing on different machines, or a monitor copied by hand with its
tags, leave two live objects under one key. Every paging monitor would then
page twice, so plan proposes deleting the extras and drift reports them. The
kept object is the one that names no extra of another key (a notification rule
sending the kept template, not a copy of it), then the one other objects
reference (an escalation policy naming a schedule, an SLO alert naming an SLO),
then the oldest (``creation_order``: creation time, then the id): deleting it
would leave dangling references, deleting the others leaves nothing behind.
Plan, apply and drift all choose with this one function, so placeholders
resolve to the kept object and references to an extra show as updates
(repointed) before the extra is deleted. ``creation_order`` is also the order
apply's look after a create uses to decide which of two racing copies is the
younger (``compiler.apply``).
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
    """A sortable creation time, when the API gives one (monitors, SLOs, services, downtimes), or the
    creation sequence number (PagerDuty maintenance windows)."""
    for holder in (body, body.get("attributes"), body.get("data")):
        if isinstance(holder, Mapping):
            for name in ("created", "created_at", "createdAt", "sequence_number"):
                value = holder.get(name)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    return f"{float(value):020.3f}"
                if isinstance(value, str) and value:
                    return value
    return "~"  # unknown sorts after every known time


def creation_order(obj: LiveObject) -> tuple[str, int, str]:
    """Oldest first: creation time (or sequence), then the id (numerically when it is a number).

    Every run computes the same order from what it reads, so two runs that see the same
    copies agree on which is the younger.
    """
    numeric = int(obj.live_id) if obj.live_id.isdigit() else 0
    return (_created(obj.body), numeric, obj.live_id)


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


def _rank(obj: LiveObject, referenced: set[str], names_extra: set[str]) -> tuple[bool, bool, tuple[str, int, str]]:
    return (obj.live_id in names_extra, obj.live_id not in referenced, creation_order(obj))


def split_duplicates(objects: list[LiveObject]) -> tuple[dict[str, LiveObject], list[Duplicate]]:
    """Managed objects by address (one per key: the keeper) and the extras sharing a keeper's key."""
    groups: dict[str, list[LiveObject]] = {}
    for obj in objects:
        if obj.address is not None:
            groups.setdefault(obj.address, []).append(obj)
    shared = {address: group for address, group in groups.items() if len(group) > 1}
    referenced: set[str] = set()
    names_extra: set[str] = set()
    if shared:
        ids = {obj.live_id for group in shared.values() for obj in group}
        referenced = _referenced(ids, [o for o in objects if o.live_id not in ids])
        # A copy naming an extra of another key (a rule sending a copy of its template) goes with that extra.
        first = {address: min(group, key=lambda o: _rank(o, referenced, set())) for address, group in shared.items()}
        extra_ids = {o.live_id for a, group in shared.items() for o in group if o is not first[a]}
        for group in shared.values():
            others = extra_ids - {o.live_id for o in group}
            names_extra |= {o.live_id for o in group if others and _referenced(others, [o])}
    managed: dict[str, LiveObject] = {}
    extras: list[Duplicate] = []
    for address, group in groups.items():
        if len(group) == 1:
            managed[address] = group[0]
            continue
        ordered = sorted(group, key=lambda o: _rank(o, referenced, names_extra))
        keeper = ordered[0]
        managed[address] = keeper
        extras += [Duplicate(obj, keeper) for obj in ordered[1:]]
    extras.sort(key=lambda d: (d.extra.address or "", d.extra.live_id))
    return managed, extras
