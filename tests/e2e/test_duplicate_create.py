"""alertc's create path meeting Datadog's duplicate-monitor 400 (see tests/sandbox/test_duplicate_monitor.py)."""

from __future__ import annotations

from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox.datadog import monitors
from compiler.sandbox.routing import Request, Response
from tests.e2e.conftest import World


def _monitor_posts(world: World) -> list[bytes]:
    """The exact bodies alertc POSTs for the example definitions' monitors."""
    seen: list[bytes] = []

    def record(req: Request, resp: Response) -> None:
        if req.method == "POST" and req.path == "/api/v1/monitor" and resp.status == 200:
            seen.append(req.raw_body)

    world.handle.observe(record)
    assert world.plan().code == 0 and world.apply().code == 0
    world.handle.observe(None)
    with world.datadog() as client:
        api = MonitorsApi(client)
        for m in api.list_monitors():
            api.delete_monitor(int(m.id), force="true")
    return seen


def test_alertc_create_path_meets_a_duplicate(world: World) -> None:
    """A colleague creates the same monitors between alertc's freshness check and its creates."""
    bodies = _monitor_posts(world)
    n = len(bodies)
    assert n > 20
    sandbox: Any = world.handle._sandbox
    injected: list[int] = []

    def race(req: Request, resp: Response) -> None:
        if injected or req.method != "POST" or req.path != "/api/v1/monitor":
            return
        for body in bodies:
            if body != req.raw_body:
                created = monitors.create(sandbox.world, Request("POST", "/api/v1/monitor", {}, {}, body), {})
                injected.append(created.body["id"])

    assert world.plan().out.splitlines()[-1] == f"Plan: {n} to create, 0 to update, 0 to delete."
    world.handle.observe(race)
    result = world.apply()
    world.handle.observe(None)

    # What alertc does today: every refused create is reported as FAILED with the API's text, the
    # apply goes on with the rest and exits 1 ("k applied, N-k failed"). The copies carry alertc's
    # ownership tags, so no duplicate is left behind, but alertc did not recognise the 400 as
    # "the object already exists" (find it by its key, count the create as done).
    report = result.out + result.err
    assert injected and result.code == 1
    assert "(HTTP 400): Duplicate of an existing monitor_id:" in report
    assert f"{n - len(injected)} applied, {len(injected)} failed" in report
    with world.datadog() as client:
        tags = [
            t for m in MonitorsApi(client).list_monitors() for t in m.to_dict()["tags"] if t.startswith("alertc-key:")
        ]
    assert len(tags) == len(set(tags)) == n
