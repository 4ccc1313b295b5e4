"""Desired vs live → a Plan: plain data, saved as JSON, rendered and applied elsewhere.

The plan records, besides the changes, a fingerprint of every live object it
read. Apply re-reads the objects it touches and refuses when a fingerprint
moved: a reviewed plan is only applied to the world it was reviewed against.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from deepdiff import DeepDiff

from compiler.canonical import short_hash
from compiler.errors import PlanError
from compiler.resources import LiveObject, ResourceSet, resolve_references

PLAN_FORMAT_VERSION = 1
UNKNOWN = "(known after apply)"
# A plan deleting more than this share of at least DELETE_THRESHOLD_MIN_EXISTING managed objects is
# refused (at plan and at apply) unless deletes are explicitly allowed: octoDNS's raise_if_unsafe.
DELETE_THRESHOLD = 0.30
DELETE_THRESHOLD_MIN_EXISTING = 10

Action = Literal["create", "update", "delete"]


class UnsafePlanError(PlanError):
    """The plan deletes more than the safety threshold allows."""


class KindRules(Protocol):
    """What the plan needs from a kind's spec: the two comparable forms of a pair."""

    def comparable(
        self, desired_body: Mapping[str, Any], live_body: Mapping[str, Any], *, now: datetime
    ) -> tuple[dict[str, Any], dict[str, Any]]: ...

    def canonical_live(self, body: Mapping[str, Any]) -> dict[str, Any]: ...

    def canonical_desired(self, body: Mapping[str, Any]) -> dict[str, Any]: ...

    def display_name(self, body: Mapping[str, Any]) -> str | None: ...


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: Any
    after: Any


@dataclass
class Change:
    action: Action
    address: str
    provider: str
    kind: str
    key: str
    live_id: str | None = None
    name: str | None = None
    desired: dict[str, Any] | None = None
    depends_on: list[str] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Conflict:
    """A definition whose name is taken by a live object alertc does not own."""

    address: str
    live_id: str
    name: str


@dataclass
class Plan:
    created_at: str
    definitions_digest: str
    target: dict[str, str]
    changes: list[Change] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unmanaged: list[dict[str, str]] = field(default_factory=list)
    version: int = PLAN_FORMAT_VERSION

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def raise_if_unsafe(self, *, allow_deletes: bool, managed_count: int | None = None) -> None:
        """Refuse a plan deleting more than 30% of at least 10 managed objects, unless ``allow_deletes``.

        ``managed_count`` is how many managed objects exist now (apply re-reads them);
        by default, how many the plan read (one fingerprint each).
        """
        managed = len(self.fingerprints) if managed_count is None else managed_count
        deletes = sum(1 for c in self.changes if c.action == "delete")
        if allow_deletes or managed < DELETE_THRESHOLD_MIN_EXISTING or deletes <= DELETE_THRESHOLD * managed:
            return
        raise UnsafePlanError(
            f"the plan deletes {deletes} of {managed} managed objects "
            f"(more than {DELETE_THRESHOLD:.0%}); nothing was changed\n"
            "  hint: review the plan; if the deletes are intended, pass --allow-deletes"
        )

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "delete": 0}
        for change in self.changes:
            out[change.action] += 1
        return out

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, default=str) + "\n"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Plan:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise PlanError(f"{path}: plan file not found\n  hint: make one with 'alertc plan -o {path}'") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise PlanError(f"{path}: not a readable plan ({exc})") from None
        if not isinstance(raw, dict) or raw.get("version") != PLAN_FORMAT_VERSION:
            raise PlanError(
                f"{path}: unsupported plan format version {raw.get('version') if isinstance(raw, dict) else None!r}"
                f" (this alertc writes version {PLAN_FORMAT_VERSION})\n  hint: make a fresh plan"
            )
        changes = [Change(**{**c, "fields": [FieldChange(**f) for f in c.get("fields", [])]}) for c in raw["changes"]]
        return cls(
            created_at=raw["created_at"],
            definitions_digest=raw["definitions_digest"],
            target=raw["target"],
            changes=changes,
            fingerprints=raw.get("fingerprints", {}),
            conflicts=[Conflict(**c) for c in raw.get("conflicts", [])],
            unmanaged=raw.get("unmanaged", []),
        )


def fingerprint(canonical_live_body: Mapping[str, Any]) -> str:
    """A short hash of the normalized live object: server noise does not move it, real edits do."""
    return short_hash(canonical_live_body, 16)


