"""The legacy `datadog` library's API (`datadog.api`) against the sandbox: monitors, v1 downtimes, SLOs.

Expected answers: datadogpy's recorded integration cassettes (tests/integration/api/cassettes/TestDatadog.*,
real traffic, BSD-3-Clause) and the API documentation the library wraps (docs.datadoghq.com/api, v1).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from datadog import api, initialize

from compiler.sandbox import SandboxHandle

QUERY = "avg(last_1h):sum:system.net.bytes_rcvd{host:host0} > 100"
GROUPED = "avg(last_1h):sum:system.net.bytes_rcvd{*} by {host} > 100"


@pytest.fixture(scope="module", autouse=True)
def configured(sandbox: SandboxHandle) -> Iterator[None]:
    initialize(
        api_key=sandbox.credentials["datadog_api_key"],
        app_key=sandbox.credentials["datadog_app_key"],
        api_host=sandbox.datadog_url,
        cacert=str(sandbox.ca_file),
    )
    yield
    initialize(api_key=None, app_key=None, api_host="https://api.datadoghq.com", cacert=True)


def _ok(answer: Any) -> Any:
    assert not (isinstance(answer, dict) and answer.get("errors")), answer
    return answer


def test_monitor_create_get_update_delete() -> None:
    """TestDatadog.test_monitor_crud: a monitor posted with only type and query is named after its query;
    a partial update keeps what it does not send; delete answers `deleted_monitor_id`."""
    created = _ok(api.Monitor.create(type="metric alert", query=QUERY))
    assert created["name"] == (
        "**system.net.bytes_rcvd** over **host:host0** was **> 100.0** on average during the **last 1h**."
    )
    assert created["multi"] is False and created["options"]["silenced"] == {}
    got = _ok(api.Monitor.get(created["id"]))
    assert got["query"] == QUERY and got["id"] == created["id"]
    updated = _ok(api.Monitor.update(created["id"], message="updated message"))
    assert updated["message"] == "updated message" and updated["query"] == QUERY and updated["name"] == created["name"]
    listed = _ok(api.Monitor.get_all())
    assert created["id"] in [m["id"] for m in listed]
    assert api.Monitor.delete(created["id"]) == {"deleted_monitor_id": created["id"]}
    assert api.Monitor.get(created["id"]) == {"errors": ["Monitor not found"]}  # recorded 404 body


def test_monitor_search_and_group_search() -> None:
    """GET /api/v1/monitor/search and /monitor/groups/search (API docs, "Monitors search"); an unknown status
    is the recorded 400 "Query parsing error" (public corpus, v1 test_monitors_search_returns_bad_request)."""
    created = _ok(api.Monitor.create(type="metric alert", query=GROUPED, name="searchable monitor"))
    found = _ok(api.Monitor.search(query="searchable"))
    assert [m["id"] for m in found["monitors"]] == [created["id"]]
    assert found["metadata"]["total_count"] == 1
    groups = _ok(api.Monitor.search_groups(query="searchable"))
    assert [g["monitor_id"] for g in groups["groups"]] == [created["id"]]
    refused = api.Monitor.search(query="status:notastatus")
    assert refused == {"errors": ["Query parsing error: 'notastatus' is not a valid monitor status"]}
    api.Monitor.delete(created["id"])


def test_monitor_mute_and_unmute() -> None:
    """TestDatadog.test_monitor_muting: mute with no scope silences `*`; a scope silences that scope; unmute
    clears it; mute_all is a `*` downtime and unmute_all answers 204."""
    first = _ok(api.Monitor.create(type="metric alert", query=QUERY, name="mute me"))
    second = _ok(api.Monitor.create(type="metric alert", query=GROUPED, name="mute my host"))
    assert _ok(api.Monitor.mute(first["id"]))["options"]["silenced"] == {"*": None}
    assert _ok(api.Monitor.mute(second["id"], scope="host:foo"))["options"]["silenced"] == {"host:foo": None}
    assert _ok(api.Monitor.get(second["id"]))["options"]["silenced"] == {"host:foo": None}
    assert _ok(api.Monitor.unmute(second["id"], scope="host:foo"))["options"]["silenced"] == {}
    downtime = _ok(api.Monitor.mute_all())
    assert downtime["scope"] == ["*"] and downtime["monitor_tags"] == ["*"] and downtime["active"] is True
    assert api.Monitor.unmute_all() is None  # 204, no body
    for m in (first, second):
        api.Monitor.delete(m["id"])


def test_monitor_can_delete_reports_slo_references() -> None:
    """TestDogshell.test_monitors (recorded): a monitor used by an SLO cannot be deleted (409 listing it)."""
    mon = _ok(api.Monitor.create(type="metric alert", query=QUERY, name="referenced"))
    assert _ok(api.Monitor.can_delete(monitor_ids=[mon["id"]])) == {"data": {"ok": [mon["id"]]}, "errors": None}
    slo = _ok(
        api.ServiceLevelObjective.create(
            type="monitor",
            name="uses the monitor",
            monitor_ids=[mon["id"]],
            thresholds=[{"timeframe": "7d", "target": 90}],
        )
    )["data"][0]
    blocked = api.Monitor.can_delete(monitor_ids=[mon["id"]])
    assert blocked["data"] == {"ok": []} and str(mon["id"]) in blocked["errors"]
    api.ServiceLevelObjective.delete(slo["id"])
    api.Monitor.delete(mon["id"])


def test_downtimes_v1() -> None:
    """TestDatadog.test_downtime and test_downtime_cancel_by_scope (recorded): one scope sent as a string comes
    back as a list; an update keeps what it does not send; cancel is a 204 and the downtime reads back
    canceled (`disabled`, not `active`); cancel by scope answers the canceled ids."""
    start = 1772452800  # the sandbox's pinned now (tests/clients/conftest.py)
    created = _ok(api.Downtime.create(scope="env:staging", start=start, end=start + 3600, message="first"))
    assert created["scope"] == ["env:staging"] and created["monitor_tags"] == ["*"] and created["active"] is True
    assert created["downtime_type"] == 2 and created["end"] == start + 3600
    updated = _ok(api.Downtime.update(created["id"], scope="env:staging", message="Doing some testing on staging."))
    assert updated["message"] == "Doing some testing on staging." and updated["end"] == start + 3600
    assert _ok(api.Downtime.get(created["id"]))["message"] == updated["message"]
    assert created["id"] in [d["id"] for d in _ok(api.Downtime.get_all())]
    assert api.Downtime.delete(created["id"]) is None  # 204, no body
    canceled = _ok(api.Downtime.get(created["id"]))
    assert canceled["canceled"] is not None and canceled["active"] is False and canceled["disabled"] is True
    other = _ok(api.Downtime.create(scope=["test:cancel-by-scope"], start=start))
    assert api.Downtime.cancel_downtime_by_scope(scope="test:cancel-by-scope") == {"cancelled_ids": [other["id"]]}
    assert api.Downtime.cancel_downtime_by_scope(scope="test:none") == {"errors": ["No downtimes found"]}


def test_slos_crud_search_and_history() -> None:
    """TestDatadog.test_service_level_objective_crud (recorded) for create/get/update/delete; SLO search and
    history follow the API documentation ("Search for SLOs", "Get an SLO's history")."""
    created = _ok(
        api.ServiceLevelObjective.create(
            type="metric",
            name="library slo",
            query={"numerator": "sum:my.metric{type:good}.as_count()", "denominator": "sum:my.metric{*}.as_count()"},
            thresholds=[{"timeframe": "7d", "target": 99.9}],
            tags=["Team:Checkout"],
        )
    )["data"][0]
    assert created["tags"] == ["team:checkout"] and created["thresholds"][0]["target_display"] == "99.9"
    got = _ok(api.ServiceLevelObjective.get(created["id"]))["data"]
    assert got["name"] == "library slo"
    updated = _ok(
        api.ServiceLevelObjective.update(
            created["id"],
            type="metric",
            name="library slo renamed",
            query=got["query"],
            thresholds=[{"timeframe": "7d", "target": 99.5}],
        )
    )["data"][0]
    assert updated["name"] == "library slo renamed" and updated["target_threshold"] == 99.5
    listed = _ok(api.ServiceLevelObjective.get_all(ids=[created["id"]]))
    assert [s["id"] for s in listed["data"]] == [created["id"]]
    found = _ok(api.ServiceLevelObjective.search(query="renamed"))
    assert [s["data"]["id"] for s in found["data"]["attributes"]["slos"]] == [created["id"]]
    history = _ok(api.ServiceLevelObjective.history(created["id"], from_ts=1772366400, to_ts=1772452800))
    assert history["data"]["from_ts"] == 1772366400 and history["data"]["type"] == "metric"
    assert api.ServiceLevelObjective.can_delete([created["id"]])["data"]["ok"] == [created["id"]]
    assert _ok(api.ServiceLevelObjective.delete(created["id"])) == {"data": [created["id"]], "error": None}
