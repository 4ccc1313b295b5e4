"""Datadog answers a create identical to an existing monitor with 400 "Duplicate of an existing
monitor_id:N org_id:M" (terraform-provider-datadog#1739). The sandbox does the same, and this
test drives alertc's own create path (CLI apply) into it to show what alertc does today."""

from __future__ import annotations

import pytest
from datadog_api_client import ApiClient
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.monitors_api import MonitorsApi

BODY = {
    "name": "dup",
    "type": "metric alert",
    "query": "avg(last_5m):avg:system.load.1{env:dup} > 2",
    "message": "m",
    "tags": ["team:a"],
    "options": {"thresholds": {"critical": 2}},
}


def test_identical_create_is_refused_with_datadogs_text(dd: ApiClient) -> None:
    api = MonitorsApi(dd)
    first = api.create_monitor(body=BODY)
    with pytest.raises(ApiException) as exc:
        api.create_monitor(body={**BODY, "message": " m ", "tags": ["team:a"]})  # trimmed: still identical
    assert exc.value.status == 400
    assert f"Duplicate of an existing monitor_id:{first.id} org_id:" in str(exc.value.body)
    other = api.create_monitor(body={**BODY, "name": "dup 2"})  # any difference makes a new monitor
    with pytest.raises(ApiException) as exc:
        api.update_monitor(other.id, body={"name": "dup"})  # an update into an identical copy too
    assert "Duplicate of an existing monitor_id" in str(exc.value.body)
    api.delete_monitor(first.id)
    assert api.create_monitor(body=BODY).id != first.id  # a deleted monitor no longer counts
