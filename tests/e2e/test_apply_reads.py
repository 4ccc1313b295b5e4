"""What apply reads before each create: the object's own key, not whole lists (issue 15: apply at scale)."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import World


def test_an_integration_create_reads_its_own_service_not_the_service_list(world: World) -> None:
    assert world.plan().code == 0
    seen: list[str] = []

    def observe(req: Any, _resp: Any) -> None:
        if req.method == "GET" and (req.path == "/services" or req.path.startswith("/services/")):
            seen.append(req.path)

    world.handle.observe(observe)
    applied = world.apply()
    world.handle.observe(None)
    assert applied.code == 0, applied.err
    plan = json.loads((world.tmp / "p.json").read_text())
    created = [c for c in plan["changes"] if c["action"] == "create"]
    services = sum(1 for c in created if c["provider"] == "pagerduty" and c["kind"] == "service")
    integrations = sum(1 for c in created if c["provider"] == "pagerduty" and c["kind"] == "integration")
    assert integrations >= 2
    # apply's own read, one look by name per service created, the banner post-step's read; none per integration
    assert seen.count("/services") <= 2 + services, seen
    assert sum(1 for path in seen if path.startswith("/services/")) >= integrations, seen
