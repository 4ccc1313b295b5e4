"""The plan file reader: a saved plan reads back equal; anything else is a PlanError, never another exception."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import PlanError
from compiler.plan import Change, Plan, plan_digest
from compiler.plan_file import load_plan, parse_plan


def _plan() -> Plan:
    plan = Plan(created_at="2026-11-22T12:00:00+00:00", definitions_digest="d", target={"mode": "sandbox"})
    plan.changes = [
        Change("create", "datadog:monitor/new", "datadog", "monitor", "new", desired={"name": "n", "x": [1, 2.5]}),
        Change("update", "datadog:monitor/old", "datadog", "monitor", "old", live_id="150000004", desired={"a": 1}),
        Change("delete", "pagerduty:service/gone", "pagerduty", "service", "gone", live_id="PABC123"),
        Change(
            "delete", "datadog:monitor/old", "datadog", "monitor", "old", live_id="150000009", duplicate_of="150000004"
        ),
    ]
    plan.fingerprints = {"datadog:monitor/old": "f" * 16, "pagerduty:service/gone": "e" * 16}
    return plan


def test_a_saved_plan_reads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    _plan().save(path)
    assert load_plan(path) == _plan()


def test_the_digest_covers_every_field_but_itself() -> None:
    document = _plan().to_document()
    assert plan_digest(document) == document["digest"]
    document["created_at"] = "2026-11-22T12:00:01+00:00"
    assert plan_digest(document) != document["digest"]
    with pytest.raises(PlanError, match="plan file was modified after it was made"):
        parse_plan(json.dumps(document).encode(), "p.json")


def test_a_directory_and_a_missing_file_are_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="is a directory"):
        load_plan(tmp_path)
    with pytest.raises(PlanError, match="plan file not found"):
        load_plan(tmp_path / "missing.json")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["action", "address", "provider", "kind", "key", "live_id", "name", "desired", "depends_on", "fields"]


@settings(max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    index=st.integers(min_value=0, max_value=3),
    field=st.sampled_from([*FIELDS, "duplicate_of", "extra"]),
    value=JSON,
    redigest=st.booleans(),
)
def test_any_edit_of_a_change_is_a_plan_error_or_a_valid_plan(
    index: int, field: str, value: Any, redigest: bool
) -> None:
    document = _plan().to_document()
    document["changes"][index][field] = value
    if redigest:
        document["digest"] = plan_digest(document)
    try:
        parsed = parse_plan(json.dumps(document).encode(), "p.json")
    except PlanError as exc:
        assert "hint:" in str(exc) or "not a plan" in str(exc)  # a user-facing refusal, never a crash
        return
    assert not redigest or parsed.changes[index].address == document["changes"][index]["address"]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(data=st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_are_a_plan_error(data: bytes) -> None:
    with pytest.raises(PlanError):
        parse_plan(data, "p.json")
