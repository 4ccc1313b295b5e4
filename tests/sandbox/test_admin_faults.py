"""Admin API, runtime fault injection and rate limits, through the real clients."""

from __future__ import annotations

import json
import ssl
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from urllib3.exceptions import MaxRetryError, ProtocolError

from compiler.sandbox import FaultConfig, Limit, RateLimitConfig, start_embedded
from tests.sandbox.conftest import datadog_client, pagerduty_client


def _admin(url: str, ctx: ssl.SSLContext, method: str = "GET", body: Any = None, headers: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req, context=ctx) as resp:
        return json.loads(resp.read())


BODY = {"name": "f", "type": "metric alert", "query": "avg(last_5m):avg:a{*} > 1"}


def test_faults_rate_limits_and_admin(tmp_path: Path) -> None:
    limits = RateLimitConfig(datadog={"monitor_api": Limit(3, 60)}, pagerduty_per_minute=2)
    with start_embedded(tmp_path, rate_limits=limits) as sb, datadog_client(sb) as client:
        api = MonitorsApi(client)
        api.create_monitor(body=BODY)
        api.list_monitors()
        api.list_monitors()
        with pytest.raises(ApiException) as exc:
            api.list_monitors()
        assert exc.value.status == 429
        assert exc.value.body == {"errors": ["Rate limit of 3 requests in 60 seconds reached. Please try again later."]}
        headers = {k.lower(): v for k, v in exc.value.headers.items()}
        assert headers["x-ratelimit-limit"] == "3" and headers["x-ratelimit-remaining"] == "0"
        assert headers["x-ratelimit-name"] == "monitor_api" and headers["x-ratelimit-period"] == "60"
        pd = pagerduty_client(sb)
        pd.get("users")
        pd.get("users")
        pd.retry[429] = 1  # one retry, then hand back the 429
        resp = pd.get("users")
        assert resp.status_code == 429 and resp.json() == {"error": {"message": "Rate Limit Exceeded", "code": 2020}}
        assert resp.headers["ratelimit-remaining"] == "0"

        ctx, auth = sb.ssl_context(), sb.admin_headers()
        state = _admin(sb.admin_url + "/state", ctx, headers=auth)
        assert any(o["kind"] == "dd_monitor" for o in state["objects"])
        _admin(sb.admin_url + "/reset", ctx, "POST", {}, auth)
        assert not any(o["kind"] == "dd_monitor" for o in _admin(sb.admin_url + "/state", ctx, headers=auth)["objects"])
        _admin(sb.admin_url + "/state", ctx, "PUT", state, auth)
        assert any(o["kind"] == "dd_monitor" for o in _admin(sb.admin_url + "/state", ctx, headers=auth)["objects"])
        got = _admin(sb.admin_url + "/faults", ctx, "PUT", {"error_rate": 1.0, "seed": 3}, auth)
        assert got["error_rate"] == 1.0


def test_injected_faults_are_deterministic(tmp_path: Path) -> None:
    def run(seed: int) -> list[int]:
        faults = FaultConfig(error_rate=0.5, paths=["/api/v1/monitor"])
        with (
            start_embedded(tmp_path / str(seed) / "x", faults=faults, seed=seed) as sb,
            datadog_client(sb) as client,
        ):
            out = []
            for _ in range(12):
                try:
                    MonitorsApi(client).list_monitors()
                    out.append(200)
                except ApiException as exc:
                    out.append(exc.status)
            return out

    first, again = run(7), run(7)
    assert first == again and 503 in first and 200 in first


def test_lost_response_and_dropped_connection(tmp_path: Path) -> None:
    with start_embedded(tmp_path) as sb, datadog_client(sb) as client:
        api = MonitorsApi(client)
        sb.set_faults(FaultConfig(lost_response_rate=1.0, methods=["POST"]))
        with pytest.raises((ProtocolError, MaxRetryError, OSError, ApiException)):
            api.create_monitor(body=BODY)
        sb.set_faults(FaultConfig())
        assert [m.name for m in api.list_monitors()] == ["f"]  # the create happened
        sb.set_faults(FaultConfig(drop_rate=1.0, methods=["GET"]))
        with pytest.raises((ProtocolError, MaxRetryError, OSError, ApiException)):
            api.list_monitors()
        sb.set_faults(FaultConfig(burst_429_rate=1.0, burst_429_length=2, latency_ms=5))
        with pytest.raises(ApiException) as exc:
            api.list_monitors()
        assert exc.value.status == 429
