"""Desired vs live → a Plan: plain data, saved as JSON, rendered and applied elsewhere.

The plan records, besides the changes, a fingerprint of every live object it
read. Apply re-reads the objects it touches and refuses when a fingerprint
moved: a reviewed plan is only applied to the world it was reviewed against.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from deepdiff import DeepDiff

from compiler.canonical import short_hash, short_hash_of_list
from compiler.duplicates import Duplicate, split_duplicates
from compiler.errors import PlanError
from compiler.providers.ownership import scope_label
from compiler.resources import LiveObject, Resource, ResourceSet, resolve_references

PLAN_FORMAT_VERSION = 2  # 2: the plan's own digest, duplicate deletes
UNKNOWN = "(known after apply)"
# A plan deleting more than this share of at least DELETE_THRESHOLD_MIN_EXISTING managed objects is
# refused (at plan and at apply) unless deletes are explicitly allowed: octoDNS's raise_if_unsafe.
DELETE_THRESHOLD = 0.30
DELETE_THRESHOLD_MIN_EXISTING = 10

Action = Literal["adopt", "create", "update", "delete"]
OWNER_FIELD = "alertc-owner"  # the pseudo-field a migration to scopes (or an adoption) changes


class UnsafePlanError(PlanError):
    """The plan deletes more than the safety threshold allows."""


class ConflictError(PlanError):
    """Definitions collide with live objects this scope may not take over."""


class KindRules(Protocol):
    """What the plan needs from a kind's spec: the two comparable forms of a pair."""

    def comparable(
        self, desired_body: Mapping[str, Any], live_body: Mapping[str, Any], *, now: datetime
    ) -> tuple[dict[str, Any], dict[str, Any]]: ...

    def canonical_live(self, body: Mapping[str, Any]) -> dict[str, Any]: ...

    def canonical_desired(self, body: Mapping[str, Any]) -> dict[str, Any]: ...

    def reconcile(
        self, desired: dict[str, Any], live: dict[str, Any], now: datetime
    ) -> tuple[dict[str, Any], dict[str, Any]]: ...

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
    duplicate_of: str | None = None  # a delete of an extra object under this key: the kept object's id

    @classmethod
    def of(
        cls,
        action: Action,
        resource: Resource,
        body: dict[str, Any],
        *,
        live: LiveObject | None = None,
        name: str | None = None,
        fields: list[FieldChange] | None = None,
    ) -> Change:
        """A create, update or adopt of ``resource``, its references resolved as far as known in ``body``;
        ``live`` is the object an update or adopt acts on (its id and name)."""
        return cls(
            action,
            resource.address,
            resource.provider,
            resource.kind,
            resource.key,
            live_id=live.live_id if live is not None else None,
            name=live.name if live is not None else name,
            desired=body,
            depends_on=list(resource.depends_on),
            fields=fields or [],
        )

    @classmethod
    def delete(cls, obj: LiveObject, *, duplicate_of: str | None = None) -> Change:
        """The delete of a managed live object (``duplicate_of``: an extra copy, and the id of the one kept)."""
        address, key = obj.address or "", obj.key or ""
        return cls("delete", address, obj.provider, obj.kind, key, obj.live_id, obj.name, duplicate_of=duplicate_of)

    @property
    def label(self) -> str:
        """The address, told apart from the kept object's when this deletes a duplicate."""
        return self.address if self.duplicate_of is None else f"{self.address} (duplicate id {self.live_id})"


