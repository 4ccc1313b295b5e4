"""Datadog endpoints driven only through datadog-api-client."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from datadog_api_client import ApiClient
from datadog_api_client.exceptions import ApiException, ForbiddenException, NotFoundException
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.pager_duty_integration_api import PagerDutyIntegrationApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi
from datadog_api_client.v2.api.downtimes_api import DowntimesApi
from datadog_api_client.v2.api.service_definition_api import ServiceDefinitionApi

from compiler.sandbox import SandboxHandle
from tests.sandbox.conftest import datadog_client

METRIC_Q = "avg(last_5m):avg:system.load.1{env:prod} by {host} > 2"


_NAMES = itertools.count()


def _monitor(api: MonitorsApi, **over: Any) -> Any:
    """A fresh monitor; the name differs each time (Datadog refuses an exact duplicate)."""
    body = {
        "name": f"m{next(_NAMES)}",
        "type": "metric alert",
        "query": METRIC_Q,
        "options": {"thresholds": {"critical": 2}},
        "tags": ["team:a"],
        **over,
    }
    return api.create_monitor(body=body)


def _slo(api: ServiceLevelObjectivesApi, **over: Any) -> Any:
    body = {
        "name": "slo",
        "type": "metric",
        "thresholds": [{"timeframe": "30d", "target": 99.9}],
        "query": {"numerator": "sum:hits{ok}.as_count()", "denominator": "sum:hits{*}.as_count()"},
        **over,
    }
    return api.create_slo(body=body).data[0]


def test_auth_is_required(sandbox: SandboxHandle) -> None:
    bad = SandboxHandle(**{**sandbox.__dict__, "credentials": {**sandbox.credentials, "datadog_app_key": "nope"}})
    with datadog_client(bad) as client, pytest.raises(ForbiddenException) as exc:
        MonitorsApi(client).list_monitors()
    assert exc.value.status == 403
    assert exc.value.body == {"errors": ["Forbidden"]}


def test_monitor_create_applies_server_rewrites(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    m = _monitor(
        api,
        name="  padded name \n",
        message=" hi @pagerduty-x \n",
        query="avg(current_1mo):avg:system.load.5{*} > 0.5",
        options={"thresholds": {"critical": 0.5}},
    )
    raw = m.to_dict()
    assert raw["name"] == "padded name" and raw["message"] == "hi @pagerduty-x"
    assert raw["type"] == "query alert"  # metric alert rewritten for a non-trivial query
    assert raw["options"] == {
        "thresholds": {"critical": 0.5},
        "notify_no_data": False,
        "notify_audit": False,
        "new_host_delay": 300,
        "include_tags": True,
        "silenced": {},
    }
    assert isinstance(m.id, int) and raw["multi"] is False and raw["priority"] is None
    got = api.get_monitor(m.id).to_dict()
    assert got["matching_downtimes"] == [] and got["options"] == raw["options"]


def test_log_monitor_defaults_and_put_replaces_options(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    m = api.create_monitor(
        body={
            "name": "logs",
            "type": "log alert",
            "priority": 3,
            "query": 'logs("service:foo").index("main").rollup("count").by("source").last("5m") > 2',
            "options": {"thresholds": {"critical": 2, "warning": 1}, "renotify_interval": 60, "evaluation_delay": 700},
        }
    )
    assert m.to_dict()["options"]["groupby_simple_monitor"] is False
    assert m.to_dict()["multi"] is True
    updated = api.update_monitor(
        m.id, body={"name": "logs2", "priority": None, "options": {"thresholds": {"critical": 2, "warning": None}}}
    )
    raw = updated.to_dict()
    assert raw["options"] == {
        "thresholds": {"critical": 2.0},
        "notify_no_data": False,
        "notify_audit": False,
        "new_host_delay": 300,
        "include_tags": True,
        "groupby_simple_monitor": False,
        "silenced": {},
    }
    assert raw["priority"] is None and raw["name"] == "logs2" and raw["query"].startswith("logs(")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"type": "log alert", "query": "query"}, "invalid operator specified: "),
        (
            {
                "type": "metric alert",
                "query": "avg(last_5m):avg:system.load.1{*} > 3",
                "options": {"thresholds": {"critical": 2}},
            },
            "does not match",
        ),
        ({"type": "metric alert", "query": "nonsense > 3"}, "unable to parse"),
        (
            {
                "type": "metric alert",
                "query": "avg(last_5m):avg:a{*} > 3",
                "options": {"thresholds": {"critical": 3, "warning": 4}},
            },
            "Warning threshold",
        ),
        ({"type": "composite", "query": "1 && 2"}, "Some monitor IDs are invalid"),
        (
            {
                "type": "slo alert",
                "query": 'burn_rate("0123456789abcdef0123456789abcdef").over("30d")'
                '.long_window("1h").short_window("5m") > 14.4',
            },
            "not found",
        ),
    ],
)
def test_monitor_validation_errors(dd: ApiClient, body: dict[str, Any], fragment: str) -> None:
    api = MonitorsApi(dd)
    with pytest.raises(ApiException) as exc:
        api.validate_monitor(body={"name": "v", **body})
    assert exc.value.status == 400
    assert any(fragment in e for e in exc.value.body["errors"])
    with pytest.raises(ApiException):
        api.create_monitor(body={"name": "v", **body})


def test_validate_ok_and_existing(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    body = {"name": "v", "type": "metric alert", "query": METRIC_Q, "options": {"thresholds": {"critical": 2}}}
    assert api.validate_monitor(body=body) == {}
    m = _monitor(api)
    assert api.validate_existing_monitor(m.id, body=body) == {}
    with pytest.raises(NotFoundException):
        api.validate_existing_monitor(987654321, body=body)


def test_monitor_missing_required_and_bad_types(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    with pytest.raises(ApiException) as exc:
        api.create_monitor(body={"name": "x", "type": "metric alert", "query": ""})
    assert exc.value.status == 400
    with pytest.raises(ApiException) as exc:
        api.update_monitor(_monitor(api).id, body={"type": "log alert"})
    assert exc.value.status == 400


def test_slo_alert_burn_rate_rules(dd: ApiClient) -> None:
    slo = _slo(ServiceLevelObjectivesApi(dd))
    api = MonitorsApi(dd)

    def q(rate: float, long: str = "1h", short: str = "5m", over: str = "30d") -> str:
        return f'burn_rate("{slo.id}").over("{over}").long_window("{long}").short_window("{short}") > {rate}'

    ok = api.create_monitor(
        body={"name": "burn", "type": "slo alert", "query": q(14.4), "options": {"thresholds": {"critical": 14.4}}}
    )
    assert ok.to_dict()["type"] == "slo alert"
    for bad, fragment in [
        (q(1001), "burn rate threshold"),
        (q(2, long="49h"), "between 1h and 48h"),
        (q(2, long="30m"), "between 1h and 48h"),
        (q(2, over="7d"), "timeframe"),
        (q(2, short="2h"), "shorter"),
    ]:
        with pytest.raises(ApiException) as exc:
            api.validate_monitor(body={"name": "b", "type": "slo alert", "query": bad})
        assert any(fragment in e for e in exc.value.body["errors"]), exc.value.body
    got = ServiceLevelObjectivesApi(dd).get_slo(slo.id, with_configured_alert_ids=True)
    assert got.data.configured_alert_ids == [ok.id]
    with pytest.raises(ApiException) as exc:
        ServiceLevelObjectivesApi(dd).delete_slo(slo.id)
    assert exc.value.status == 409 and slo.id in exc.value.body["errors"]


def test_monitor_used_by_slo_cannot_be_deleted(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    m = _monitor(api)
    slos = ServiceLevelObjectivesApi(dd)
    slo = slos.create_slo(
        body={
            "name": "mon slo",
            "type": "monitor",
            "monitor_ids": [m.id],
            "thresholds": [{"timeframe": "7d", "target": 99}],
        }
    ).data[0]
    with pytest.raises(ApiException) as exc:
        api.delete_monitor(m.id)
    assert exc.value.status == 400 and "referenced" in exc.value.body["errors"][0]
    with pytest.raises(ApiException) as conflict:
        api.check_can_delete_monitor(monitor_ids=[m.id])
    assert conflict.value.status == 409 and str(m.id) in conflict.value.body["errors"]
    slos.delete_slo(slo.id)
    assert api.delete_monitor(m.id).deleted_monitor_id == m.id
    with pytest.raises(NotFoundException) as nf:
        api.delete_monitor(m.id)
    assert nf.value.body == {"errors": ["Monitor not found"]}


def test_monitor_pagination_and_filters(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    ids = [_monitor(api, name=f"page-{i}", tags=["pagination:yes", f"n:{i}"]).id for i in range(5)]
    everything = api.list_monitors(monitor_tags="pagination:yes")
    assert [m.id for m in everything] == ids
    pages = [api.list_monitors(monitor_tags="pagination:yes", page=p, page_size=2) for p in range(3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [m.id for p in pages for m in p] == ids
    assert [m.id for m in api.list_monitors_with_pagination(monitor_tags="pagination:yes", page_size=2)] == ids
    assert [m.id for m in api.list_monitors(monitor_tags="pagination:yes,n:3")] == [ids[3]]
    assert len(api.list_monitors(page=0, page_size=1000)) >= 5


def test_monitor_page_size_over_limit_is_refused_server_side(sandbox: SandboxHandle) -> None:
    with datadog_client(sandbox) as client:
        client.configuration.disabled_client_side_validations = "maximum"
        with pytest.raises(ApiException) as exc:
            MonitorsApi(client).list_monitors(page=0, page_size=1001)
    assert exc.value.status == 400


def test_slo_rewrites_and_crud(dd: ApiClient) -> None:
    api = ServiceLevelObjectivesApi(dd)
    created = api.create_slo(
        body={
            "name": " My SLO ",
            "type": "metric",
            "description": " d ",
            "tags": ["Env:Prod", "app:core", "Team Name:X"],
            "thresholds": [{"timeframe": "7d", "target": 97, "warning": 98}],
            "query": {"numerator": "sum:a{*}.as_count()", "denominator": "sum:b{*}.as_count()"},
        }
    )
    raw = created.to_dict()["data"][0]
    assert raw["tags"] == ["app:core", "env:prod", "team_name:x"]
    assert raw["thresholds"] == [
        {"timeframe": "7d", "target": 97.0, "target_display": "97.", "warning": 98.0, "warning_display": "98."}
    ]
    assert raw["timeframe"] == "7d" and raw["target_threshold"] == 97 and raw["description"] == "d"
    assert raw["name"] == "My SLO" and raw["type_id"] == 1 and len(raw["id"]) == 32
    orders = {tuple(api.get_slo(raw["id"]).to_dict()["data"]["tags"]) for _ in range(8)}
    assert len(orders) > 1 and all(set(o) == set(raw["tags"]) for o in orders)
    upd = api.update_slo(
        raw["id"],
        body={
            "name": "My SLO",
            "type": "metric",
            "thresholds": [{"timeframe": "30d", "target": 99.5}],
            "query": {"numerator": "sum:a{*}.as_count()", "denominator": "sum:b{*}.as_count()"},
        },
    )
    assert upd.data[0].target_threshold == 99.5 and upd.data[0].thresholds[0].target_display == "99.5"
    assert api.delete_slo(raw["id"]).data == [raw["id"]]
    with pytest.raises(NotFoundException) as exc:
        api.get_slo(raw["id"])
    assert exc.value.body == {"errors": [f"SLO not found: {raw['id']} not found"]}


def test_slo_spec_derivations_and_validation(dd: ApiClient) -> None:
    api = ServiceLevelObjectivesApi(dd)
    count = api.create_slo(
        body={
            "name": "count",
            "type": "metric",
            "thresholds": [{"timeframe": "7d", "target": 99}],
            "sli_specification": {
                "count": {
                    "good_events_formula": {"formula": "query1 - query2"},
                    "total_events_formula": {"formula": "query1"},
                    "queries": [
                        {"data_source": "metrics", "name": "query1", "query": "sum:h{*}"},
                        {"data_source": "metrics", "name": "query2", "query": "sum:e{*}"},
                    ],
                }
            },
        }
    )
    assert count.data[0].query.numerator == "sum:h{*} - sum:e{*}"
    ts = api.create_slo(
        body={
            "name": "ts",
            "type": "time_slice",
            "thresholds": [{"timeframe": "7d", "target": 97}],
            "sli_specification": {
                "time_slice": {
                    "comparator": ">",
                    "threshold": 5,
                    "query": {
                        "formulas": [{"formula": "query1"}],
                        "queries": [
                            {"data_source": "metrics", "name": "query1", "query": "trace.servlet.request{env:prod}"}
                        ],
                    },
                }
            },
        }
    )
    assert ts.to_dict()["data"][0]["sli_specification"]["time_slice"]["query_interval_seconds"] == 300
    for bad in [
        {"name": "x", "type": "metric", "thresholds": []},
        {"name": "x", "type": "monitor", "monitor_ids": [1], "thresholds": [{"timeframe": "7d", "target": 9}]},
        {
            "name": "x",
            "type": "metric",
            "thresholds": [{"timeframe": "7d", "target": 99}],
            "query": {"numerator": "a", "denominator": "b"},
            "tags": [f"t:{i}" for i in range(33)],
        },
    ]:
        with pytest.raises(ApiException) as exc:
            api.create_slo(body=bad)
        assert exc.value.status == 400


def test_slo_pagination_and_filters(dd: ApiClient) -> None:
    api = ServiceLevelObjectivesApi(dd)
    made = [_slo(api, name=f"pg-{i}", tags=["paging:slo"]).id for i in range(5)]
    first = api.list_slos(tags_query="paging:slo", limit=2)
    second = api.list_slos(tags_query="paging:slo", limit=2, offset=2)
    assert [s.id for s in first.data + second.data] == made[:4]
    assert first.metadata.page.total_filtered_count == 5
    assert [s.id for s in api.list_slos(ids=",".join(made[1:3])).data] == made[1:3]
    assert [s.id for s in api.list_slos_with_pagination(tags_query="paging:slo", limit=2)] == made


def test_downtime_lifecycle(dd: ApiClient) -> None:
    api = DowntimesApi(dd)
    m = _monitor(MonitorsApi(dd))
    created = api.create_downtime(
        body={
            "data": {
                "type": "downtime",
                "attributes": {
                    "scope": "env:prod",
                    "monitor_identifier": {"monitor_id": m.id},
                    "schedule": {"start": None},
                },
            }
        }
    )
    raw = created.to_dict()["data"]
    attrs = raw["attributes"]
    assert attrs["display_timezone"] == "UTC" and attrs["message"] is None
    assert sorted(attrs["notify_end_states"]) == ["alert", "no data", "warn"]
    assert attrs["notify_end_types"] == ["expired"] and attrs["mute_first_recovery_notification"] is False
    assert attrs["status"] == "active" and attrs["schedule"]["start"] is not None
    assert MonitorsApi(dd).get_monitor(m.id).to_dict()["matching_downtimes"]
    patched = api.update_downtime(
        raw["id"], body={"data": {"id": raw["id"], "type": "downtime", "attributes": {"message": "light speed"}}}
    )
    assert patched.data.attributes.message == "light speed" and patched.data.attributes.scope == "env:prod"
    assert api.get_downtime(raw["id"]).data.id == raw["id"]
    api.cancel_downtime(raw["id"])
    api.cancel_downtime(raw["id"])  # idempotent
    assert api.get_downtime(raw["id"]).to_dict()["data"]["attributes"]["status"] == "canceled"
    with pytest.raises(NotFoundException):
        api.get_downtime("00000000-0000-0000-0000-000000000000")
    with pytest.raises(ApiException) as exc:
        api.create_downtime(
            body={
                "data": {
                    "type": "downtime",
                    "attributes": {
                        "scope": "env:prod",
                        "monitor_identifier": {"monitor_tags": ["a:b"]},
                        "notify_end_states": ["bogus"],
                    },
                }
            }
        )
    assert exc.value.status == 400


def test_downtime_pagination(dd: ApiClient) -> None:
    api = DowntimesApi(dd)
    before = api.list_downtimes().meta.page.total_filtered_count
    for i in range(3):
        api.create_downtime(
            body={
                "data": {
                    "type": "downtime",
                    "attributes": {"scope": f"host:{i}", "monitor_identifier": {"monitor_tags": ["*"]}},
                }
            }
        )
    page = api.list_downtimes(page_offset=before, page_limit=2)
    assert len(page.data) == 2 and page.meta.page.total_filtered_count == before + 3
    assert len(list(api.list_downtimes_with_pagination(page_limit=2))) == before + 3


def test_service_definitions(dd: ApiClient) -> None:
    api = ServiceDefinitionApi(dd)
    doc = {
        "schema-version": "v2.2",
        "dd-service": "Checkout-API",
        "team": "payments",
        "contacts": [{"type": "email", "contact": "a@example.com", "name": "Team"}],
        "tags": ["Tier:1"],
        "integrations": {"pagerduty": {"service-url": "https://x.pagerduty.com/services/P1"}},
    }
    created = api.create_or_update_service_definitions(body=doc).to_dict()
    schema = created["data"][0]["attributes"]["schema"]
    assert schema["dd-service"] == "checkout-api" and schema["tags"] == ["tier:1"]
    assert schema["links"] == [] and schema["extensions"] == {}
    got = api.get_service_definition("checkout-api", schema_version="v2.2")
    assert got.data.attributes.schema.dd_service == "checkout-api" and got.data.attributes.schema.team == "payments"
    listed = api.list_service_definitions(page_size=1, page_number=0)
    assert len(listed.data) == 1
    assert len(list(api.list_service_definitions_with_pagination(page_size=1))) >= 1
    api.delete_service_definition("checkout-api")
    with pytest.raises(NotFoundException):
        api.delete_service_definition("checkout-api")
    with pytest.raises(ApiException) as exc:
        api.create_or_update_service_definitions(body={"schema-version": "v2.2", "contacts": []})
    assert exc.value.status == 400


def test_pagerduty_service_objects(dd: ApiClient) -> None:
    api = PagerDutyIntegrationApi(dd)
    assert (
        api.create_pager_duty_integration_service(
            body={"service_name": "checkout", "service_key": "k" * 32}
        ).service_name
        == "checkout"
    )
    assert api.get_pager_duty_integration_service("checkout").service_name == "checkout"
    assert "service_key" not in api.get_pager_duty_integration_service("checkout").to_dict()
    api.update_pager_duty_integration_service("checkout", body={"service_key": "z" * 32})
    with pytest.raises(ApiException) as exc:
        api.create_pager_duty_integration_service(body={"service_name": "checkout", "service_key": "k"})
    assert exc.value.status == 400
    api.delete_pager_duty_integration_service("checkout")
    with pytest.raises(NotFoundException):
        api.get_pager_duty_integration_service("checkout")
