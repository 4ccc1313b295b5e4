"""alertc's create path meeting Datadog's duplicate-monitor 400 (see tests/sandbox/test_duplicate_monitor.py)."""

from __future__ import annotations

import json
from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox.datadog import monitors
from compiler.sandbox.errors import ApiError
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
                try:
                    created = monitors.create(sandbox.world, Request("POST", "/api/v1/monitor", {}, {}, body), {})
                except ApiError:  # alertc's own create of that monitor, running concurrently, came first
                    continue
                injected.append(created.body["id"])

    assert world.plan().out.splitlines()[-1] == f"Plan: {n} to create, 0 to update, 0 to delete."
    world.handle.observe(race)
    result = world.apply()
    world.handle.observe(None)

    # The copies carry alertc's key: apply finds them by key just before creating (or, for a create
    # already past that look, reads the monitor Datadog's duplicate 400 names) and counts them as done.
    report = result.out + result.err
    assert injected and result.code == 0, report
    assert report.count("already applied: datadog:") == len(injected)
    assert f"Apply: {n - len(injected)} applied, 0 failed" in report
    with world.datadog() as client:
        tags = [
            t for m in MonitorsApi(client).list_monitors() for t in m.to_dict()["tags"] if t.startswith("alertc-key:")
        ]
    assert len(tags) == len(set(tags)) == n


def test_a_copy_made_between_the_look_and_the_create_is_recognised_by_datadogs_400(world: World) -> None:
    """The colleague's create lands after alertc's find-by-key answered "none": Datadog's 400 names it."""
    bodies = _monitor_posts(world)
    chosen = bodies[0]
    key_tag = next(t for t in json.loads(chosen)["tags"] if t.startswith("alertc-key:"))
    sandbox: Any = world.handle._sandbox
    injected: list[int] = []

    def race(req: Request, resp: Response) -> None:
        if not injected and req.method == "GET" and req.arg("monitor_tags") == key_tag:
            created = monitors.create(sandbox.world, Request("POST", "/api/v1/monitor", {}, {}, chosen), {})
            injected.append(created.body["id"])

    assert world.plan().code == 0
    world.handle.observe(race)
    result = world.apply()
    world.handle.observe(None)

    report = result.out + result.err
    assert result.code == 0, report
    address = "datadog:" + key_tag.removeprefix("alertc-key:")
    assert f"already applied: {address} (Datadog: duplicate of monitor {injected[0]}, id {injected[0]})" in report
    with world.datadog() as client:
        tags = [
            t for m in MonitorsApi(client).list_monitors() for t in m.to_dict()["tags"] if t.startswith("alertc-key:")
        ]
    assert len(tags) == len(set(tags)) == len(bodies)
