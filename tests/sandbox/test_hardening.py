"""The sandbox on a shared machine: admin behind credentials, bounded requests,
HEAD/OPTIONS, and no spec cache another user could plant (issue 11, item 6)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.sandbox import SandboxHandle, start_embedded
from compiler.sandbox.routing import MAX_JSON_DEPTH, json_depth
from compiler.sandbox.server import MAX_BODY_BYTES
from tests.sandbox.http import dd_headers, pd_headers, send, send_headers_only

MONITOR = {"name": "h", "type": "metric alert", "query": "avg(last_5m):avg:a{*} > 1"}
ADMIN_PATHS = [("GET", "/_sandbox/info"), ("GET", "/_sandbox/state"), ("POST", "/_sandbox/reset"),
               ("GET", "/_sandbox/faults"), ("GET", "/_sandbox/clock"), ("GET", "/_sandbox/stats")]  # fmt: skip


@pytest.fixture()
def sb(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_embedded(tmp_path / "state") as handle:
        yield handle


@pytest.mark.parametrize(("method", "path"), ADMIN_PATHS)
def test_admin_endpoints_refuse_requests_without_the_sandbox_credentials(
    sb: SandboxHandle, method: str, path: str
) -> None:
    for headers in ({}, {"DD-API-KEY": "wrong", "DD-APPLICATION-KEY": "wrong"}, {"Authorization": "Token token=x"}):
        answer = send(sb, method, path, b"{}" if method == "POST" else None, headers)
        assert answer.status == 401
        assert sb.credentials["datadog_api_key"] not in answer.raw.decode()
        assert sb.credentials["pagerduty_token"] not in answer.raw.decode()


def test_admin_endpoints_accept_either_vendors_credentials(sb: SandboxHandle) -> None:
    by_dd = send(sb, "GET", "/_sandbox/info", headers=sb.admin_headers())
    by_pd = send(sb, "GET", "/_sandbox/info", headers={"Authorization": pd_headers(sb)["Authorization"]})
    assert by_dd.status == by_pd.status == 200
    assert by_dd.json()["datadog_api_key"] == sb.credentials["datadog_api_key"]


def _nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 200_000])
def test_deeply_nested_bodies_are_a_400_not_a_crash(sb: SandboxHandle, depth: int) -> None:
    body = json.dumps({**MONITOR, "options": {"x": "PLACEHOLDER"}}).replace('"PLACEHOLDER"', _nested(depth).decode())
    dd = send(sb, "POST", "/api/v1/monitor", body.encode(), dd_headers(sb))
    assert dd.status == 400 and "nested deeper" in dd.json()["errors"][0]
    pd = send(sb, "POST", "/services", b'{"service": ' + _nested(depth) + b"}", pd_headers(sb))
    assert pd.status == 400 and "nested deeper" in pd.json()["error"]["errors"][0]
    admin = send(sb, "PUT", "/_sandbox/state", _nested(depth), sb.admin_headers())
    assert admin.status == 400


def test_json_depth_counts_containers() -> None:
    assert json_depth(1) == 0
    assert json_depth({"a": [1, {"b": []}]}) == 4
    assert json_depth(json.loads(_nested(MAX_JSON_DEPTH))) == MAX_JSON_DEPTH


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_sent(sb: SandboxHandle) -> None:
    headers = {**dd_headers(sb), "Content-Length": str(MAX_BODY_BYTES + 1)}
    answer = send_headers_only(sb, "POST", "/api/v1/monitor", headers)
    assert answer.status == 413 and answer.headers["connection"] == "close"
    assert "exceeds the limit" in answer.json()["errors"][0]


@pytest.mark.parametrize("value", ["-1", "abc", "1e3", "+5", "5, 5"])
def test_a_malformed_content_length_is_refused_at_once(sb: SandboxHandle, value: str) -> None:
    answer = send_headers_only(sb, "POST", "/services", {**pd_headers(sb), "Content-Length": value})
    assert answer.status == 400
    assert "Invalid Content-Length" in answer.json()["error"]["message"]


def test_head_answers_like_get_without_a_body(sb: SandboxHandle) -> None:
    assert send(sb, "POST", "/api/v1/monitor", json.dumps(MONITOR).encode(), dd_headers(sb)).status == 200
    get = send(sb, "GET", "/api/v1/monitor", headers=dd_headers(sb))
    head = send(sb, "HEAD", "/api/v1/monitor", headers=dd_headers(sb))
    assert head.status == get.status == 200
    assert head.raw == b"" and head.headers["content-length"] == str(len(get.raw))
    assert send(sb, "HEAD", "/api/v1/monitor").status == 403  # same credential check as GET


@pytest.mark.parametrize("path", ["/api/v1/monitor", "/services", "/_sandbox/info"])
def test_options_is_method_not_allowed(sb: SandboxHandle, path: str) -> None:
    assert send(sb, "OPTIONS", path).status == 405


def test_no_spec_cache_is_written_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old pickle cache in the shared temp dir could be planted by another user; now nothing is cached."""
    tmp, cache = tmp_path / "tmp", tmp_path / "cache"
    tmp.mkdir(), cache.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr("tempfile.tempdir", None)
    with start_embedded(tmp_path / "state") as sb:
        answer = send(sb, "POST", "/api/v1/monitor", json.dumps({**MONITOR, "type": 5}).encode(), dd_headers(sb))
        assert answer.status == 400 and "Invalid request body" in answer.json()["errors"][0]  # validated
    assert os.listdir(tmp) == [] and os.listdir(cache) == []
