"""Behaviours of the real Datadog API that recordings show and the sandbox reproduces (the rules behind the
replay score, tests/sandbox/replay.py; each test names the recording it comes from)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.sandbox import SandboxHandle, start_embedded
from tests.sandbox.replay import _answered_at, _same_instant

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def module_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    with start_embedded(Path(tmp_path_factory.mktemp("rules")) / "state") as handle:
        yield handle


@pytest.fixture()
def sb(module_sandbox: SandboxHandle) -> SandboxHandle:
    module_sandbox.reset()
    module_sandbox.set_clock(NOW)
    return module_sandbox


def call(sb: SandboxHandle, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    headers = {
        "DD-API-KEY": sb.credentials["datadog_api_key"],
        "DD-APPLICATION-KEY": sb.credentials["datadog_app_key"],
        "Content-Type": "application/json",
    }
    status, raw = sb.call(method, path, headers, None if body is None else json.dumps(body).encode())
    return status, json.loads(raw) if raw else None


QUERY = "avg(last_1h):sum:system.net.bytes_rcvd{*} by {host} > 100"


def test_unmute_all_without_a_global_mute_is_refused(sb: SandboxHandle) -> None:
    """datadogpy TestDogshell.test_monitors #16-18: mute_all, unmute_all 204, unmute_all again 400."""
    assert call(sb, "POST", "/api/v1/monitor/mute_all", {})[0] == 200
    assert call(sb, "POST", "/api/v1/monitor/unmute_all", {}) == (204, None)
    assert call(sb, "POST", "/api/v1/monitor/unmute_all", {}) == (
        400,
        {"errors": ["Monitoring is not currently globally muted"]},
    )


def test_a_put_keeps_query_alert_and_the_mutes(sb: SandboxHandle) -> None:
    """datadogpy TestDogshell.test_monitors #7 (type) and TestDatadog.test_monitor_crud #3 (silenced)."""
    body = {"type": "metric alert", "query": QUERY, "options": {"silenced": {"*": 1900000000}}}
    status, mon = call(sb, "POST", "/api/v1/monitor", body)
    assert status == 200 and mon["type"] == "metric alert"
    path = f"/api/v1/monitor/{mon['id']}"
    assert call(sb, "PUT", path, {"type": "query alert", "query": QUERY})[1]["type"] == "query alert"
    status, mon = call(sb, "PUT", path, {"type": "metric alert", "options": {"notify_no_data": True}})
    assert status == 200 and mon["type"] == "query alert"
    assert mon["options"]["silenced"] == {"*": 1900000000} and mon["options"]["notify_no_data"] is True
    status, mon = call(sb, "PUT", path, {"options": {"silenced": {}}})
    assert mon["options"]["silenced"] == {}


def test_a_metric_query_that_is_no_comparison_gets_the_bare_text(sb: SandboxHandle) -> None:
    """datadogpy TestDatadog.test_monitor_validate; log alerts keep the detail (the public corpus)."""
    bad = {"type": "metric alert", "query": "THIS IS A BAD QUERY", "options": {"thresholds": {"critical": 200}}}
    assert call(sb, "POST", "/api/v1/monitor/validate", bad) == (
        400,
        {"errors": ["The value provided for parameter 'query' is invalid"]},
    )
    logs = call(sb, "POST", "/api/v1/monitor/validate", {"type": "log alert", "query": "query"})
    assert logs[1] == {"errors": ["The value provided for parameter 'query' is invalid: invalid operator specified: "]}


