"""Replay recorded real Datadog requests; the sandbox's answers must have the same
keys, types and server-side defaults as the recorded real answers (ids, timestamps,
creator and org details aside)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from datadog_api_client import ApiClient

from compiler.sandbox import SandboxHandle
from tests.sandbox.conftest import RECORDINGS

# Recordings whose requests only make sense against pre-existing real data (listing someone else's objects)
# or that cover endpoints the sandbox does not implement (roles, incidents) are skipped per interaction.
IMPLEMENTED = ("/api/v1/monitor", "/api/v1/slo", "/api/v2/downtime", "/api/v2/services/definitions")
VOLATILE = {
    "id",
    "created",
    "created_at",
    "modified",
    "modified_at",
    "creator",
    "org_id",
    "restricted_roles",
    "name",
    "tags",
    "scope",
    "dd-service",
    "last-modified-time",
    "start",
    "message",
    "query",
    "status",
    "notify_end_states",
    "deleted_monitor_id",
    "data",
    "handle",
    "email",
    "icon",
}
# The pagination cassettes list the recording org's own objects; pagination is covered by the contract suite.
FILES = sorted(
    p
    for p in (RECORDINGS / "datadog").glob("v[12]/*.yaml")
    if "incident" not in p.name and "get_all_" not in p.name and "single_service_definition" not in p.name
)


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value[:1]]
    return type(value).__name__


def _compare(recorded: Any, ours: Any, path: str = "") -> list[str]:
    if isinstance(recorded, dict) and isinstance(ours, dict):
        out = []
        for k in recorded:
            if k not in ours:
                out.append(f"{path}/{k}: missing")
            elif k not in VOLATILE:
                out.extend(_compare(recorded[k], ours[k], f"{path}/{k}"))
        return out
    if isinstance(recorded, list) and isinstance(ours, list):
        return _compare(recorded[0], ours[0], path + "/0") if recorded and ours else []
    if type(recorded) is not type(ours) and not (recorded is None or ours is None):
        return [f"{path}: {type(recorded).__name__} recorded, {type(ours).__name__} from sandbox"]
    if isinstance(recorded, bool | int | float | str) and recorded != ours:
        return [f"{path}: {recorded!r} recorded, {ours!r} from sandbox"]
    return []


@pytest.mark.parametrize("cassette", FILES, ids=[p.stem for p in FILES])
def test_recorded_interactions(cassette: Path, sandbox: SandboxHandle, dd: ApiClient) -> None:
    interactions = yaml.safe_load(cassette.read_text())["interactions"]
    ids: dict[str, str] = {}
    replayed = 0
    for it in interactions:
        req, resp = it["request"], it["response"]
        uri = req["uri"].replace("https://api.datadoghq.com", "")
        if not uri.startswith(IMPLEMENTED):
            continue
        for old, new in ids.items():
            uri = uri.replace(old, new)
        recorded_status = resp["status"]["code"]
        body = req["body"]
        if (
            recorded_status in (200, 201)
            and req["method"] == "GET"
            and "?" in uri
            and "/downtime/" not in uri
            and "with_downtimes" not in uri
            and "schema_version" not in uri
        ):
            continue  # lists of the recording org's own objects
        if "service-definition-test" in uri:
            continue  # reads an object created outside the recording
        headers = {
            "DD-API-KEY": sandbox.credentials["datadog_api_key"],
            "DD-APPLICATION-KEY": sandbox.credentials["datadog_app_key"],
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        status, text = _call(dd, req["method"], sandbox.datadog_url + uri, headers, body)
        if recorded_status == 404 and "services/definitions" in uri:
            continue  # the recorded 404 is the real service's eventual consistency right after a create
        assert status == recorded_status, (uri, text)
        raw = resp["body"]["string"]
        if not raw:
            replayed += 1
            continue
        for old, new in ids.items():
            raw = raw.replace(old, new)
        recorded = json.loads(raw)
        ours = json.loads(text)
        problems = _compare(recorded, ours)
        assert not problems, f"{req['method']} {uri}: {problems}"
        _learn_ids(recorded, ours, ids)
        replayed += 1
    assert replayed > 0


def _call(dd: ApiClient, method: str, url: str, headers: dict[str, str], body: str | None) -> tuple[int, str]:
    """Recorded requests are replayed verbatim through the client's own HTTP pool (not a hand-made socket)."""
    pool = dd.rest_client.pool_manager
    r = pool.request(method, url, headers=headers, body=body.encode() if body else None)
    return r.status, r.data.decode()


def _learn_ids(recorded: Any, ours: Any, ids: dict[str, str]) -> None:
    for rec_any, got_any in [
        (recorded, ours),
        (
            recorded.get("data") if isinstance(recorded, dict) else None,
            ours.get("data") if isinstance(ours, dict) else None,
        ),
    ]:
        rec, got = rec_any, got_any
        if isinstance(rec, list) and rec and isinstance(got, list) and got:
            rec, got = rec[0], got[0]
        if isinstance(rec, dict) and isinstance(got, dict) and "id" in rec and "id" in got:
            ids[str(rec["id"])] = str(got["id"])
