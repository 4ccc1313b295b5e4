"""The per-kind contract (datadog-sync-cli's pattern), one shared class every kind's test subclasses.

For the kind under test, against a fresh sandbox: the kinds it depends on are
applied from the example definitions; then the kind's own compiled object is
created through the kind's ``create``, read back through ``list_live`` (as
``read_live`` does for a plan), found equal to the definition after
normalization, edited in one field and found changed in exactly that field,
and deleted. A subclass names the kind, the compiled object (its golden
case) and the one edit.
"""

from __future__ import annotations

import copy
import os
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from compiler.apply import apply_plan
from compiler.compile import compile_definitions
from compiler.definitions import load_definitions
from compiler.engine import make_plan
from compiler.kinds import ResourceKind, get_kind
from compiler.live import Session, open_session, read_live
from compiler.plan import Plan, field_changes, live_resolver
from compiler.providers.digest import digest
from compiler.providers.ownership import add_ownership
from compiler.resources import LiveObject, Resource, ResourceSet, references_in, resolve_references
from compiler.targets import target_from_environment
from tests.e2e.conftest import EXAMPLES, PINNED_NOW, World

NOW = datetime.fromisoformat(PINNED_NOW)


def _set(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    edited = copy.deepcopy(body)
    target = edited
    *parents, last = path.split(".")
    for part in parents:
        target = target[part]
    target[last] = value
    return edited


def _dependencies(kind: ResourceKind) -> set[str]:
    """Every kind ``kind`` needs, transitively (and the parents its ownership is inherited from)."""
    todo = [*kind.depends_on, *([kind.ownership.parent] if kind.ownership.parent else [])]
    found: set[str] = set()
    while todo:
        address = todo.pop()
        if address not in found:
            found.add(address)
            todo += list(get_kind(*address.split(":")).depends_on)
    return found


class KindContract:
    """Subclass per kind: set ``address``, ``key`` (the compiled object) and ``edit`` (path, new value).

    ``edit_unobservable`` explains, for a kind whose only writable field the API never
    returns, why the edit step cannot be observed (the update still has to succeed).
    """

    address: ClassVar[str]
    key: ClassVar[str]
    edit: ClassVar[tuple[str, Any]]
    edit_unobservable: ClassVar[str | None] = None
    definitions: ClassVar[Path] = EXAMPLES

    def _read(self, session: Session, kind: ResourceKind, resource: Resource) -> LiveObject | None:
        return read_live(session, ResourceSet.of([resource])).managed().get(resource.address)

    def _desired(self, session: Session, resource: Resource) -> dict[str, Any]:
        """The compiled body with the ids of its (already applied) dependencies filled in."""
        live = read_live(session, ResourceSet.of([resource]))
        resolve = live_resolver(live.managed(), live.lookups())

        def lookup(address: str, field: str | None) -> str | None:
            value = resolve(address, field)
            obj = live.managed().get(address)
            if value is None and obj is not None and field is not None:
                value = get_kind(obj.provider, obj.kind).read_field(session, obj, field)
            return value

        body: dict[str, Any] = resolve_references(resource.body, lookup)
        assert not references_in(body), f"unresolved references in {resource.address}"
        return body

    def test_create_read_back_edit_one_field_delete(self, world: World) -> None:
        kind = get_kind(*self.address.split(":"))
        loaded = load_definitions(self.definitions)
        assert loaded.definitions is not None
        resource = compile_definitions(loaded.definitions, now=NOW).resources.get(f"{self.address}/{self.key}")
        assert resource is not None, f"no compiled {self.address}/{self.key}"
        target = target_from_environment(os.environ)
        assert target is not None
        with open_session(target) as session:
            needed = _dependencies(kind)
            compiled = compile_definitions(loaded.definitions, now=NOW).resources
            full = make_plan(compiled, read_live(session, compiled), session, now=NOW, validate=False)
            prerequisites = Plan(full.created_at, full.definitions_digest, full.target)
            prerequisites.changes = [c for c in full.changes if f"{c.provider}:{c.kind}" in needed]
            assert apply_plan(prerequisites, session, now=NOW).ok

            desired = self._desired(session, resource)
            own_key = f"{kind.kind}/{self.key}"
            live_id, _ = kind.create(
                session, add_ownership(kind, desired, own_key, digest(kind.canonical_desired(desired)))
            )

            read = self._read(session, kind, resource)
            assert read is not None, "created object not found by list_live"
            assert read.live_id == live_id
            desired_form, live_form = kind.comparable(desired, read.body, now=NOW)
            assert field_changes(live_form, desired_form) == [], "round trip through the API is not clean"

            path, value = self.edit
            edited = _set(desired, path, value)
            kind.update(session, live_id, add_ownership(kind, edited, own_key))
            reread = self._read(session, kind, resource)
            assert reread is not None
            desired_form, live_form = kind.comparable(desired, reread.body, now=NOW)
            changed = [c.path for c in field_changes(live_form, desired_form)]
            assert changed == ([] if self.edit_unobservable else [path])

            kind.delete(session, live_id, reread.body)
            assert self._read(session, kind, resource) is None, "deleted object still listed"