def test_slo_search_pages_the_way_it_was_asked(sb: SandboxHandle) -> None:
    """datadogpy TestDatadog.test_service_level_objective_crud #3 (no page parameters: offset_limit) and the
    public corpus's test_search_for_slos_returns_ok_response (page[size]/page[number]: number_size)."""
    slo = {"name": "checkout", "type": "metric", "thresholds": [{"target": 99, "timeframe": "7d"}]}
    slo["query"] = {"numerator": "sum:good{*}.as_count()", "denominator": "sum:all{*}.as_count()"}
    assert call(sb, "POST", "/api/v1/slo", slo)[0] == 200
    status, found = call(sb, "GET", "/api/v1/slo/search?query=checkout")
    assert status == 200 and len(found["data"]["attributes"]["slos"]) == 1
    assert found["meta"]["pagination"] == {
        "offset": 0,
        "first_offset": 0,
        "prev_offset": 0,
        "next_offset": 10,
        "last_offset": 0,
        "limit": 10,
        "type": "offset_limit",
        "total": 1,
    }
    base = "https://api.datadoghq.com/api/v1/slo/search"
    assert found["links"] == {
        "self": f"{base}?query=checkout",
        "last": None,
        "next": f"{base}?query=checkout&page[offset]=10&page[limit]=10",
        "prev": None,
        "first": f"{base}?query=checkout&page[offset]=0&page[limit]=10",
    }
    _, paged = call(sb, "GET", "/api/v1/slo/search?query=checkout&page%5Bsize%5D=20&page%5Bnumber%5D=0")
    assert paged["meta"]["pagination"]["type"] == "number_size" and paged["meta"]["pagination"]["size"] == 20
    assert paged["links"]["next"] == f"{base}?query=checkout&page[number]=1&page[size]=20"
    assert paged["links"]["self"] == f"{base}?query=checkout&page%5Bsize%5D=20&page%5Bnumber%5D=0"


def test_v2_downtime_scope_needs_a_key_and_updates_are_strict(sb: SandboxHandle) -> None:
    """v2 test_schedule_a_downtime_returns_bad_request_response, test_update_a_downtime_returns_bad_request_..."""

    def body(attrs: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"type": "downtime", "attributes": {"monitor_identifier": {"monitor_tags": ["a:b"]}, **attrs}}}

    assert call(sb, "POST", "/api/v2/downtime", body({"scope": "NO_KEY_HERE"})) == (
        400,
        {"errors": ["All values must have a key"]},
    )
    assert call(sb, "POST", "/api/v2/downtime", body({"scope": "*"}))[0] == 200
    status, made = call(sb, "POST", "/api/v2/downtime", body({"scope": "env:prod AND service:web"}))
    assert status == 200
    patch = {"data": {"type": "downtime", "id": made["data"]["id"], "attributes": {"invalid_field": "x"}}}
    assert call(sb, "PATCH", f"/api/v2/downtime/{made['data']['id']}", patch) == (
        400,
        {"errors": ["Additional properties are not allowed ('invalid_field' was unexpected)"]},
    )


def _incident(sb: SandboxHandle) -> dict[str, Any]:
    body = {"data": {"type": "incidents", "attributes": {"title": "checkout down", "customer_impacted": False}}}
    status, made = call(sb, "POST", "/api/v2/incidents", body)
    assert status == 201
    return dict(made["data"])


def test_incident_creator_uuids_are_null_only_in_the_create_answer(sb: SandboxHandle) -> None:
    """v2 test_get_the_details_of_an_incident_returns_ok_response: null on create, set on the GET after."""
    made = _incident(sb)
    assert made["attributes"]["created_by_uuid"] is None
    _, read = call(sb, "GET", f"/api/v2/incidents/{made['id']}")
    creator = read["data"]["relationships"]["created_by_user"]["data"]["id"]
    assert read["data"]["attributes"]["created_by_uuid"] == creator


