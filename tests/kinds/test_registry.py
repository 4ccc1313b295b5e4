"""The kind registry: dependency order is a topological sort, every kind is complete."""

from __future__ import annotations

import importlib
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from compiler.kinds import KINDS, ResourceKind, all_kinds, apply_order, delete_order, get_kind
from compiler.kinds.registry import (
    DATADOG_FAMILIES,
    DependencyCycleError,
    collected_kinds,
    topological_order,
)
from compiler.providers.families import DATADOG_FALLBACK, PAGERDUTY_FAMILY


def test_apply_order_matches_the_documented_sequence() -> None:
    order = [k.address for k in apply_order()]
    documented = [
        "pagerduty:schedule",
        "pagerduty:escalation_policy",
        "pagerduty:service",
        "pagerduty:integration",
        "datadog:pagerduty_service_object",
        "datadog:service_definition",
        "datadog:monitor",
        "datadog:slo",
        "datadog:slo_alert",
        "datadog:downtime",
    ]
    assert [a for a in order if a in documented] == documented


def test_apply_order_is_pinned() -> None:
    """The whole order, pinned: it decides the live read's and apply's sequence, so a change to it (a new
    kind, a new dependency) is seen in review. Ties: PagerDuty first, then kind names (``tie_order``)."""
    assert [k.address for k in apply_order()] == [
        "pagerduty:team",
        "pagerduty:schedule",
        "pagerduty:escalation_policy",
        "pagerduty:service",
        "pagerduty:integration",
        "pagerduty:maintenance_window",
        "datadog:incident_notification_template",
        "datadog:incident_notification_rule",
        "datadog:incident_postmortem_template",
        "datadog:pagerduty_service_object",
        "datadog:service_definition",
        "datadog:monitor",
        "datadog:slo",
        "datadog:dashboard",
        "datadog:slo_alert",
        "datadog:downtime",
    ]


def test_every_kind_module_is_registered_with_no_list_to_edit() -> None:
    """The registry is what the kind modules define: each module's ``KIND`` (or ``KINDS``), nothing else."""
    defined: list[ResourceKind] = []
    for package in ("compiler.kinds.datadog", "compiler.kinds.pagerduty"):
        for path in sorted(Path(str(importlib.import_module(package).__file__)).parent.glob("*.py")):
            module = importlib.import_module(f"{package}.{path.stem}")
            defined += getattr(module, "KINDS", [module.KIND] if hasattr(module, "KIND") else [])
    assert sorted(k.address for k in defined) == sorted(KINDS)
    assert all(KINDS[k.address] is k for k in defined)


def test_a_new_module_with_a_kind_is_collected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kind is its module: a package's new module with ``KIND`` is found without naming it anywhere."""
    package = tmp_path / "more_kinds"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "common.py").write_text("BASE = object()\n")  # no KIND: a shared base, skipped
    (package / "widget.py").write_text("from tests.kinds.test_registry import _Kind\n\nKIND = _Kind('widget')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert [k.address for k in collected_kinds(["more_kinds"])] == ["datadog:widget"]
    finally:
        for name in ("more_kinds", "more_kinds.common", "more_kinds.widget"):
            sys.modules.pop(name, None)


def test_every_dependency_comes_first_and_exists() -> None:
    seen: set[str] = set()
    for kind in apply_order():
        for dep in kind.depends_on:
            assert dep in KINDS, f"{kind.address} depends on unknown {dep}"
            assert dep in seen, f"{kind.address} is applied before its dependency {dep}"
        seen.add(kind.address)


def test_delete_order_is_the_reverse() -> None:
    assert delete_order() == list(reversed(apply_order()))
    subset = [get_kind("datadog", "downtime"), get_kind("pagerduty", "schedule")]
    assert [k.kind for k in apply_order(subset)] == ["schedule", "downtime"]
    assert [k.kind for k in delete_order(subset)] == ["downtime", "schedule"]


class _Kind(ResourceKind):
    provider = "datadog"
    api_family = "datadog:test"

    def __init__(self, kind: str, *depends_on: str) -> None:
        self.kind = kind
        self.depends_on = tuple(f"datadog:{d}" for d in depends_on)


def test_order_follows_depends_on_not_the_listing() -> None:
    """A kind listed before its dependency still comes after it."""
    kinds = [_Kind("c", "b"), _Kind("b", "a"), _Kind("a")]
    assert [k.kind for k in topological_order(kinds)] == ["a", "b", "c"]


def test_a_dependency_cycle_is_refused_naming_the_kinds() -> None:
    with pytest.raises(DependencyCycleError, match="datadog:x, datadog:y"):
        topological_order([_Kind("x", "y"), _Kind("y", "x")])


def test_get_kind_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="datadog:monitor"):
        get_kind("datadog", "notebook")


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda k: k.address)
def test_kinds_are_complete(kind: ResourceKind) -> None:
    if kind.ownership.mode == "inherited":
        assert kind.ownership.parent in KINDS
    else:
        assert kind.ownership.field
    if kind.listed_by is None:
        assert type(kind).list_live is not ResourceKind.list_live, f"{kind.address} cannot be read"
    else:
        assert kind.listed_by in KINDS
    for hook in ("rules", "create", "update", "delete"):
        assert getattr(type(kind), hook) is not getattr(ResourceKind, hook), f"{kind.address} lacks {hook}"
    assert all(dep in KINDS for dep in kind.reads_after)


