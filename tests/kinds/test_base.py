"""What a kind declares acts in the base class: server-owned fields are never compared, order-free lists
never matter, whatever the kind's own normalizer does."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.kinds import ResourceKind, all_kinds, get_kind
from compiler.providers.normalize.common import JSONDict, finalize
from compiler.providers.ownership import OwnershipStyle, add_ownership

GOLDEN = Path(__file__).parents[1] / "providers" / "golden"


class Plain(ResourceKind):
    """A kind whose own rules do nothing but drop empty values: everything else is the base's."""

    provider = "datadog"
    kind = "plain"
    api_family = "datadog:test"
    ownership = OwnershipStyle(mode="tags", field="tags")
    server_owned = ("id", "options.silenced", "missing.deep.path")
    order_free = ("tags", "contacts", "options.notify_by")

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]:
        inner = body.get("data")
        return inner if isinstance(inner, dict) else body

    def rules(self, body: JSONDict) -> JSONDict:
        return finalize(body)  # type: ignore[no-any-return]


PLAIN = Plain()


def test_server_owned_fields_are_gone_before_the_kinds_rules_run() -> None:
    body = {"id": 7, "name": "n", "options": {"silenced": {"*": None}, "thresholds": {"critical": 1}}}
    assert PLAIN.normalize(body) == {"name": "n", "options": {"thresholds": {"critical": 1}}}


def test_order_free_lists_are_sorted_scalars_as_sets_objects_keeping_duplicates() -> None:
    contacts = [{"type": "slack", "contact": "b"}, {"type": "email", "contact": "a"}, {"type": "slack", "contact": "b"}]
    body = {"tags": ["b", "a", "b"], "contacts": contacts, "options": {"notify_by": ["z", "y"]}, "steps": [2, 1]}
    normalized = PLAIN.normalize(body)
    assert normalized["tags"] == ["a", "b"]
    assert normalized["contacts"] == [contacts[1], contacts[0], contacts[0]]
    assert normalized["options"]["notify_by"] == ["y", "z"]
    assert normalized["steps"] == [2, 1]  # not declared order-free: its order is kept


def test_paths_are_inside_the_unwrapped_body_and_the_callers_body_is_left_alone() -> None:
    body = {"data": {"id": "x", "tags": ["b", "a"], "options": {"silenced": {}, "notify_by": ["b", "a"]}}}
    before = copy.deepcopy(body)
    assert PLAIN.normalize(body) == {"options": {"notify_by": ["a", "b"]}, "tags": ["a", "b"]}
    assert body == before


class Noted(Plain):
    kind = "noted"
    ownership = OwnershipStyle(mode="marker", field="message")


def test_alertcs_mark_is_never_compared() -> None:
    """Tags or a marker line: the mark ``add_ownership`` writes is gone from the normalized form."""
    for kind, body in ((PLAIN, {"tags": ["team:x"], "name": "n"}), (Noted(), {"message": "Hello.", "name": "n"})):
        marked = add_ownership(kind, body, f"{kind.kind}/k", "0123456789ab", owner="ops")
        assert marked != body
        assert kind.normalize(marked) == kind.normalize(body) == finalize(body)


def _golden_bodies() -> list[Any]:
    params = []
    for provider in ("datadog", "pagerduty"):
        for case in yaml.safe_load((GOLDEN / f"{provider}.yaml").read_text()):
            kind = get_kind(provider, case["kind"])
            for side in ("sent", "returned"):
                params.append(pytest.param(kind, case[side], id=f"{provider}-{case['id']}-{side}"))
    return params


def _set(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    holder: Any = body
    for key in parents:
        holder = holder.setdefault(key, {})
        if not isinstance(holder, dict):
            return
    holder[last] = value


@pytest.mark.parametrize(("kind", "body"), _golden_bodies())
def test_a_server_owned_field_never_changes_the_normalized_form(kind: ResourceKind, body: dict[str, Any]) -> None:
    """Whatever the server puts in a field the kind declares server-owned, the diff does not see it."""
    expected = kind.canonical_live(body)
    for path in kind.server_owned:
        edited = copy.deepcopy(body)
        _set(kind.unwrap(edited), path, {"set by": "the server"})
        assert kind.canonical_live(edited) == expected, path


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda k: k.address)
def test_declared_paths_are_dotted_names(kind: ResourceKind) -> None:
    for path in (*kind.server_owned, *kind.order_free):
        assert isinstance(path, str) and all(path.split(".")), f"{kind.address}: {path!r}"