@dataclass
class Conflict:
    """A definition that collides with a live object this run may not take: a plan with one fails.

    ``owner`` is the alertc scope owning the object (None: not alertc's, or written
    before scopes); ``reason`` says what collides: ``name`` (a live object of the same
    kind and name), ``key`` (another scope's object under the same ownership key) or
    ``adopt`` (the definition adopts an object another scope owns).
    """

    address: str
    live_id: str
    name: str
    owner: str | None = None
    reason: str = "name"
    foreign: bool = False  # owned by alertc (another scope, or before scopes), not a hand-made object

    def describe(self) -> str:
        what = f"live object {json.dumps(self.name, ensure_ascii=False)} (id {self.live_id})"
        whose = f"owned by {scope_label(self.owner)}" if self.foreign else "not managed by alertc"
        if self.reason == "adopt":
            return f"{self.address}: adopting {what} is refused: it is {whose}"
        collides = "has this definition's ownership key" if self.reason == "key" else "has this definition's name"
        return f"{self.address}: {what} {collides} and is {whose}; it is not taken over"

    def hint(self) -> str:
        if self.foreign:
            return "rename the definition, or have that scope remove or hand over the object"
        return (
            "rename the definition, or adopt the object: 'adopt: <id>' on the definition "
            "(or 'alertc import'), or 'alertc plan --adopt-by-name'"
        )


@dataclass
class Plan:
    created_at: str
    definitions_digest: str
    target: dict[str, str]
    changes: list[Change] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unmanaged: list[dict[str, str]] = field(default_factory=list)
    owner: str | None = None  # the scope this plan manages (its marks are written by apply)
    adopt_fingerprints: dict[str, str] = field(default_factory=dict)  # address → fingerprint of the adopted object
    version: int = PLAN_FORMAT_VERSION

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def raise_if_unsafe(self, *, allow_deletes: bool, managed_count: int | None = None) -> None:
        """Refuse a plan deleting more than 30% of at least 10 managed objects, unless ``allow_deletes``.

        ``managed_count`` is how many managed objects exist now (apply re-reads them);
        by default, how many the plan read (one fingerprint each).
        """
        # every managed object counts, the extras sharing a key too (one fingerprint per key, plus a delete each)
        extras = sum(1 for c in self.changes if c.duplicate_of is not None)
        managed = len(self.fingerprints) + extras if managed_count is None else managed_count
        deletes = sum(1 for c in self.changes if c.action == "delete")
        if allow_deletes or managed < DELETE_THRESHOLD_MIN_EXISTING or deletes <= DELETE_THRESHOLD * managed:
            return
        raise UnsafePlanError(
            f"the plan deletes {deletes} of {managed} managed objects "
            f"(more than {DELETE_THRESHOLD:.0%}); nothing was changed\n"
            "  hint: review the plan; if the deletes are intended, pass --allow-deletes"
        )

    def raise_if_conflicts(self, *, allow_conflicts: bool = False) -> None:
        """A plan with conflicts fails (exit 1), naming each, unless ``allow_conflicts``.

        A conflict means a definition cannot be applied as written: reporting it as
        a warning let CI pass while the team believed the monitor was in place.
        """
        if allow_conflicts or not self.conflicts:
            return
        lines = [c.describe() for c in self.conflicts]
        hints = sorted({c.hint() for c in self.conflicts})
        raise ConflictError(
            f"the plan has {len(lines)} conflict(s); nothing was saved:\n  "
            + "\n  ".join(lines)
            + "".join(f"\n  hint: {h}" for h in hints)
            + "\n  hint: --allow-conflicts saves the plan without the conflicting definitions"
        )

    def counts(self) -> dict[str, int]:
        out = {"adopt": 0, "create": 0, "update": 0, "delete": 0}
        for change in self.changes:
            out[change.action] += 1
        return out

    def to_document(self) -> dict[str, Any]:
        """The plan as JSON data, with ``digest``: a hash of everything else in it (see ``plan_digest``)."""
        document: dict[str, Any] = json.loads(json.dumps(asdict(self), default=str))
        document["digest"] = plan_digest(document)
        return document

    def to_json(self) -> str:
        return json.dumps(self.to_document(), indent=2, sort_keys=True) + "\n"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")