def test_incident_sub_resource_errors_and_integration_status(sb: SandboxHandle) -> None:
    """v2 incidents feature: impacts on the nil UUID (400), a malformed incident id (404), the NotFound text
    of impacts, and an integration's status 3 (manually created) then 4 (manually updated)."""
    attrs = {"description": "x", "start_at": "2026-03-02T11:00:00Z"}
    impact = {"data": {"type": "incident_impacts", "attributes": attrs}}
    nil = "00000000-0000-0000-0000-000000000000"
    detail = "invalid impact data: incident id is required: invalid impact"
    assert call(sb, "POST", f"/api/v2/incidents/{nil}/impacts", impact) == (
        400,
        {"errors": [{"title": "Bad Request", "detail": detail}]},
    )
    status, answer = call(sb, "POST", f"/api/v2/incidents/{nil[:-1]}1/impacts", impact)
    assert status == 404 and answer["errors"][0]["detail"].startswith("rpc error: code = NotFound desc = incident")
    attachment = {"data": {"type": "incident_attachments", "attributes": {"attachment": {"title": "t"}}}}
    assert call(sb, "PATCH", f"/api/v2/incidents/{nil[:-1]}/attachments/{nil}", attachment) == (
        404,
        {"errors": [{"title": "Generic Error", "detail": "malformed incident ID"}]},
    )
    inc = _incident(sb)["id"]
    meta = {"type": "incident_integrations", "attributes": {"integration_type": 1, "metadata": {"channels": []}}}
    status, made = call(sb, "POST", f"/api/v2/incidents/{inc}/relationships/integrations", {"data": meta})
    assert status == 201 and made["data"]["attributes"]["status"] == 3
    one = f"/api/v2/incidents/{inc}/relationships/integrations/{made['data']['id']}"
    assert call(sb, "PATCH", one, {"data": meta})[1]["data"]["attributes"]["status"] == 4


def test_imported_incidents_name_their_type_and_no_responders(sb: SandboxHandle) -> None:
    """v2 test_import_an_incident_returns_created_response."""
    body = {"data": {"type": "incidents", "attributes": {"title": "old outage", "visibility": "organization"}}}
    status, made = call(sb, "POST", "/api/v2/incidents/import", body)
    rels = made["data"]["relationships"]
    assert status == 201 and rels["responders"]["data"] == []
    assert rels["incident_type"]["data"]["type"] == "incident_types"


def test_notification_rules_read_the_type_first(sb: SandboxHandle) -> None:
    """v2 test_{create,update}_incident_notification_rule_returns_{bad_request,not_found}_response."""
    rule = {"conditions": [{"field": "severity", "values": ["SEV-1"]}], "handles": ["@a@b.c"]}
    rule["trigger"] = "incident_created_trigger"
    rules = "/api/v2/incidents/config/notification-rules"
    detail = 'got type "x" expected one of "incident_notification_rules"'
    assert call(sb, "POST", rules, {"data": {"type": "x", "attributes": rule}}) == (
        400,
        {"errors": [{"status": "400", "title": "Bad Request", "detail": detail}]},
    )
    unknown = "00000000-0000-0000-0000-000000000001"
    data = {"type": "incident_notification_rules", "id": unknown, "attributes": rule}
    data["relationships"] = {"incident_type": {"data": {"id": unknown, "type": "incident_types"}}}
    assert call(sb, "PUT", f"/api/v2/incidents/config/notification-rules/{unknown}", {"data": data}) == (
        404,
        {"errors": [{"title": "Generic Error", "detail": "incident type doesn't exist"}]},
    )
    del data["relationships"], data["id"]
    assert call(sb, "POST", "/api/v2/incidents/config/notification-rules", {"data": data})[0] == 201
    _, listed = call(sb, "GET", "/api/v2/incidents/config/notification-rules")
    assert listed["meta"] == {"pagination": {"offset": 0, "next_offset": 1, "size": 1}}


def test_the_replay_compares_server_stamps_within_seconds_and_dates_undated_recordings() -> None:
    assert _same_instant("/canceled", 1580746837, 1580746836)
    assert not _same_instant("/canceled", 1580746837, None)
    assert not _same_instant("/id", 1580746837, 1580746836)  # only stamps, never ids
    assert _same_instant("/resolved", "2026-02-23T14:07:14.035556+00:00", "2026-02-23T14:07:13.479000+00:00")
    assert not _same_instant("/resolved", "2026-02-23T14:07:14+00:00", "2026-02-23T14:17:14+00:00")
    answered = ({"response": {"headers": {"Date": ["Mon, 03 Feb 2020 16:25:15 GMT"]}}},)
    assert _answered_at(answered) == "2020-02-03T16:25:15+00:00"
