"""The client settings really take retries away from the clients and feed the limiter.

The PagerDuty checks drive the real python-pagerduty client over an httpx2
MockTransport; the client's own sleep is made to fail the test if reached.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pagerduty
import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.exceptions import ApiException

from compiler.kinds.registry import DATADOG_FAMILIES
from compiler.providers.client_settings import (
    configure_pagerduty_client,
    datadog_configuration_kwargs,
    install_datadog_hooks,
)
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RateLimited, RetryPolicy, classify
from tests.providers.fakes import FakeClock


@pytest.fixture(autouse=True)
def no_client_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(seconds: float) -> None:
        raise AssertionError(f"the client slept {seconds}s on its own")

    monkeypatch.setattr(pagerduty.api_client.time, "sleep", forbidden)


def pd_client(handler: Any, limiter: RateLimiter) -> Any:
    client = pagerduty.RestApiV2Client("token", transport=httpx2.MockTransport(handler))
    configure_pagerduty_client(client, limiter)
    return client


def respond(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, headers=headers or {}, stream=httpx2.ByteStream(json.dumps(body).encode()))


def test_pagerduty_429_escapes_the_endless_retry_loop() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(str(request.url))
        return respond(429, {"error": {"message": "Rate Limit Exceeded", "code": 2020}}, {"ratelimit-reset": "7"})

    clock = FakeClock()
    limiter = RateLimiter("pagerduty", clock=clock)
    client = pd_client(handler, limiter)
    with pytest.raises(RateLimited) as info:
        client.rget("/services")
    assert len(calls) == 1
    assert classify(info.value).category == "rate_limited"
    assert limiter.snapshot("pagerduty:rest").blocked_until == clock.now + 7


def test_pagerduty_success_headers_reach_the_limiter() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return respond(
            200,
            {"services": [], "limit": 100, "offset": 0, "more": False},
            {"ratelimit-limit": "960", "ratelimit-remaining": "959", "ratelimit-reset": "36"},
        )

    limiter = RateLimiter("pagerduty", clock=FakeClock())
    client = pd_client(handler, limiter)
    assert client.list_all("services") == []
    state = limiter.snapshot("pagerduty:rest")
    assert (state.limit, state.remaining) == (960, 959)
    assert client.api_call_counts, "the client's own bookkeeping still runs"


def test_pagerduty_5xx_and_network_errors_are_not_retried_by_the_client() -> None:
    calls: list[int] = []

    def server_error(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        return respond(503, {"error": {"message": "unavailable"}})

    client = pd_client(server_error, RateLimiter("pagerduty", clock=FakeClock()))
    with pytest.raises(pagerduty.HttpError) as info:
        client.rget("/services")
    assert len(calls) == 1 and classify(info.value).category == "server"

    def refused(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        raise httpx2.ConnectError("refused")

    client = pd_client(refused, RateLimiter("pagerduty", clock=FakeClock()))
    with pytest.raises(pagerduty.Error) as err:
        client.rget("/services")
    assert len(calls) == 2
    assert classify(err.value).category == "connection"


def test_policy_retries_a_pagerduty_429_then_succeeds() -> None:
    responses = [
        respond(429, {"error": {"code": 2020}}, {"ratelimit-reset": "2"}),
        respond(200, {"service": {"id": "P1", "name": "Identity"}}),
    ]

    def handler(request: httpx2.Request) -> httpx2.Response:
        return responses.pop(0)

    clock = FakeClock()
    limiter = RateLimiter("pagerduty", clock=clock)
    client = pd_client(handler, limiter)
    policy = RetryPolicy(clock=clock, random=lambda: 0.0)
    service = policy.call(lambda: client.rget("/services/P1"), family="pagerduty:rest", limiter=limiter)
    assert service["name"] == "Identity"
    assert clock.sleeps == [2.0]


def test_datadog_configuration_disables_client_retries() -> None:
    cfg = Configuration(host="http://127.0.0.1:9", **datadog_configuration_kwargs())
    with ApiClient(cfg) as api:
        retries = api.rest_client.pool_manager.connection_pool_kw["retries"]
        assert retries.total == 0 and retries.connect == 0 and retries.status == 0
        assert not retries.respect_retry_after_header
    assert cfg.request_timeout == (10.0, 60.0)


class FakeRestResponse:
    status = 200

    def __init__(self) -> None:
        self.headers = {"X-RateLimit-Remaining": "4", "X-RateLimit-Reset": "9", "X-RateLimit-Name": "monitors"}


def test_datadog_hook_observes_success_and_error_headers() -> None:
    limiter = RateLimiter("datadog", clock=FakeClock())
    with ApiClient(Configuration(host="http://127.0.0.1:9", **datadog_configuration_kwargs())) as api:
        outcomes: list[Any] = [FakeRestResponse(), ApiException(status=429)]

        def fake_request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            outcome = outcomes.pop(0)
            if isinstance(outcome, Exception):
                outcome.headers = {"x-ratelimit-reset": "3", "x-ratelimit-name": "monitors"}
                raise outcome
            return outcome

        api.rest_client.request = fake_request
        install_datadog_hooks(api, limiter, families=DATADOG_FAMILIES)
        api.rest_client.request("GET", "http://127.0.0.1:9/api/v1/monitor?page=0")
        assert limiter.snapshot("datadog:monitors").remaining == 4
        with pytest.raises(ApiException):
            api.rest_client.request("GET", "http://127.0.0.1:9/api/v1/monitor/1")
        assert limiter.snapshot("datadog:monitors").blocked_until is not None
