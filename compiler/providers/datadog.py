"""One Datadog account (or sandbox) through datadog-api-client: the API objects and the call helpers.

Which operation a kind calls, at which page size, lives in the kind's module
(``compiler/kinds/datadog/``); this module only knows how to make a call:
paced and retried under the kind's API family, Datadog's errors turned into
``TargetError`` with Datadog's own sentences. It is also the one place that
reaches into the client's private ``_<operation>_endpoint`` attributes
(``endpoint``), which the raw-JSON list reads need.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from datadog_api_client import ApiClient
from datadog_api_client.api_client import Endpoint
from datadog_api_client.exceptions import ApiException
from datadog_api_client.model_utils import model_to_dict
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.pager_duty_integration_api import PagerDutyIntegrationApi

from compiler.errors import TargetError
from compiler.providers.datadog_raw import call_json
from compiler.providers.paging import Page, Paging, read_pages, read_window
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import CallScope, RetryPolicy, is_transport_failure
from compiler.providers.shared_strings import SharedStrings

T = TypeVar("T")
A = TypeVar("A")


def plain(value: Any) -> dict[str, Any]:
    """A model or dict as plain JSON data (dates as ISO text)."""
    # serialize=True gives the API's JSON keys ("dd-service"), not Python attribute names ("dd_service")
    data = model_to_dict(value, serialize=True) if hasattr(value, "to_dict") else value  # type: ignore[no-untyped-call]
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def request_body(data: dict[str, Any]) -> Any:
    """A JSON body for a typed endpoint: the client converts and checks it against its model at call time
    (with the same validation as a model instance), so we keep plain data end to end."""
    return data


def api_error_text(exc: ApiException) -> str:
    """Datadog's own error sentences (``{"errors": [...]}``), with a hint for the usual causes."""
    payload: Any = exc.body
    if isinstance(payload, str | bytes):
        try:
            payload = json.loads(payload)
        except ValueError:
            payload = None
    errors = payload.get("errors") if isinstance(payload, dict) else None
    text = "; ".join(str(e) for e in errors) if isinstance(errors, list) and errors else f"HTTP {exc.status}"
    if exc.status in (401, 403):
        text += "\n  hint: check DD_API_KEY, DD_APP_KEY and DD_SITE (the keys must belong to that site)"
    return text


class DatadogProvider:
    """One Datadog account (or sandbox): its API objects and the paced, retried call helpers kinds use."""

    provider = "datadog"

    def __init__(self, client: ApiClient, limiter: RateLimiter, retry: RetryPolicy) -> None:
        self.client = client
        self.limiter = limiter
        self.retry = retry
        self._apis: dict[type, Any] = {}
        self.monitors = self.api(MonitorsApi)
        self.pagerduty = self.api(PagerDutyIntegrationApi)
        self.strings = SharedStrings()  # set by the live read: listed items share the desired strings

    def api(self, api_class: type[A], *, unstable: tuple[str, ...] = ()) -> A:
        """The client's API object of ``api_class`` (one per class), with the ``unstable`` operations
        switched on: the client refuses an operation it marks unstable until it is enabled."""
        for operation in unstable:
            self.client.configuration.unstable_operations[operation] = True
        found = self._apis.get(api_class)
        if found is None:
            found = self._apis.setdefault(api_class, api_class(self.client))  # type: ignore[call-arg]
        return found  # type: ignore[no-any-return]

    def call(self, scope: CallScope, fn: Callable[[], T], *, idempotent: bool = True, what: str = "") -> T:
        """``fn`` paced and retried under ``scope``'s API family; API and transport errors become TargetError."""
        try:
            return self.retry.call(fn, family=scope.api_family, idempotent=idempotent, limiter=self.limiter, what=what)
        except ApiException as exc:
            raise TargetError(f"Datadog {what or scope.kind} (HTTP {exc.status}): {api_error_text(exc)}") from exc
        except Exception as exc:
            if is_transport_failure(exc):  # e.g. a create whose response was lost: apply decides what next
                raise TargetError(f"Datadog {what or scope.kind}: {type(exc).__name__}: {exc}") from exc
            raise

    def get_or_none(self, scope: CallScope, fn: Callable[[], Any], *, what: str) -> dict[str, Any] | None:
        """A GET whose 404 means "does not exist" (None) rather than an error."""
        try:
            return plain(self.retry.call(fn, family=scope.api_family, limiter=self.limiter, what=what))
        except ApiException as exc:
            if exc.status == 404:
                return None
            raise TargetError(f"Datadog {what}: {api_error_text(exc)}") from exc

    def list_json(
        self, scope: CallScope, endpoint: Endpoint, paging: Paging, size: int, params: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Every item of a paged list as plain JSON, ``size`` a page, several pages in flight
        (``paging.read_pages``); ``params`` are the endpoint's other parameters."""

        def fetch(number: int) -> Page:
            query = {**params, **paging.params(number, size)}
            body = self.call(scope, lambda: call_json(endpoint, **query), what=f"list {scope.kind}s")
            items, total = paging.page(body)
            return Page([self.strings.share(i) for i in items], total)

        return read_pages(fetch, size, read_window(self.limiter, scope.api_family))

    def delete(self, scope: CallScope, fn: Callable[[], Any], *, what: str) -> None:
        """A delete call; 404 is success (the goal of a delete is reached)."""
        try:
            self.retry.call(fn, family=scope.api_family, limiter=self.limiter, what=what)
        except ApiException as exc:
            if exc.status == 404:
                return
            raise TargetError(f"Datadog {what} (HTTP {exc.status}): {api_error_text(exc)}") from exc

    def verdict(self, scope: CallScope, fn: Callable[[], Any], *, what: str) -> str | None:
        """Datadog's verdict on a request that only checks (a validate endpoint): its own sentences when
        it refuses (a 4xx), None when it accepts."""
        try:
            self.retry.call(fn, family=scope.api_family, limiter=self.limiter, what=what)
        except ApiException as exc:
            if 400 <= (exc.status or 0) < 500:
                return api_error_text(exc)
            raise TargetError(f"Datadog {what} (HTTP {exc.status}): {api_error_text(exc)}") from exc
        return None


def endpoint(api: Any, operation: str) -> Endpoint:
    """The client's ``Endpoint`` behind ``api.<operation>`` (a private attribute, read only here)."""
    found = getattr(api, f"_{operation}_endpoint", None)
    if not isinstance(found, Endpoint):
        raise TypeError(f"{type(api).__name__} has no endpoint for operation {operation!r}")
    return found
