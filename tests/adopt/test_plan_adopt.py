"""Adopt actions and conflicts in build_plan (stand-in kind rules from tests/test_plan.py)."""

from __future__ import annotations

import dataclasses

import pytest

from compiler.errors import PlanError
from compiler.outputs.classes import MarkdownOutput, TextOutput
from compiler.plan import OWNER_FIELD, ConflictError, build_plan
from compiler.resources import LiveObject, ResourceSet
from tests.test_plan import NOW, TARGET, live, monitor, rules


def _plan(desired: ResourceSet, current: list[LiveObject], **kw: object):  # type: ignore[no-untyped-def]
    return build_plan(desired, current, rules, now=NOW, target=TARGET, **kw)  # type: ignore[arg-type]


def test_adopt_by_id_plans_an_adopt_with_only_the_fields_alertc_changes() -> None:
    wanted = dataclasses.replace(monitor("api", query="a > 2"), adopt="77")
    plan = _plan(ResourceSet.of([wanted]), [live(None, "77", "API", query="a > 1")], owner="identity")
    [change] = plan.changes
    assert (change.action, change.live_id, change.address) == ("adopt", "77", "datadog:monitor/api")
    assert [(f.path, f.before, f.after) for f in change.fields] == [("query", "a > 1", "a > 2")]
    assert plan.adopt_fingerprints["datadog:monitor/api"]
    assert not plan.fingerprints and not plan.unmanaged and not plan.conflicts
    assert plan.counts()["adopt"] == 1


def test_adopt_of_an_unknown_id_fails_naming_it() -> None:
    wanted = dataclasses.replace(monitor("api"), adopt="404")
    with pytest.raises(PlanError, match="adopt: no live monitor has id 404"):
        _plan(ResourceSet.of([wanted]), [])


def test_adopting_another_scopes_object_is_refused() -> None:
    theirs = dataclasses.replace(live(None, "77", "API"), owner="mobile", foreign_key="other")
    plan = _plan(ResourceSet.of([dataclasses.replace(monitor("api"), adopt="77")]), [theirs], owner="identity")
    [conflict] = plan.conflicts
    assert conflict.reason == "adopt" and not plan.changes
    assert "adopting live object \"API\" (id 77) is refused: it is owned by alertc scope 'mobile'" in (
        conflict.describe()
    )


def test_name_collision_is_a_conflict_unless_adopt_by_name() -> None:
    desired = ResourceSet.of([monitor("api")])
    squatter = [live(None, "77", "API")]
    plan = _plan(desired, squatter)
    assert [c.live_id for c in plan.conflicts] == ["77"] and not plan.changes
    with pytest.raises(ConflictError, match="not managed by alertc"):
        plan.raise_if_conflicts()
    plan.raise_if_conflicts(allow_conflicts=True)
    adopted = _plan(desired, squatter, adopt_by_name=True)
    assert [c.action for c in adopted.changes] == ["adopt"] and not adopted.conflicts


def test_adopt_by_name_never_takes_another_scopes_object() -> None:
    theirs = dataclasses.replace(live(None, "77", "API"), owner="mobile", foreign_key="api")
    plan = _plan(ResourceSet.of([monitor("api")]), [theirs], owner="identity", adopt_by_name=True)
    assert [c.reason for c in plan.conflicts] == ["key"] and not plan.changes
    assert plan.unmanaged == [
        {"provider": "datadog", "kind": "monitor", "id": "77", "name": "API", "owner": "alertc scope 'mobile'"}
    ]


def test_an_adopted_object_is_an_ordinary_managed_one_afterwards() -> None:
    wanted = dataclasses.replace(monitor("api", query="a > 1"), adopt="77")
    mine = dataclasses.replace(live("api", "77", "API", query="a > 1"), owner="identity")
    assert _plan(ResourceSet.of([wanted]), [mine], owner="identity").changes == []


def test_an_unscoped_object_gets_the_owner_by_a_reviewed_update() -> None:
    plan = _plan(ResourceSet.of([monitor("api")]), [live("api", "1", "API")], owner="identity")
    [change] = plan.changes
    assert change.action == "update"
    assert [(f.path, f.after) for f in change.fields] == [(OWNER_FIELD, "identity")]


def test_renderings_show_adopts_with_their_sign_count_and_column() -> None:
    wanted = dataclasses.replace(monitor("api", query="a > 2"), adopt="77")
    plan = _plan(ResourceSet.of([wanted]), [live(None, "77", "API", query="a > 1")], owner="identity")
    text = TextOutput().plan(plan)
    assert '<= adopt datadog monitor api (id 77)  "API"' in text
    assert '    ~ query: "a > 1" -> "a > 2"' in text
    assert "  datadog monitor                    +0 ~0 -0 <=1" in text
    assert text.endswith("Plan: 1 to adopt, 0 to create, 0 to update, 0 to delete.\n")
    markdown = MarkdownOutput().plan(plan)
    assert "| kind | adopt | create | update | delete |" in markdown
    assert "| datadog monitor | 1 | 0 | 0 | 0 |" in markdown
    assert '@@ <= adopt datadog monitor api (id 77)  "API" @@' in markdown
