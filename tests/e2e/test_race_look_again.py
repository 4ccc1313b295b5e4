"""After creating an object of a kind whose API accepts two of one name, apply looks for its key again.

Another run (played here by the sandbox itself, right after it created the
apply's SLO) may have created the same key: the younger copy (creation time,
then id) is deleted by the run that created it, before anything references it,
and that run goes on with the older one. The older copy's run keeps its own:
the other run deletes the younger (or, if it died first, the next plan does).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi

from compiler.sandbox import FaultConfig
from compiler.sandbox.routing import Request, Response
from tests.e2e.conftest import PINNED_NOW, World

KEY_TAG = "alertc-key:slo/sis-availability"


def _rival_when_created(world: World, shift: dt.timedelta) -> list[str]:
    """When the apply creates the SLO under KEY_TAG, another run creates it too, ``shift`` from now."""
    rivals: list[str] = []
    creds = world.handle.credentials
    headers = {"DD-API-KEY": creds["datadog_api_key"], "DD-APPLICATION-KEY": creds["datadog_app_key"]}
    headers["Content-Type"] = "application/json"

    def observe(req: Request, resp: Response) -> None:
        if rivals or req.method != "POST" or req.path != "/api/v1/slo" or resp.status != 200:
            return
        if KEY_TAG not in json.loads(req.raw_body).get("tags", []):
            return
        rivals.append("creating")
        world.handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW) + shift)
        status, body = world.handle.call("POST", "/api/v1/slo", headers, req.raw_body)
        world.handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW))
        assert status == 200, body
        rivals[0] = json.loads(body)["data"][0]["id"]

    world.handle.observe(observe)
    return rivals


def _slos_under_key(world: World) -> list[dict[str, Any]]:
    with world.datadog() as client:
        slos = ServiceLevelObjectivesApi(client).list_slos().to_dict()["data"]
    return [s for s in slos if KEY_TAG in s.get("tags", [])]


def _alert_queries(world: World) -> list[str]:
    with world.datadog() as client:
        return [str(m.query) for m in MonitorsApi(client).list_monitors() if str(m.type) == "slo alert"]


def test_the_younger_copy_is_deleted_by_its_creator_which_uses_the_older(world: World) -> None:
    assert world.plan().code == 0
    rivals = _rival_when_created(world, -dt.timedelta(minutes=1))  # the other run's copy is older

    applied = world.apply()

    world.handle.observe(None)
    assert applied.code == 0, applied.err
    kept = _slos_under_key(world)
    assert [s["id"] for s in kept] == rivals  # this apply's own copy is gone
    assert f"created by another apply too: datadog:slo/sis-availability: kept the older id {rivals[0]}" in applied.out
    assert f"datadog:slo/sis-availability (created meanwhile by another apply, id {rivals[0]})" in applied.out
    alerts = [q for q in _alert_queries(world) if rivals[0] in q]
    assert alerts  # the burn-rate alerts were created on the older copy, after the look
    assert world.plan("--detailed-exitcode").code == 0


def test_the_older_copy_is_kept_by_its_creator(world: World) -> None:
    assert world.plan().code == 0
    rivals = _rival_when_created(world, dt.timedelta(minutes=1))  # the other run's copy is younger

    applied = world.apply()

    world.handle.observe(None)
    assert applied.code == 0, applied.err
    ids = {s["id"] for s in _slos_under_key(world)}
    assert len(ids) == 2 and rivals[0] in ids  # the younger is its creator's to delete
    assert "created by another apply too" not in applied.out
    planned = world.plan("--detailed-exitcode")  # had that run died first, the next plan deletes it
    assert planned.code == 2
    assert f"(id {rivals[0]}), a duplicate of id" in planned.out, planned.out


def test_after_a_lost_answer_only_the_oldest_copy_is_kept(world: World) -> None:
    """The create's answer is lost, and another run created the key between this run's look and its create:
    the look by key after the lost answer finds two copies and cannot tell which one it made. It keeps the
    oldest (the other run's) and deletes the rest, its own unseen copy among them."""
    assert world.plan().code == 0
    owner = json.loads((world.tmp / "p.json").read_text(encoding="utf-8"))["owner"]
    rivals: list[str] = []
    creds = world.handle.credentials
    headers = {"DD-API-KEY": creds["datadog_api_key"], "DD-APPLICATION-KEY": creds["datadog_app_key"]}
    headers["Content-Type"] = "application/json"
    body = json.dumps(
        {
            "name": "rival",
            "type": "metric",
            "query": {"numerator": "sum:a{*}.as_count()", "denominator": "sum:b{*}.as_count()"},
            "thresholds": [{"timeframe": "30d", "target": 99.0}],
            "tags": ["managed-by:alertc", KEY_TAG, *([f"alertc-owner:{owner}"] if owner else [])],
        }
    ).encode()

    def observe(req: Request, resp: Response) -> None:  # the look before the create: the rival comes right after
        if rivals or req.method != "GET" or req.path != "/api/v1/slo" or KEY_TAG not in (req.arg("tags_query") or ""):
            return
        rivals.append("creating")
        world.handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW) - dt.timedelta(minutes=1))  # the older copy
        status, answer = world.handle.call("POST", "/api/v1/slo", headers, body)
        world.handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW))
        assert status == 200, answer
        rivals[0] = json.loads(answer)["data"][0]["id"]

    world.handle.observe(observe)
    world.handle.set_faults(FaultConfig(lost_response_rate=1.0, paths=["/api/v1/slo"], methods=["POST"]), seed=1)

    applied = world.apply()

    world.handle.observe(None)
    world.handle.set_faults(FaultConfig())
    assert rivals and rivals[0] != "creating"
    assert [s["id"] for s in _slos_under_key(world)] == rivals, applied.out + applied.err  # this run's copy is gone
    assert f"created by another apply too: datadog:slo/sis-availability: kept the older id {rivals[0]}" in applied.out
