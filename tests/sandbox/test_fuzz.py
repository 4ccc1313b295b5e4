"""Schema-shaped random bodies must never produce a 5xx or a dropped connection."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.sandbox import SandboxHandle
from tests.sandbox.conftest import datadog_client, pagerduty_client

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda c: st.one_of(st.lists(c, max_size=3), st.dictionaries(st.text(max_size=10), c, max_size=4)),
    max_leaves=12,
)
MONITOR_KEYS = ["name", "type", "query", "message", "tags", "priority", "options"]
monitor_bodies = st.fixed_dictionaries(
    {},
    optional={
        k: st.one_of(
            values, st.sampled_from(["metric alert", "slo alert", "composite", "avg(last_5m):avg:a{*} > 1", "1 && 2"])
        )
        for k in MONITOR_KEYS
    },
)
DD_TARGETS = [
    ("POST", "/api/v1/monitor"),
    ("POST", "/api/v1/monitor/validate"),
    ("POST", "/api/v1/slo"),
    ("POST", "/api/v2/downtime"),
    ("POST", "/api/v2/services/definitions"),
    ("GET", "/api/v1/monitor?page=x&page_size=-1"),
    ("GET", "/api/v1/slo?limit=abc"),
]
PD_TARGETS = ["services", "escalation_policies", "schedules", "maintenance_windows", "teams", "users"]


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(DD_TARGETS),
    body=st.one_of(monitor_bodies, values),
    pd_target=st.sampled_from(PD_TARGETS),
    pd_body=values,
)
def test_no_server_errors(
    sandbox: SandboxHandle, target: tuple[str, str], body: Any, pd_target: str, pd_body: Any
) -> None:
    method, path = target
    with datadog_client(sandbox) as dd:
        headers = {
            "DD-API-KEY": sandbox.credentials["datadog_api_key"],
            "DD-APPLICATION-KEY": sandbox.credentials["datadog_app_key"],
            "Content-Type": "application/json",
        }
        r = dd.rest_client.pool_manager.request(
            method,
            sandbox.datadog_url + path,
            headers=headers,
            body=json.dumps(body).encode() if method == "POST" else None,
        )
        assert r.status < 500, r.data
    wrapped = {pd_target.rstrip("s").replace("escalation_policie", "escalation_policy"): pd_body}
    resp = pagerduty_client(sandbox).post(pd_target, json=wrapped)
    assert resp.status_code < 500, resp.text
