"""Plan and drift need read-only credentials only; the sandbox refuses writes with them, as the services do.

The CI kit gives plan and drift a Datadog application key with read scopes and a read-only
PagerDuty API key, and keeps the write keys for apply. The sandbox accepts such keys for reads
(and Datadog's monitor validate endpoint, a read scope) and refuses every write with 403, so
these tests fail if plan or drift ever starts to write.
"""

from __future__ import annotations

import pytest
from datadog_api_client.exceptions import ForbiddenException
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.model.monitor import Monitor
from datadog_api_client.v1.model.monitor_type import MonitorType
from pagerduty import Error as PagerDutyError

from tests.e2e.conftest import World


def _read_only(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    creds = world.handle.credentials
    monkeypatch.setenv("DD_APP_KEY", creds["datadog_read_app_key"])
    monkeypatch.setenv("PAGERDUTY_TOKEN", creds["pagerduty_read_token"])
    monkeypatch.delenv("PAGERDUTY_FROM")  # plan and drift never need it


def test_the_sandbox_reads_with_read_only_keys_and_refuses_their_writes(world: World) -> None:
    creds = dict(world.handle.credentials)
    world.handle.credentials["datadog_app_key"] = creds["datadog_read_app_key"]
    world.handle.credentials["pagerduty_token"] = creds["pagerduty_read_token"]
    try:
        with world.datadog() as api:
            monitors = MonitorsApi(api)
            assert isinstance(monitors.list_monitors(), list)
            body = Monitor(name="x", type=MonitorType.METRIC_ALERT, query="avg(last_5m):avg:a{*} > 1")
            monitors.validate_monitor(body)  # scope monitors_read
            with pytest.raises(ForbiddenException):
                monitors.create_monitor(body)
        pd = world.pagerduty()
        assert len(pd.rget("services")) > 0  # the seeded status services
        with pytest.raises(PagerDutyError) as refused:
            pd.rpost("teams", json={"team": {"type": "team", "name": "x"}})
        assert refused.value.response is not None and refused.value.response.status_code == 403
        assert refused.value.response.json()["error"]["code"] == 2010
    finally:
        world.handle.credentials.update(creds)


def test_plan_and_drift_run_on_read_only_keys_and_apply_does_not(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    full = dict(world.handle.credentials)
    _read_only(world, monkeypatch)
    planned = world.plan()  # every new monitor is checked with Datadog's validate endpoint: a read scope
    assert planned.code == 0, planned.err
    monkeypatch.setenv("PAGERDUTY_FROM", full["pagerduty_from"])
    refused = world.apply()
    assert refused.code == 1
    with world.datadog() as api:
        assert [m for m in MonitorsApi(api).list_monitors() if m.name.startswith("[")] == []  # nothing written
    monkeypatch.setenv("DD_APP_KEY", full["datadog_app_key"])
    monkeypatch.setenv("PAGERDUTY_TOKEN", full["pagerduty_token"])
    assert world.plan().code == 0 and world.apply().code == 0
    _read_only(world, monkeypatch)
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.err  # no changes
    drift = world.alertc("drift")
    assert drift.code == 0, drift.out + drift.err