def definitions_digest(resources: ResourceSet) -> str:
    return short_hash([[r.address, r.body, list(r.depends_on)] for r in resources], 16)


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Changed fields as dotted paths; a change inside a list reports the whole list (tags read better so)."""
    if before == after:  # the common case in a steady state: skip the (much slower) structural diff
        return []
    diff = DeepDiff(dict(before), dict(after), view="tree")
    paths: dict[tuple[str, ...], None] = {}
    for items in diff.values():
        for item in items:
            parts: list[str] = []
            for part in item.path(output_format="list"):
                if isinstance(part, int):
                    break
                parts.append(str(part))
            paths[tuple(parts)] = None
    changes = []
    for path in sorted(paths):
        changes.append(FieldChange(".".join(path), _get(before, path), _get(after, path)))
    return changes


_MISSING = "(absent)"


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def live_resolver(
    managed: Mapping[str, LiveObject], lookups: Mapping[str, str]
) -> Callable[[str, str | None], str | None]:
    """Values for ``${address}`` / ``${address#field}`` placeholders, from live objects and lookups."""

    def lookup(address: str, field_name: str | None) -> str | None:
        if field_name is None and address in lookups:
            return lookups[address]
        obj = managed.get(address)
        if obj is None:
            return None
        value = obj.live_id if field_name is None else obj.body.get(field_name)
        return str(value) if value is not None else None

    return lookup


def build_plan(
    desired: ResourceSet,
    live: list[LiveObject],
    rules_for: Callable[[str, str], KindRules],
    *,
    now: datetime,
    target: dict[str, str],
    lookups: Mapping[str, str] | None = None,
) -> Plan:
    """Compare desired resources with live objects; pure (time is an argument).

    ``lookups`` gives ids of objects alertc reads but does not manage
    (``lookup:user/<email>`` → PagerDuty user id).
    """
    managed: dict[str, LiveObject] = {}
    by_name: dict[tuple[str, str, str], LiveObject] = {}
    for obj in live:
        if obj.address is not None:
            managed.setdefault(obj.address, obj)
        else:
            by_name[(obj.provider, obj.kind, obj.name)] = obj

    lookup = live_resolver(managed, lookups or {})

    plan = Plan(
        created_at=now.isoformat(),
        definitions_digest=definitions_digest(desired),
        target=dict(target),
    )
    for obj in live:
        if obj.address is not None:
            plan.fingerprints[obj.address] = fingerprint(rules_for(obj.provider, obj.kind).canonical_live(obj.body))

    for resource in desired:
        rules = rules_for(resource.provider, resource.kind)
        body = resolve_references(resource.body, lookup)
        current = managed.get(resource.address)
        if current is None:
            name = rules.display_name(resource.body)
            squatter = by_name.get((resource.provider, resource.kind, name)) if name else None
            if squatter is not None:
                plan.conflicts.append(Conflict(resource.address, squatter.live_id, squatter.name))
                continue
            plan.changes.append(
                Change(
                    "create",
                    resource.address,
                    resource.provider,
                    resource.kind,
                    resource.key,
                    name=name,
                    desired=body,
                    depends_on=list(resource.depends_on),
                )
            )
            continue
        desired_form, live_form = rules.comparable(body, current.body, now=now)
        changes = field_changes(live_form, mask_unknown(desired_form))
        if changes:
            plan.changes.append(
                Change(
                    "update",
                    resource.address,
                    resource.provider,
                    resource.kind,
                    resource.key,
                    live_id=current.live_id,
                    name=current.name,
                    desired=body,
                    depends_on=list(resource.depends_on),
                    fields=changes,
                )
            )

    for address, obj in sorted(managed.items()):
        if address not in desired:
            plan.changes.append(
                Change("delete", address, obj.provider, obj.kind, obj.key or "", live_id=obj.live_id, name=obj.name)
            )
    for obj in sorted(by_name.values(), key=lambda o: (o.provider, o.kind, o.name)):
        plan.unmanaged.append({"provider": obj.provider, "kind": obj.kind, "id": obj.live_id, "name": obj.name})
    plan.changes.sort(key=lambda c: (c.action != "delete", c.address))
    return plan


def mask_unknown(value: Any) -> Any:
    """Placeholders not yet resolvable read as '(known after apply)' (Terraform's wording)."""
    return resolve_references(value, lambda _address, _field: UNKNOWN)
