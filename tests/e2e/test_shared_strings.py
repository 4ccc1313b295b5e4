"""A plan's live monitors hold the compiled messages themselves, not equal copies (issue 15: memory)."""

from __future__ import annotations

import os

from compiler.apply import apply_plan
from compiler.definitions import load_definitions
from compiler.engine import make_plan
from compiler.live import open_session
from compiler.targets import target_from_environment
from tests.e2e.conftest import EXAMPLES, World
from tests.kinds.contract import NOW


def test_the_live_read_shares_the_desired_strings(world: World) -> None:
    loaded = load_definitions(EXAMPLES)
    target = target_from_environment(os.environ)
    assert loaded.definitions is not None and target is not None
    with open_session(target) as session:
        assert apply_plan(make_plan(loaded.definitions, session, now=NOW, validate=False).plan, session, now=NOW).ok
        outcome = make_plan(loaded.definitions, session, now=NOW, validate=False)
    assert not outcome.plan.has_changes
    managed = outcome.live.managed()
    monitors = [r for r in outcome.desired if r.kind == "monitor"]
    assert monitors
    for resource in monitors:
        live = managed[resource.address].body
        assert live["message"] == resource.body["message"]
        assert live["message"] is resource.body["message"], resource.address
