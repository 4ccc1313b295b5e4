"""Plan building and saving, with simple stand-in kind rules (rendering: tests/outputs/)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from compiler.errors import PlanError
from compiler.plan import build_plan, fingerprint
from compiler.plan_file import load_plan
from compiler.resources import LiveObject, Resource, ResourceSet, ref

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TARGET = {"datadog": "sandbox", "pagerduty": "sandbox"}


class DropServerFields:
    """Stand-in normalizer: drops server-owned fields, as every real kind spec does."""

    def canonical_desired(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in body.items() if k not in ("id", "overall_state")}

    def canonical_live(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.canonical_desired(body)

    def comparable(
        self, desired_body: Mapping[str, Any], live_body: Mapping[str, Any], *, now: datetime
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.canonical_desired(desired_body), self.canonical_live(live_body)

    def reconcile(
        self, desired: dict[str, Any], live: dict[str, Any], now: datetime
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        return desired, live

    def display_name(self, body: Mapping[str, Any]) -> str | None:
        return body.get("name")


def rules(_provider: str, _kind: str) -> DropServerFields:
    return DropServerFields()


def monitor(key: str, **body: Any) -> Resource:
    return Resource("datadog", "monitor", key, {"name": key.upper(), **body})


def live(key: str | None, live_id: str, name: str, **body: Any) -> LiveObject:
    return LiveObject("datadog", "monitor", live_id, name, {"name": name, "id": live_id, **body}, key)


def test_create_update_delete_and_noop() -> None:
    desired = ResourceSet.of(
        [
            monitor("new", query="a > 1"),
            monitor("changed", query="b > 2", options={"thresholds": {"critical": 2.0}}),
            monitor("same", query="c > 3"),
        ]
    )
    current = [
        live("changed", "11", "CHANGED", query="b > 2", options={"thresholds": {"critical": 5.0}}),
        live("same", "12", "SAME", query="c > 3", overall_state="Alert"),
        live("gone", "13", "GONE", query="d > 4"),
    ]
    plan = build_plan(desired, current, rules, now=NOW, target=TARGET)
    assert [(c.action, c.address) for c in plan.changes] == [
        ("delete", "datadog:monitor/gone"),
        ("update", "datadog:monitor/changed"),
        ("create", "datadog:monitor/new"),
    ]
    update = plan.changes[1]
    assert [(f.path, f.before, f.after) for f in update.fields] == [("options.thresholds.critical", 5.0, 2.0)]
    assert plan.counts() == {"adopt": 0, "create": 1, "update": 1, "delete": 1}
    assert set(plan.fingerprints) == {"datadog:monitor/changed", "datadog:monitor/same", "datadog:monitor/gone"}


def test_unowned_object_with_the_same_name_is_a_conflict_not_a_takeover() -> None:
    desired = ResourceSet.of([monitor("api")])
    plan = build_plan(desired, [live(None, "99", "API")], rules, now=NOW, target=TARGET)
    assert plan.changes == []
    assert [(c.address, c.live_id) for c in plan.conflicts] == [("datadog:monitor/api", "99")]
    assert plan.unmanaged == [{"provider": "datadog", "kind": "monitor", "id": "99", "name": "API"}]


def test_references_resolve_from_live_ids_or_show_known_after_apply() -> None:
    slo_ref = ref("datadog:slo/avail")
    desired = ResourceSet.of([monitor("burn", query=f'burn_rate("{slo_ref}") > 14.4')])
    plan = build_plan(desired, [], rules, now=NOW, target=TARGET)
    assert plan.changes[0].desired is not None
    assert plan.changes[0].desired["query"] == f'burn_rate("{slo_ref}") > 14.4'  # apply fills it in order

    slo = LiveObject("datadog", "slo", "abc123", "Avail", {"name": "Avail"}, "avail")
    current = [slo, live("burn", "5", "BURN", query='burn_rate("abc123") > 14.4')]
    plan = build_plan(desired, current, rules, now=NOW, target=TARGET)
    assert [c.action for c in plan.changes] == ["delete"]  # the live SLO is not desired here; the alert matches


def test_fingerprint_ignores_normalized_noise() -> None:
    normalized = DropServerFields().canonical_live
    a = normalized({"name": "x", "overall_state": "OK"})
    b = normalized({"name": "x", "overall_state": "Alert"})
    c = normalized({"name": "y"})
    assert fingerprint(a) == fingerprint(b) != fingerprint(c)


def test_plan_round_trips_through_json(tmp_path: Path) -> None:
    desired = ResourceSet.of([monitor("new", query="a > 1"), monitor("changed", query="b > 2")])
    plan = build_plan(desired, [live("changed", "11", "CHANGED", query="b > 3")], rules, now=NOW, target=TARGET)
    path = tmp_path / "plans" / "latest.plan.json"
    plan.save(path)
    loaded = load_plan(path)
    assert loaded == plan
    assert loaded.to_json() == plan.to_json()


def test_loading_a_foreign_file_is_a_plan_error(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"version": 99}', encoding="utf-8")
    with pytest.raises(PlanError, match="unsupported plan format version 99"):
        load_plan(path)
    with pytest.raises(PlanError, match="plan file not found"):
        load_plan(tmp_path / "missing.json")


class CountingRules(DropServerFields):
    def __init__(self) -> None:
        self.live_normalized: list[str] = []

    def canonical_live(self, body: Mapping[str, Any]) -> dict[str, Any]:
        self.live_normalized.append(str(body["id"]))
        return super().canonical_live(body)


def test_each_live_object_is_normalized_once() -> None:
    """The normalized form that gives the fingerprint is the one diffed (issue 15: it was computed twice)."""
    counting = CountingRules()
    desired = ResourceSet.of([monitor("same", query="a > 1"), monitor("changed", query="b > 2")])
    current = [live("same", "10", "SAME", query="a > 1"), live("changed", "11", "CHANGED", query="b > 3")]
    plan = build_plan(desired, current, lambda _p, _k: counting, now=NOW, target=TARGET)
    assert sorted(counting.live_normalized) == ["10", "11"]
    assert [c.address for c in plan.changes] == ["datadog:monitor/changed"]
