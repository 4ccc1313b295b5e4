"""Apply's refusals, checked on plain data (no network)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from compiler.apply import _Applier
from compiler.apply_checks import check_safety
from compiler.errors import PlanError, TargetError
from compiler.live import LiveState
from compiler.lock import ApplyLockedError, apply_lock, lock_dir, lock_name
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


# --- the apply lock -------------------------------------------------------------------------------


def test_a_second_apply_against_the_same_target_is_refused_naming_the_holder(tmp_path: Path) -> None:
    target = {"mode": "sandbox", "datadog": "https://127.0.0.1:1"}
    with apply_lock(target, directory=tmp_path) as path:
        assert path.parent == tmp_path
        second = apply_lock(target, directory=tmp_path)
        with pytest.raises(ApplyLockedError, match=rf"another alertc apply is running .*pid {os.getpid()} on "):
            second.__enter__()
        with apply_lock({**target, "datadog": "https://127.0.0.1:2"}, directory=tmp_path):
            pass  # another target has its own lock
    with apply_lock(target, directory=tmp_path):
        pass  # released when the first apply ended


def test_the_lock_lives_in_a_per_user_state_directory() -> None:
    assert lock_dir({"ALERTC_LOCK_DIR": "/x/locks"}) == Path("/x/locks")
    assert lock_dir({"XDG_STATE_HOME": "/home/u/.state"}) == Path("/home/u/.state/alertc/locks")
    assert lock_dir({}) == Path.home() / ".local" / "state" / "alertc" / "locks"
    assert lock_name({"a": "1"}) == lock_name({"a": "1"}) != lock_name({"a": "2"})


# --- Datadog's duplicate-monitor 400 --------------------------------------------------------------


class _FakeTarget:
    def redact(self, text: str) -> str:
        return text


class _DuplicateRefusingMonitors:
    """A monitor kind whose create meets Datadog's 400, naming monitor 150000007."""

    provider = "datadog"
    kind = "monitor"

    def __init__(self, other: LiveObject) -> None:
        self.other = other
        self.created = 0

    def find_by_key(self, _clients: object, _key: str, _body: object) -> list[LiveObject]:
        return []

    def create(self, _clients: object, _body: object) -> tuple[str, dict[str, str]]:
        self.created += 1
        raise TargetError("Datadog create monitor: (HTTP 400): Duplicate of an existing monitor_id:150000007 org_id:2")

    def read_one(self, _clients: object, live_id: str) -> LiveObject | None:
        assert live_id == "150000007"
        return self.other


def _applier() -> _Applier:
    session: Any = SimpleNamespace(target=_FakeTarget())
    return _Applier(session, LiveState([]), NOW)


def test_a_duplicate_400_naming_a_monitor_alertc_does_not_own_is_refused_naming_it() -> None:
    unowned = LiveObject("datadog", "monitor", "150000007", "theirs", {"name": "theirs"}, None)
    spec: Any = _DuplicateRefusingMonitors(unowned)
    change = Change("create", "datadog:monitor/m", "datadog", "monitor", "m", desired={"name": "m"})
    with pytest.raises(TargetError, match="duplicate of monitor 150000007, which is not managed by alertc"):
        _applier()._create(change, spec, {"name": "m"})
    assert spec.created == 1  # not retried


def test_a_duplicate_400_naming_another_key_is_refused_naming_it() -> None:
    other = LiveObject("datadog", "monitor", "150000007", "x", {"name": "x"}, "other")
    spec: Any = _DuplicateRefusingMonitors(other)
    change = Change("create", "datadog:monitor/m", "datadog", "monitor", "m", desired={"name": "m"})
    with pytest.raises(TargetError, match="which is managed by alertc under datadog:monitor/other"):
        _applier()._create(change, spec, {"name": "m"})
