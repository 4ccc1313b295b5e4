"""Dashboards in the sandbox: as strict as Datadog and no more, each answer citing the public recording it
follows (``tests/fixtures/recordings/datadog/corpus/v1.tar.xz``, the v1 ``dashboards`` feature)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compiler.sandbox import SandboxHandle
from compiler.sandbox.datadog.dashboards import slug
from tests.sandbox.http import Answer, dd_headers, send

HOSTMAP = [{"definition": {"requests": {"fill": {"q": "avg:system.cpu.user{*}"}}, "type": "hostmap"}}]
HOST = {"available_values": ["my-host", "host1"], "defaults": ["my-host"], "name": "host1", "prefix": "host"}


def _create(sandbox: SandboxHandle, **fields: Any) -> Answer:
    body = {"title": "t", "layout_type": "ordered", "widgets": HOSTMAP, **fields}
    return send(sandbox, "POST", "/api/v1/dashboard", json.dumps(body).encode(), dd_headers(sandbox))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # test_create_a_new_dashboard_with_timeseries_widget_using_has_value_labels: the cut leaves no dash
        (
            "Test-Create_a_new_dashboard_with_timeseries_widget_using_has_value_labels-1772473111 with Profile "
            "Metrics Query",
            "test-createanewdashboardwithtimeserieswidgetusinghasvaluelabels-1772473111-with",
        ),
        # test_get_all_dashboards_returns_ok_response_with_pagination
        ("OpenStack Controller Overview [Default Microversion]", "openstack-controller-overview-default-microversion"),
        (
            "",
            "",
        ),  # test_create_a_new_dashboard_with_template_variable_defaults_returns_ok_response: url "/dashboard/<id>/"
    ],
)
def test_the_url_slug_is_datadogs(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_only_team_tags_are_taken(sandbox: SandboxHandle) -> None:
    """test_create_a_new_dashboard_with_team_tags / _with_invalid_team_tags_returns_bad_request_response."""
    refused = _create(sandbox, tags=["tm:foobar"])
    assert (refused.status, refused.json()) == (400, {"errors": ["Invalid tag format. Valid tag keys are: team."]})
    taken = _create(sandbox, tags=["team:foobar"])
    assert taken.status == 200 and taken.json()["tags"] == ["team:foobar"]


def test_a_template_variable_takes_defaults_or_its_deprecated_default_not_both(sandbox: SandboxHandle) -> None:
    """test_create_a_new_dashboard_with_template_variable_defaults_and_default_returns_bad_request_response."""
    refused = _create(sandbox, template_variables=[{**HOST, "default": "my-host"}])
    assert (refused.status, refused.json()) == (400, {"errors": ["'template_variables' is invalid"]})
    taken = _create(sandbox, template_variables=[HOST])  # ..._with_template_variable_defaults_returns_ok_response
    assert taken.status == 200 and taken.json()["template_variables"] == [HOST]


def test_a_presets_variable_takes_values_or_its_deprecated_value_not_both(sandbox: SandboxHandle) -> None:
    """test_create_a_new_dashboard_with_template_variable_presets_using_values_and_value_returns_bad_request_response:
    the error quotes the variable as Datadog's server prints it."""
    both = {"name": "datacenter", "value": "*", "values": ["*"]}
    refused = _create(
        sandbox, template_variables=[HOST], template_variable_presets=[{"name": "v", "template_variables": [both]}]
    )
    expected = "'template_variables' value '{'name': 'datacenter', 'value': '*', 'values': ['*']}' is invalid"
    assert (refused.status, refused.json()) == (400, {"errors": [expected]})
    values = [{"name": "my saved view", "template_variables": [{"name": "datacenter", "values": ["*", "my-host"]}]}]
    taken = _create(sandbox, template_variables=[HOST], template_variable_presets=values)
    assert taken.status == 200 and taken.json()["template_variable_presets"] == values


def test_the_list_answers_summaries_without_widgets(sandbox: SandboxHandle) -> None:
    """test_get_all_dashboards_returns_ok_response: the list has no widgets, tags or template variables."""
    created = _create(sandbox, title="listed", tags=["team:x"], template_variables=[HOST]).json()
    listed = send(sandbox, "GET", "/api/v1/dashboard", None, dd_headers(sandbox)).json()["dashboards"]
    summary = next(d for d in listed if d["id"] == created["id"])
    assert set(summary) == {
        "id", "title", "description", "layout_type", "url", "is_read_only", "created_at", "modified_at",
        "author_handle", "deleted_at",
    }  # fmt: skip
