"""Datadog answers a create identical to an existing monitor with 400 "Duplicate of an existing
monitor_id:N org_id:M" (terraform-provider-datadog#1739). The sandbox does the same, and this
test drives alertc's own create path (CLI apply) into it to show what alertc does today."""

from __future__ import annotations

from typing import Any

import pytest
from datadog_api_client import ApiClient
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox.datadog import monitors
from compiler.sandbox.routing import Request, Response
from tests.e2e.conftest import World, world  # noqa: F401  (the end-to-end fixture)

BODY = {
    "name": "dup",
    "type": "metric alert",
    "query": "avg(last_5m):avg:system.load.1{env:dup} > 2",
    "message": "m",
    "tags": ["team:a"],
    "options": {"thresholds": {"critical": 2}},
}


def test_identical_create_is_refused_with_datadogs_text(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    first = api.create_monitor(body=BODY)
    with pytest.raises(ApiException) as exc:
        api.create_monitor(body={**BODY, "message": " m ", "tags": ["team:a"]})  # trimmed: still identical
    assert exc.value.status == 400
    assert f"Duplicate of an existing monitor_id:{first.id} org_id:" in str(exc.value.body)
    other = api.create_monitor(body={**BODY, "name": "dup 2"})  # any difference makes a new monitor
    with pytest.raises(ApiException) as exc:
        api.update_monitor(other.id, body={"name": "dup"})  # an update into an identical copy too
    assert "Duplicate of an existing monitor_id" in str(exc.value.body)
    api.delete_monitor(first.id)
    assert api.create_monitor(body=BODY).id != first.id  # a deleted monitor no longer counts


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
    assert len(bodies) == 37
    sandbox: Any = world.handle._sandbox
    injected: list[int] = []

    def race(req: Request, resp: Response) -> None:
        if injected or req.method != "POST" or req.path != "/api/v1/monitor":
            return
        for body in bodies:
            if body != req.raw_body:
                created = monitors.create(sandbox.world, Request("POST", "/api/v1/monitor", {}, {}, body), {})
                injected.append(created.body["id"])

    assert world.plan().out.splitlines()[-1] == "Plan: 37 to create, 0 to update, 0 to delete."
    world.handle.observe(race)
    result = world.apply()
    world.handle.observe(None)

    # What alertc does today: every refused create is reported as FAILED with the API's text, the
    # apply goes on with the rest and exits 1 ("1 applied, 36 failed"). The copies carry alertc's
    # ownership tags, so no duplicate is left behind, but alertc did not recognise the 400 as
    # "the object already exists" (find it by its key, count the create as done).
    assert len(injected) == 36
    assert result.code == 1
    assert "(HTTP 400): Duplicate of an existing monitor_id:" in result.out + result.err
    assert "1 applied, 36 failed" in result.out + result.err
    with world.datadog() as client:
        tags = [
            t for m in MonitorsApi(client).list_monitors() for t in m.to_dict()["tags"] if t.startswith("alertc-key:")
        ]
    assert len(tags) == len(set(tags)) == 37
