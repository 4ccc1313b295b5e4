"""List pages decoded as plain JSON, still through the official client's request path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.exceptions import ApiException
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.kinds.registry import DATADOG_FAMILIES
from compiler.providers.client_settings import install_datadog_hooks
from compiler.providers.datadog_raw import call_json
from compiler.providers.ratelimit import RateLimiter
from compiler.sandbox import SandboxHandle, start_embedded


class Observed(RateLimiter):
    def __init__(self) -> None:
        super().__init__("datadog")
        self.seen: list[tuple[str, int | None]] = []

    def observe(self, family: str, headers: Any, status: int | None = None) -> None:
        self.seen.append((family, status))
        super().observe(family, headers, status)


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    with start_embedded(tmp_path / "sandbox") as handle:
        yield handle


def _client(handle: SandboxHandle, limiter: RateLimiter, *, app_key: str | None = None) -> ApiClient:
    creds = handle.credentials
    config = Configuration(
        host=handle.datadog_url,
        api_key={"apiKeyAuth": creds["datadog_api_key"], "appKeyAuth": app_key or creds["datadog_app_key"]},
        ssl_ca_cert=str(handle.ca_file),
    )
    client = ApiClient(config)
    install_datadog_hooks(client, limiter, families=DATADOG_FAMILIES)
    return client


def test_a_page_is_plain_json_sent_with_auth_and_seen_by_the_limiter(sandbox: SandboxHandle) -> None:
    limiter = Observed()
    with _client(sandbox, limiter) as client:
        api = MonitorsApi(client)
        created = api.create_monitor(
            body={
                "name": "raw",
                "type": "metric alert",
                "tags": ["team:x"],
                "query": "avg(last_5m):avg:app.errors{*} > 1",
                "options": {"thresholds": {"critical": 1}},
            }
        )
        page = call_json(api._list_monitors_endpoint, page=0, page_size=1000)
    assert isinstance(page, list) and type(page[0]) is dict
    assert page[0]["id"] == created.id and page[0]["tags"] == ["team:x"]
    assert page[0]["options"]["thresholds"] == {"critical": 1.0}
    assert isinstance(page[0]["created"], str)  # the API's text, not a datetime from a model
    assert limiter.seen[-1] == ("datadog:monitors", 200)
    assert limiter.snapshot("datadog:monitors").remaining is not None  # the rate-limit headers were read


def test_errors_are_the_clients_exceptions(sandbox: SandboxHandle) -> None:
    limiter = Observed()
    with _client(sandbox, limiter, app_key="wrong") as client, pytest.raises(ApiException) as raised:
        call_json(MonitorsApi(client)._list_monitors_endpoint, page=0, page_size=1000)
    assert raised.value.status == 403
    assert limiter.seen == [("datadog:monitors", 403)]


def test_parameters_are_validated_by_the_client(sandbox: SandboxHandle) -> None:
    with _client(sandbox, Observed()) as client, pytest.raises(Exception, match="page_size"):
        call_json(MonitorsApi(client)._list_monitors_endpoint, page=0, page_size=5000)
