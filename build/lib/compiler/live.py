"""Reading the whole live state a plan compares against, with a count of the requests it cost.

A session opens the two real clients for a target once, with one rate
limiter per API and one retry policy, and is the only place that knows how
the per-provider readers fit together (PagerDuty services decide who owns the
Datadog PagerDuty service objects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from compiler.plan import LiveObject
from compiler.providers.datadog import DatadogProvider
from compiler.providers.pagerduty import PagerDutyProvider
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RetryPolicy
from compiler.resources import ResourceSet
from compiler.targets import Target

IN_FLIGHT_DATADOG = 4
IN_FLIGHT_PAGERDUTY = 2


@dataclass
class LiveState:
    objects: list[LiveObject]
    users: dict[str, str] = field(default_factory=dict)  # email → PagerDuty user id

    def managed(self) -> dict[str, LiveObject]:
        return {o.address: o for o in self.objects if o.address is not None}

    def lookups(self) -> dict[str, str]:
        """Ids of objects alertc reads but does not manage, by ``lookup:`` address."""
        return {f"lookup:user/{email}": user_id for email, user_id in self.users.items()}


class RequestCounter:
    """Counts HTTP requests per API by observing every response the limiters see."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {"datadog": 0, "pagerduty": 0}

    def wrap(self, limiter: RateLimiter, api: str) -> None:
        original = limiter.observe

        def observe(family: str, headers: Any, status: int | None = None) -> None:
            self.counts[api] += 1
            original(family, headers, status)

        limiter.observe = observe  # type: ignore[method-assign]


@dataclass
class Session:
    target: Target
    datadog: DatadogProvider
    pagerduty: PagerDutyProvider
    requests: RequestCounter


@contextmanager
def open_session(target: Target, *, retry: RetryPolicy | None = None, read_only: bool = False) -> Iterator[Session]:
    """Both providers for ``target``. ``read_only`` makes every non-GET request fail before it is sent."""
    # The low-water mark covers the requests that can be in flight at once (apply runs up to four per
    # kind): a response's remaining count cannot include requests the server has not seen yet.
    dd_limiter = RateLimiter("datadog", low_water=IN_FLIGHT_DATADOG)
    pd_limiter = RateLimiter("pagerduty", low_water=IN_FLIGHT_PAGERDUTY)
    counter = RequestCounter()
    counter.wrap(dd_limiter, "datadog")
    counter.wrap(pd_limiter, "pagerduty")
    policy = retry or RetryPolicy()
    dd_client = target.datadog_client(dd_limiter)
    pd_client = target.pagerduty_client(pd_limiter)
    if read_only:
        _forbid_writes(dd_client, pd_client)
    try:
        yield Session(
            target,
            DatadogProvider(dd_client, dd_limiter, policy),
            PagerDutyProvider(pd_client, pd_limiter, policy),
            counter,
        )
    finally:
        dd_client.close()
        pd_client.close()


class WriteForbidden(RuntimeError):
    """Raised when read-only code (drift) tries to change anything."""


def _read_only(request: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if method.upper() not in ("GET", "HEAD"):
            raise WriteForbidden(f"read-only session refused {method} {url}")
        return request(method, url, *args, **kwargs)

    return guarded


def _forbid_writes(dd_client: Any, pd_client: Any) -> None:
    """Wrap the one request method each client funnels every call through."""
    dd_client.rest_client.request = _read_only(dd_client.rest_client.request)
    pd_client.request = _read_only(pd_client.request)


READ_WORKERS = 4


def read_live(session: Session, desired: ResourceSet) -> LiveState:
    """Every live object of every kind alertc manages, in bulk, the independent lists concurrently."""
    pd = session.pagerduty
    dd = session.datadog
    with ThreadPoolExecutor(max_workers=READ_WORKERS, thread_name_prefix="alertc-read") as pool:
        users_f = pool.submit(pd.read_users)
        pagerduty_f = pool.submit(pd.read)
        datadog_fs = [
            pool.submit(dd.read_monitors),
            pool.submit(dd.read_slos),
            pool.submit(dd.read_downtimes),
            pool.submit(dd.read_service_definitions),
        ]
        objects: list[LiveObject] = list(pagerduty_f.result())
        for future in datadog_fs:
            objects += future.result()
        users = users_f.result()
    owned_services = {o.key for o in objects if o.provider == "pagerduty" and o.kind == "service" and o.key}
    wanted = {r.key for r in desired if r.provider == "datadog" and r.kind == "pagerduty_service_object"}
    objects += dd.read_pagerduty_service_objects(wanted | owned_services, owned_services)
    return LiveState(objects, users)
