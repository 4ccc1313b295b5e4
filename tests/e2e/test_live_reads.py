"""How a plan reads live state: the bulk PagerDuty service object read, its fallback, and the request count."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from datadog_api_client import ApiClient
from datadog_api_client.api_client import Endpoint

from compiler import app, context
from compiler.kinds.datadog import pagerduty_service_object
from compiler.providers import datadog_raw
from tests.e2e.conftest import World

BULK = "GET /api/v1/integration/pagerduty"
BY_NAME = re.compile(r"^GET /api/v1/integration/pagerduty/configuration/services/[^/]+$")


def _record(world: World) -> Counter[str]:
    seen: Counter[str] = Counter()

    def observe(req: Any, resp: Any) -> None:
        seen[f"{req.method} {req.path}"] += 1

    world.handle.observe(observe)
    return seen


def _applied(world: World) -> None:
    assert world.plan().code == 0
    applied = world.apply()
    assert applied.code == 0, applied.err


def test_service_objects_are_read_with_one_bulk_request(world: World) -> None:
    _applied(world)
    seen = _record(world)
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.err  # no changes: the bulk read finds every object alertc applied
    assert seen[BULK] == 1
    plan = json.loads((world.tmp / "p.json").read_text())
    managed = {a.split("/", 1)[1] for a in plan["fingerprints"] if a.startswith("datadog:pagerduty_service_object/")}
    assert managed  # the example manages some
    by_name = {path.rsplit("/", 1)[1] for path in seen if BY_NAME.match(path)}
    assert by_name & managed == set()  # (banner checks may still look up a referenced service's handle by name)


def _unanswered(client: ApiClient) -> Endpoint:
    """The bulk endpoint as an account without it answers: 404 (a path the sandbox does not serve)."""
    endpoint = datadog_raw.legacy_pagerduty_integration(client)
    endpoint.settings["endpoint_path"] = "/api/v1/integration/pagerduty-not-enabled"
    return endpoint


def test_without_the_bulk_endpoint_service_objects_are_read_by_name(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _applied(world)
    monkeypatch.setattr(pagerduty_service_object, "legacy_pagerduty_integration", _unanswered)
    seen = _record(world)
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.err  # the same live objects, read the slow way
    by_name = sum(n for path, n in seen.items() if BY_NAME.match(path))
    services = len(world.pagerduty().list_all("services"))
    assert seen["GET /api/v1/integration/pagerduty-not-enabled"] == 1
    assert by_name >= 1 and by_name <= services  # only names alertc manages or wants


def test_saved_plan_counts_each_request_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """404s (the fallback's unanswered bulk read) are counted once, like every other response."""
    _applied(world)
    monkeypatch.setattr(pagerduty_service_object, "legacy_pagerduty_integration", _unanswered)
    seen = _record(world)
    again = world.plan()
    sent = Counter("datadog" if path.split(" ", 1)[1].startswith("/api/") else "pagerduty" for path in seen.elements())
    reported = re.search(r"\((\d+) Datadog and (\d+) PagerDuty requests\)", again.err)
    assert reported is not None, again.err
    assert (int(reported[1]), int(reported[2])) == (sent["datadog"], sent["pagerduty"])


def test_a_plan_compiles_the_definitions_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked and planned from the same compile (it used to run twice per plan; the engine cannot compile)."""
    calls: list[int] = []
    real = context.compile_definitions  # the check every use case starts with lives in compiler.context

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(context, "compile_definitions", counting)
    assert world.plan().code == 0
    assert len(calls) == 1


def test_a_plan_frees_the_yaml_trees_before_reading_live_state(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings need the YAML documents; the live read and the diff do not (memory at W30k)."""
    sizes: list[int] = []

    def plan_in_session(definitions: Any, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(definitions._origins))
        return real_plan_in_session(definitions, *args, **kwargs)

    real_plan_in_session = app.plan_in_session
    monkeypatch.setattr(app, "plan_in_session", plan_in_session)
    assert world.plan().code == 0
    assert sizes == [0]
