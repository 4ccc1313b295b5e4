"""The kind registry: dependency order, declared operations, live partitioning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compiler.providers.kinds import APPLY_ORDER, KINDS, apply_order, classify_live, delete_order, get_spec


def test_apply_order_matches_the_documented_sequence() -> None:
    order = [s.address for s in apply_order()]
    documented = [
        "pagerduty:schedule",
        "pagerduty:escalation_policy",
        "pagerduty:service",
        "pagerduty:integration",
        "datadog:pagerduty_service_object",
        "datadog:monitor",
        "datadog:slo",
        "datadog:slo_alert",
        "datadog:downtime",
    ]
    assert [a for a in order if a in documented] == documented


def test_every_dependency_comes_first_and_exists() -> None:
    seen: set[str] = set()
    for spec in apply_order():
        for dep in spec.depends_on:
            assert dep in KINDS, f"{spec.address} depends on unknown {dep}"
            assert dep in seen, f"{spec.address} is applied before its dependency {dep}"
        seen.add(spec.address)


def test_delete_order_is_the_reverse() -> None:
    assert delete_order() == list(reversed(apply_order()))
    subset = [get_spec("datadog", "downtime"), get_spec("pagerduty", "schedule")]
    assert [s.kind for s in apply_order(subset)] == ["schedule", "downtime"]
    assert [s.kind for s in delete_order(subset)] == ["downtime", "schedule"]


def test_get_spec_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="datadog:monitor"):
        get_spec("datadog", "dashboard")


@pytest.mark.parametrize("spec", APPLY_ORDER, ids=lambda s: s.address)
def test_specs_are_complete(spec: object) -> None:
    from compiler.providers.kinds import KindSpec

    assert isinstance(spec, KindSpec)
    ops = spec.operations
    assert ops.create and ops.update and ops.delete
    if ops.read_strategy == "list":
        assert ops.list and ops.page_size and ops.page_param
    else:
        assert ops.list is None
    assert spec.api_family.startswith(spec.provider + ":")
    if spec.ownership.mode == "inherited":
        assert spec.ownership.parent in KINDS
    else:
        assert spec.ownership.field


def test_datadog_page_sizes_are_the_largest_allowed() -> None:
    assert get_spec("datadog", "monitor").operations.page_size == 1000
    assert get_spec("datadog", "slo").operations.page_size == 1000
    assert get_spec("datadog", "service_definition").operations.page_size == 100
    assert get_spec("datadog", "service_definition").operations.params == {"schema_version": "v2.2"}
    assert get_spec("pagerduty", "service").operations.page_size == 100


def test_monitor_list_is_split_between_monitors_and_slo_alerts() -> None:
    bodies = [{"id": 1, "type": "query alert"}, {"id": 2, "type": "slo alert"}, {"id": 3, "type": "metric alert"}]
    split = classify_live("datadog", bodies, ["slo_alert", "monitor"])
    assert [b["id"] for b in split["monitor"]] == [1, 3]
    assert [b["id"] for b in split["slo_alert"]] == [2]


def test_cancelled_and_ended_downtimes_are_not_live_state() -> None:
    spec = get_spec("datadog", "downtime")
    assert spec.owns_live({"type": "downtime", "attributes": {"status": "active"}})
    assert spec.owns_live({"attributes": {"status": "scheduled"}})
    assert not spec.owns_live({"id": "x", "attributes": {"status": "canceled"}})
    assert not spec.owns_live({"data": {"attributes": {"status": "ended"}}})


def test_schedule_live_adapter_only_applies_to_live_side() -> None:
    spec = get_spec("pagerduty", "schedule")
    layers = [{"name": "A"}, {"name": "B"}]
    assert [layer["name"] for layer in spec.canonical_desired({"schedule_layers": layers})["schedule_layers"]] == [
        "A",
        "B",
    ]
    assert [layer["name"] for layer in spec.canonical_live({"schedule_layers": layers})["schedule_layers"]] == [
        "B",
        "A",
    ]


def test_comparable_uses_now_for_past_layer_starts() -> None:
    spec = get_spec("pagerduty", "schedule")
    desired = {"schedule_layers": [{"name": "A", "start": "2024-01-01T00:00:00Z"}]}
    live = {"schedule_layers": [{"name": "A", "start": "2024-06-01T00:00:00Z"}]}
    before = datetime(2023, 1, 1, tzinfo=UTC)
    after = datetime(2025, 1, 1, tzinfo=UTC)
    d, lv = spec.comparable(desired, live, now=before)
    assert d != lv
    d, lv = spec.comparable(desired, live, now=after)
    assert d == lv


def test_datadog_families_match_the_request_path_mapping() -> None:
    from compiler.providers.client_settings import DATADOG_FAMILY_PREFIXES, PAGERDUTY_FAMILY

    families = {family for _, family in DATADOG_FAMILY_PREFIXES}
    for spec in APPLY_ORDER:
        expected = families if spec.provider == "datadog" else {PAGERDUTY_FAMILY}
        assert spec.api_family in expected, spec.address
