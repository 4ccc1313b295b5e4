"""How the two real clients must be configured so that alertc's limiter and retry policy are in charge.

Left alone, python-pagerduty 7.2 retries HTTP 429 forever with an uncapped
``1.5·2ⁿ`` sleep that ignores ``ratelimit-reset`` (``api_client.py``
``ApiClient.request``), and urllib3 under datadog-api-client silently retries
connection errors three times (``Retry.DEFAULT``), while ``enable_retry=True``
would also retry POSTs. Both are switched off here, and a hook on each client
feeds the rate-limit headers of *every* response to the limiter.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import urllib3.util

from compiler.events import Observer, RequestSent, ignore
from compiler.providers.families import PAGERDUTY_FAMILY, ApiFamilies
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RateLimited

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0


def datadog_no_retry() -> urllib3.util.Retry:
    """A urllib3 policy that never retries, so each attempt is counted by ``RetryPolicy``."""
    return urllib3.util.Retry(
        total=0,
        connect=0,
        read=0,
        redirect=0,
        status=0,
        other=0,
        raise_on_redirect=False,
        raise_on_status=False,
        respect_retry_after_header=False,
    )


def datadog_configuration_kwargs(
    *, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT
) -> dict[str, Any]:
    """Keyword arguments for ``datadog_api_client.Configuration`` (besides host and keys).

    ``retry_policy`` overrides ``enable_retry``/``max_retries`` entirely
    (``rest.py`` ``RESTClientObject.__init__``); ``enable_retry`` is set False
    as well so the intent is explicit. ``is_iac`` adds ``X-Datadog-Managed-By: iac``.
    """
    return {
        "enable_retry": False,
        "retry_policy": datadog_no_retry(),
        "request_timeout": (connect_timeout, read_timeout),
        "is_iac": True,
    }


class WriteForbidden(RuntimeError):
    """Raised when a read-only client (drift) is asked to send anything but GET or HEAD."""


def _refuse_writes(method: str, url: str) -> None:
    if method.upper() not in ("GET", "HEAD"):
        raise WriteForbidden(f"read-only session refused {method} {url}")


def request_path(url: str) -> str:
    """The path of a request URL, without host or query: what ``-v`` shows of a request."""
    return urlsplit(str(url)).path or "/"


def install_datadog_hooks(
    api_client: Any,
    limiter: RateLimiter,
    families: ApiFamilies,
    *,
    read_only: bool = False,
    observer: Observer = ignore,
) -> None:
    """Feed every Datadog response's headers to ``limiter`` (wraps ``api_client.rest_client.request``).

    Wrapping the REST layer also covers the client's ``*_with_pagination``
    helpers, which never return headers to the caller. ``families`` says which bucket a
    request's path is observed under (the registry's table, built from the kinds' API paths).
    ``read_only`` refuses every non-GET request before it is sent. ``observer`` is told of
    every request (method and path).
    """
    rest = api_client.rest_client
    original: Callable[..., Any] = rest.request

    def request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if read_only:
            _refuse_writes(method, url)
        family = families.family_for(url)
        started = time.monotonic()
        try:
            response = original(method, url, *args, **kwargs)
        except Exception as exc:
            status = getattr(exc, "status", None)
            if isinstance(status, int) and status > 0:  # an HTTP response, not a transport failure
                limiter.count_response()
            limiter.observe(family, getattr(exc, "headers", None), status if isinstance(status, int) else None)
            code = status if isinstance(status, int) and status > 0 else None
            observer(RequestSent("datadog", method.upper(), request_path(url), code, time.monotonic() - started))
            raise
        limiter.count_response()
        limiter.observe(family, getattr(response, "headers", None), getattr(response, "status", None))
        status = getattr(response, "status", None)
        seconds = time.monotonic() - started
        observer(RequestSent("datadog", method.upper(), request_path(url), status, seconds))
        return response

    rest.request = request


def configure_pagerduty_client(
    client: Any,
    limiter: RateLimiter,
    *,
    timeout: float = READ_TIMEOUT,
    read_only: bool = False,
    observer: Observer = ignore,
) -> None:
    """Take retries away from a ``pagerduty.RestApiV2Client`` and feed headers to ``limiter``.

    * ``retry = {}``: no per-status retries (5xx are returned, then raised by ``r*``/``j*``).
    * ``max_network_attempts = 0``: a transport error raises ``pagerduty.Error`` at once
      (the ``httpx2.TransportError`` is its ``__cause__``).
    * ``postprocess`` hook: runs inside the client's retry loop on every response; on a 429 it
      raises ``RateLimited``, which escapes the loop that would otherwise retry forever.
    * ``sleep_timer = 0``: belt and braces should a 429 ever reach the client's own branch.
    * ``read_only``: every non-GET request fails before it is sent (drift).
    * ``observer``: told of every response (method and path of its request).
    """
    client.retry = {}
    client.max_network_attempts = 0
    client.max_http_attempts = 0
    client.sleep_timer = 0.0
    client.timeout = timeout
    original: Callable[..., Any] = client.postprocess

    def postprocess(response: Any, *args: Any, **kwargs: Any) -> None:
        original(response, *args, **kwargs)
        limiter.count_response()
        limiter.observe(PAGERDUTY_FAMILY, response.headers, response.status_code)
        observer(_pagerduty_request(response))
        if response.status_code == 429:
            raise RateLimited(response.status_code, dict(response.headers))

    client.postprocess = postprocess
    if read_only:
        send: Callable[..., Any] = client.request

        def request(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            _refuse_writes(method, url)
            return send(method, url, *args, **kwargs)

        client.request = request


def _pagerduty_request(response: Any) -> RequestSent:
    request = getattr(response, "request", None)
    try:
        seconds = float(response.elapsed.total_seconds())
    except (AttributeError, RuntimeError):  # httpx2 knows the time only once the body is read
        seconds = 0.0
    return RequestSent(
        "pagerduty",
        str(getattr(request, "method", "?")).upper(),
        request_path(str(getattr(request, "url", ""))),
        response.status_code,
        seconds,
    )
