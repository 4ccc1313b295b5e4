"""Memory at scale (issue 15): live monitors hold the compiled messages themselves, and the monitor
models are gone before the live read."""

from __future__ import annotations

import os
from typing import Any

import pytest

from compiler.app import PlanOutcome, plan_in_session
from compiler.apply import apply_plan
from compiler.compile import compile_definitions
from compiler.definitions import Definitions, load_definitions
from compiler.live import Session, open_session
from compiler.targets import target_from_environment
from tests.e2e.conftest import EXAMPLES, World
from tests.kinds.contract import NOW


def _plan(definitions: Definitions, session: Session) -> PlanOutcome:
    desired = compile_definitions(definitions, now=NOW).resources
    return plan_in_session(definitions, desired, session, now=NOW, read_only=True)


def test_the_live_read_shares_the_desired_strings(world: World) -> None:
    loaded = load_definitions(EXAMPLES)
    target = target_from_environment(os.environ)
    assert loaded.definitions is not None and target is not None
    with open_session(target) as session:
        assert apply_plan(_plan(loaded.definitions, session).plan, session, now=NOW).ok
        outcome = _plan(loaded.definitions, session)
    assert not outcome.plan.has_changes
    managed = outcome.live.managed()
    monitors = [r for r in outcome.desired if r.kind == "monitor"]
    assert monitors
    for resource in monitors:
        live = managed[resource.address].body
        assert live["message"] == resource.body["message"]
        assert live["message"] is resource.body["message"], resource.address


def test_listed_monitors_keep_no_server_noise(world: World) -> None:
    """Downtimes are not asked for, and fields nothing reads are not kept (created stays: duplicates)."""
    loaded = load_definitions(EXAMPLES)
    target = target_from_environment(os.environ)
    assert loaded.definitions is not None and target is not None
    queries: list[dict[str, list[str]]] = []

    def observe(req: Any, _resp: Any) -> None:
        if req.method == "GET" and req.path == "/api/v1/monitor":
            queries.append(req.query)

    with open_session(target) as session:
        assert apply_plan(_plan(loaded.definitions, session).plan, session, now=NOW).ok
        world.handle.observe(observe)
        outcome = _plan(loaded.definitions, session)
        world.handle.observe(None)
    monitors = [o for o in outcome.live.objects if o.kind in ("monitor", "slo_alert")]
    assert monitors and queries
    assert all(q.get("with_downtimes") == ["false"] for q in queries), queries
    for obj in monitors:
        assert not {"creator", "matching_downtimes", "overall_state", "org_id"} & set(obj.body), obj.address
        assert "created" in obj.body


def test_plan_and_drift_release_the_monitor_models_before_reading(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the compiled monitors are compared; the models are dropped before the live read (memory)."""
    seen: list[int] = []

    def spy(definitions: Definitions, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(definitions.monitors))
        return plan_in_session(definitions, *args, **kwargs)

    monkeypatch.setattr("compiler.app.plan_in_session", spy)
    assert world.plan().code == 0
    assert world.alertc("drift", "-d", str(EXAMPLES)).code in (0, 2)
    assert seen == [0, 0]
