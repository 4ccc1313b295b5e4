"""The limiter, the retry policy and the client hooks tell an observer what they do (for ``-v``)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.exceptions import ApiException

from compiler.events import Event, RateLimitWait, RequestSent, RetryScheduled
from compiler.kinds.registry import DATADOG_FAMILIES
from compiler.providers.client_settings import (
    configure_pagerduty_client,
    datadog_configuration_kwargs,
    install_datadog_hooks,
)
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RetryPolicy
from tests.providers.fakes import FakeClock
from tests.providers.test_retry import dd_error, failing


def test_the_limiter_reports_each_wait_before_it_sleeps() -> None:
    events: list[Event] = []
    clock = FakeClock()
    limiter = RateLimiter("datadog", clock=clock, low_water=1, observer=events.append)
    limiter.observe("datadog:monitors", {"x-ratelimit-remaining": "1", "x-ratelimit-reset": "5"}, 200)
    limiter.acquire("datadog:monitors")
    assert events == [RateLimitWait("datadog", "datadog:monitors", 5.0)]
    assert clock.sleeps == [5.0]


def test_the_limiter_reports_nothing_when_there_is_budget() -> None:
    events: list[Event] = []
    limiter = RateLimiter("datadog", clock=FakeClock(), low_water=1, observer=events.append)
    limiter.observe("datadog:monitors", {"x-ratelimit-remaining": "50", "x-ratelimit-reset": "5"}, 200)
    limiter.acquire("datadog:monitors")
    assert events == []


def test_the_retry_policy_reports_each_retry_with_its_reason_and_wait() -> None:
    events: list[Event] = []
    policy = RetryPolicy(clock=FakeClock(), random=lambda: 0.5, observer=events.append)
    fn, _calls = failing(dd_error(503), dd_error(429, {"Retry-After": "2"}))
    assert policy.call(fn, family="datadog:monitors", what="list monitors") == "ok"
    assert events == [
        RetryScheduled("list monitors", 1, "HTTP 503", 0.75),
        RetryScheduled("list monitors", 2, "HTTP 429", 2.25),
    ]


class _Response:
    status = 200

    def __init__(self) -> None:
        self.headers = {"X-RateLimit-Remaining": "40", "X-RateLimit-Reset": "9"}


def test_datadog_requests_are_reported_by_method_and_path_only() -> None:
    events: list[Event] = []
    with ApiClient(Configuration(host="http://127.0.0.1:9", **datadog_configuration_kwargs())) as api:
        outcomes: list[Any] = [_Response(), ApiException(status=404)]

        def fake_request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            outcome = outcomes.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        api.rest_client.request = fake_request
        install_datadog_hooks(
            api, RateLimiter("datadog", clock=FakeClock()), families=DATADOG_FAMILIES, observer=events.append
        )
        api.rest_client.request("get", "http://127.0.0.1:9/api/v1/monitor?page=0&api_key=nope")
        with pytest.raises(ApiException):
            api.rest_client.request("DELETE", "http://127.0.0.1:9/api/v1/monitor/12")
    sent = [e for e in events if isinstance(e, RequestSent)]
    assert [(e.api, e.method, e.path, e.status) for e in sent] == [
        ("datadog", "GET", "/api/v1/monitor", 200),
        ("datadog", "DELETE", "/api/v1/monitor/12", 404),
    ]


class _PagerDutyClient:
    """Just what ``configure_pagerduty_client`` touches of ``pagerduty.RestApiV2Client``."""

    def postprocess(self, response: Any) -> None:
        return None


def test_pagerduty_responses_are_reported_by_method_and_path_only() -> None:
    events: list[Event] = []
    client: Any = _PagerDutyClient()
    configure_pagerduty_client(client, RateLimiter("pagerduty", clock=FakeClock()), observer=events.append)
    request = httpx2.Request("GET", "https://api.pagerduty.com/services?limit=100&offset=0")
    client.postprocess(httpx2.Response(200, request=request, headers={"ratelimit-remaining": "900"}))
    assert [(e.api, e.method, e.path, e.status) for e in events if isinstance(e, RequestSent)] == [
        ("pagerduty", "GET", "/services", 200)
    ]