def plan_digest(document: Mapping[str, Any]) -> str:
    """SHA-256 of the plan document without its ``digest`` field, in one canonical JSON form.

    Apply refuses a plan whose digest does not match ("modified after it was
    made"): a hand edit or a corrupted artifact is caught before anything runs.
    It is an integrity check, not a signature: whoever can edit the file can
    recompute it, which is why apply also verifies ownership of every object.
    """
    body = {k: v for k, v in document.items() if k != "digest"}
    text = json.dumps(
        body,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(canonical_live_body: Mapping[str, Any]) -> str:
    """A short hash of the normalized live object: server noise does not move it, real edits do."""
    return short_hash(canonical_live_body, 16)


def definitions_digest(resources: ResourceSet) -> str:
    return short_hash_of_list(([r.address, r.body, list(r.depends_on)] for r in resources), 16)


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
    owner: str | None = None,
    adopt_by_name: bool = False,
) -> Plan:
    """Compare desired resources with live objects; pure (time is an argument).

    ``lookups`` gives ids of objects alertc reads but does not manage
    (``lookup:user/<email>`` → PagerDuty user id). ``live`` is already scoped
    (``compiler.providers.ownership.scoped``): only ``owner``'s objects carry an
    address. ``adopt_by_name`` adopts unowned objects a definition's name collides with.
    """
    managed, duplicates = split_duplicates(live)
    by_name: dict[tuple[str, str, str], LiveObject] = {}
    by_id: dict[tuple[str, str, str], LiveObject] = {}
    foreign: dict[str, LiveObject] = {}
    for obj in live:
        if obj.address is None:
            by_name[(obj.provider, obj.kind, obj.name)] = obj
            by_id[(obj.provider, obj.kind, obj.live_id)] = obj
            if obj.foreign_address is not None:
                foreign.setdefault(obj.foreign_address, obj)

    # Decide first which definitions adopt what: references to an object adopted in this same plan
    # (a policy's schedule) resolve to its live id, as references to managed objects do.
    matches: dict[str, tuple[str, LiveObject | None]] = {}
    for resource in desired:
        if resource.address not in managed:
            matches[resource.address] = _match(resource, rules_for, foreign, by_id, by_name, adopt_by_name)
    adopted = {
        address: dataclasses.replace(obj, key=address.split("/", 1)[1])
        for address, (verdict, obj) in matches.items()
        if verdict == "adopt" and obj is not None
    }
    lookup = live_resolver({**managed, **adopted}, lookups or {})

    plan = Plan(
        created_at=now.isoformat(),
        definitions_digest=definitions_digest(desired),
        target=dict(target),
        owner=owner,
    )
    # Each live object is normalized once: the form that gives its fingerprint is the one diffed
    # below, computed when its desired resource is compared and not kept afterwards (memory).
    fingerprinted: set[int] = set()

    def canonical_of(obj: LiveObject) -> dict[str, Any]:
        form = rules_for(obj.provider, obj.kind).canonical_live(obj.body)
        plan.fingerprints[obj.address or ""] = fingerprint(form)
        fingerprinted.add(id(obj))
        return form

    taken: set[tuple[str, str, str]] = set()  # unowned objects this plan adopts (not listed as unmanaged)
    missing_adoptees: list[str] = []
    for resource in desired:
        rules = rules_for(resource.provider, resource.kind)
        body = resolve_references(resource.body, lookup)
        current = managed.get(resource.address)
        if current is None:
            verdict, match = matches[resource.address]
            if verdict == "missing":
                missing_adoptees.append(f"{resource.address}: adopt: no live {resource.kind} has id {resource.adopt}")
                continue
            if match is not None and verdict in ("key", "name", "adopt-refused"):
                plan.conflicts.append(_conflict(resource.address, match, verdict.removesuffix("-refused")))
                continue
            if match is not None and verdict == "adopt":
                taken.add((match.provider, match.kind, match.live_id))
                plan.changes.append(_adopt(resource, rules, body, match, now=now))
                plan.adopt_fingerprints[resource.address] = fingerprint(rules.canonical_live(match.body))
                continue
            plan.changes.append(Change.of("create", resource, body, name=rules.display_name(resource.body)))
            continue
        desired_form, live_form = rules.reconcile(rules.canonical_desired(body), canonical_of(current), now)
        changes = field_changes(live_form, mask_unknown(desired_form))
        if owner is not None and current.owner != owner:  # written before scopes: migrated by this update
            changes.append(FieldChange(OWNER_FIELD, _MISSING, owner))
        if changes:
            plan.changes.append(Change.of("update", resource, body, live=current, fields=changes))
    if missing_adoptees:
        raise PlanError(
            "\n".join(missing_adoptees) + "\n  hint: check the id (alertc import writes it), or remove 'adopt:'"
        )

    for obj in managed.values():  # one object per address: a duplicate's extras never overwrite it
        if id(obj) not in fingerprinted:
            canonical_of(obj)
    plan.fingerprints = dict(sorted(plan.fingerprints.items()))
    for address, obj in sorted(managed.items()):
        if address not in desired and not _kept_with_native_parent(obj, desired, rules_for):
            plan.changes.append(Change.delete(obj))
    plan.changes += duplicate_deletes(duplicates)
    for obj in sorted(by_name.values(), key=lambda o: (o.provider, o.kind, o.name)):
        if (obj.provider, obj.kind, obj.live_id) in taken:
            continue
        entry = {"provider": obj.provider, "kind": obj.kind, "id": obj.live_id, "name": obj.name}
        if obj.foreign_key is not None:
            entry["owner"] = scope_label(obj.owner)
        plan.unmanaged.append(entry)
    plan.changes.sort(key=lambda c: (c.action != "delete", c.address, c.live_id or ""))
    return plan