@pytest.mark.parametrize("kind", all_kinds(), ids=lambda k: k.address)
def test_requests_at_a_kinds_paths_are_paced_under_its_family(kind: ResourceKind) -> None:
    """The client's path → family table comes from the kinds: each kind's paths map to its family."""
    assert kind.api_paths, f"{kind.address} names no API path"
    for path in kind.api_paths:
        concrete = path.replace("{", "x").replace("}", "")
        if kind.provider == "datadog":
            assert DATADOG_FAMILIES.family_for(concrete) == kind.api_family
            assert DATADOG_FAMILIES.family_for(concrete + "/below?page=2") == kind.api_family
        else:
            assert kind.api_family == PAGERDUTY_FAMILY  # PagerDuty paces a key's whole REST API together


def test_paths_no_kind_names_are_paced_apart() -> None:
    assert DATADOG_FAMILIES.family_for("/api/v1/validate") == DATADOG_FALLBACK
    assert DATADOG_FAMILIES.family_for("/api/v1/monitors-other") == DATADOG_FALLBACK


def test_datadog_page_sizes_are_the_largest_allowed() -> None:
    assert get_kind("datadog", "monitor").page_size == 1000
    assert get_kind("datadog", "slo").page_size == 1000
    assert get_kind("datadog", "downtime").page_size == 100
    assert get_kind("datadog", "service_definition").page_size == 100
    assert get_kind("pagerduty", "service").page_size == 100


def test_monitor_list_is_split_between_monitors_and_slo_alerts() -> None:
    monitor, alert = get_kind("datadog", "monitor"), get_kind("datadog", "slo_alert")
    bodies = [{"id": 1, "type": "query alert"}, {"id": 2, "type": "slo alert"}, {"id": 3, "type": "metric alert"}]
    assert [b["id"] for b in bodies if monitor.owns_live(b)] == [1, 3]
    assert [b["id"] for b in bodies if alert.owns_live(b)] == [2]
    assert alert.listed_by == monitor.address


def test_cancelled_and_ended_downtimes_are_history_not_state() -> None:
    downtime = get_kind("datadog", "downtime")
    assert downtime.owns_live({"type": "downtime", "attributes": {"status": "active"}})
    assert downtime.owns_live({"attributes": {"status": "scheduled"}})
    assert not downtime.owns_live({"id": "x", "attributes": {"status": "canceled"}})
    assert not downtime.owns_live({"data": {"attributes": {"status": "ended"}}})


def test_schedule_live_adapter_only_applies_to_live_side() -> None:
    schedule = get_kind("pagerduty", "schedule")
    layers = [{"name": "A"}, {"name": "B"}]
    desired = schedule.canonical_desired({"schedule_layers": layers})["schedule_layers"]
    live = schedule.canonical_live({"schedule_layers": layers})["schedule_layers"]
    assert [la["name"] for la in desired] == ["A", "B"]
    assert [la["name"] for la in live] == ["B", "A"]


def test_comparable_uses_now_for_past_layer_starts() -> None:
    schedule = get_kind("pagerduty", "schedule")
    desired = {"schedule_layers": [{"name": "A", "start": "2024-01-01T00:00:00Z"}]}
    live = {"schedule_layers": [{"name": "A", "start": "2024-06-01T00:00:00Z"}]}
    d, lv = schedule.comparable(desired, live, now=datetime(2023, 1, 1, tzinfo=UTC))
    assert d != lv
    d, lv = schedule.comparable(desired, live, now=datetime(2025, 1, 1, tzinfo=UTC))
    assert d == lv


def test_incident_rule_and_template_ids_are_uuids_the_client_can_type() -> None:
    """The id format is declared once: it decides both ``check_id`` and the client's typed parameter."""
    rule = get_kind("datadog", "incident_notification_rule")
    template = get_kind("datadog", "incident_notification_template")
    postmortem = get_kind("datadog", "incident_postmortem_template")
    good = "00000000-0000-4000-8000-000000000001"
    for kind in (rule, template):
        assert kind.check_id(good) is None
        assert kind.check_id("r1") == f"'r1' is not a {kind.address} id (a UUID)"
    assert postmortem.check_id("00000000-0000-4000-8000-000000000001") is None
    assert postmortem.check_id("pm-1") is None
