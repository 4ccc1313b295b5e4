"""Apply's refusals, checked on plain data (no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compiler.apply import check_safety
from compiler.errors import PlanError
from compiler.live import LiveState
from compiler.plan import Change, Plan, UnsafePlanError
from compiler.resources import LiveObject

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def _monitor(key: str) -> LiveObject:
    return LiveObject("datadog", "monitor", key, key, {"name": key}, key)


def _plan(deletes: int, fingerprints: int) -> Plan:
    plan = Plan(created_at=NOW.isoformat(), definitions_digest="d", target={})
    plan.changes = [Change("delete", f"datadog:monitor/m{i}", "datadog", "monitor", f"m{i}") for i in range(deletes)]
    plan.fingerprints = {f"datadog:monitor/m{i}": "f" for i in range(fingerprints)}
    return plan


def test_deleting_more_than_30_percent_of_ten_or_more_needs_allow_deletes() -> None:
    live = LiveState([_monitor(f"m{i}") for i in range(10)])
    check_safety(_plan(3, 10), live, allow_deletes=False)  # 30% is allowed
    with pytest.raises(PlanError, match="deletes 4 of 10 managed objects"):
        check_safety(_plan(4, 10), live, allow_deletes=False)
    check_safety(_plan(4, 10), live, allow_deletes=True)


def test_small_accounts_are_below_the_threshold_floor() -> None:
    live = LiveState([_monitor(f"m{i}") for i in range(9)])
    check_safety(_plan(9, 9), live, allow_deletes=False)


def test_an_empty_read_after_a_populated_plan_is_refused() -> None:
    with pytest.raises(PlanError, match="live read returned no managed objects"):
        check_safety(_plan(0, 12), LiveState([]), allow_deletes=True)


def test_the_plan_itself_refuses_against_what_it_read() -> None:
    """At plan time the managed count is the plan's own fingerprints; the message is apply's."""
    _plan(3, 10).raise_if_unsafe(allow_deletes=False)
    with pytest.raises(
        UnsafePlanError, match=r"deletes 4 of 10 managed objects \(more than 30%\); nothing was changed"
    ):
        _plan(4, 10).raise_if_unsafe(allow_deletes=False)
    _plan(4, 10).raise_if_unsafe(allow_deletes=True)
    _plan(9, 9).raise_if_unsafe(allow_deletes=False)


def test_apply_rechecks_against_the_objects_that_exist_now() -> None:
    """A plan safe against the 14 objects it read is refused when only 12 exist by apply time."""
    plan = _plan(4, 14)
    plan.raise_if_unsafe(allow_deletes=False)
    with pytest.raises(UnsafePlanError, match="deletes 4 of 12"):
        check_safety(plan, LiveState([_monitor(f"m{i}") for i in range(12)]), allow_deletes=False)