def _match(
    resource: Resource,
    rules_for: Callable[[str, str], KindRules],
    foreign: Mapping[str, LiveObject],
    by_id: Mapping[tuple[str, str, str], LiveObject],
    by_name: Mapping[tuple[str, str, str], LiveObject],
    adopt_by_name: bool,
) -> tuple[str, LiveObject | None]:
    """What a definition with no managed object meets: ``create``, ``adopt`` (an unowned object),
    a conflict (``key``, ``name``, ``adopt-refused``: another scope's or a hand-made object), or
    ``missing`` (its ``adopt`` id does not exist)."""
    other = foreign.get(resource.address)
    if other is not None and other.owner is not None:
        return "key", other
    if resource.adopt is not None:
        adoptee = by_id.get((resource.provider, resource.kind, resource.adopt))
        if adoptee is None:
            return "missing", None
        return ("adopt-refused" if adoptee.foreign_key is not None else "adopt"), adoptee
    name = rules_for(resource.provider, resource.kind).display_name(resource.body)
    squatter = by_name.get((resource.provider, resource.kind, name)) if name else None
    if squatter is None:
        return "create", None
    if squatter.foreign_key is not None or not adopt_by_name:
        return "name", squatter
    return "adopt", squatter


def _kept_with_native_parent(obj: LiveObject, desired: ResourceSet, rules_for: Callable[[str, str], KindRules]) -> bool:
    """An object owned through its parent (a PagerDuty service's integrations) whose parent is a native
    definition: native forms manage the object itself, and leave what hangs on it as it is (never deleted)."""
    ownership = getattr(rules_for(obj.provider, obj.kind), "ownership", None)
    parent = getattr(ownership, "parent", None)
    if not parent or obj.key is None:
        return False
    resource = desired.get(f"{parent}/{obj.key.split('.', 1)[0]}")
    return resource is not None and resource.native


def _conflict(address: str, obj: LiveObject, reason: str) -> Conflict:
    return Conflict(address, obj.live_id, obj.name, obj.owner, reason, foreign=obj.foreign_key is not None)


def _adopt(resource: Resource, rules: KindRules, body: dict[str, Any], live: LiveObject, *, now: datetime) -> Change:
    """An ``adopt``: the unowned object gets alertc's marks, plus the field changes the definition makes."""
    desired_form, live_form = rules.comparable(body, live.body, now=now)
    return Change.of("adopt", resource, body, live=live, fields=field_changes(live_form, mask_unknown(desired_form)))


def duplicate_deletes(duplicates: list[Duplicate]) -> list[Change]:
    """A delete per extra object sharing a managed key (the kept one is chosen by ``split_duplicates``)."""
    return [Change.delete(d.extra, duplicate_of=d.keeper.live_id) for d in duplicates]


def mask_unknown(value: Any) -> Any:
    """Placeholders not yet resolvable read as '(known after apply)' (Terraform's wording)."""
    return resolve_references(value, lambda _address, _field: UNKNOWN)
