"""Requests counted per API endpoint, for benchmarks (`/_sandbox/stats`).

An endpoint is the route template the request matched (`GET /api/v1/monitor/{monitor_id}`),
so 10,000 monitor reads count as one line, not 10,000. Counts are per sandbox
process (in memory); injected faults count too, since the client did send them.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from compiler.sandbox import datadog, pagerduty
from compiler.sandbox.routing import Router


def _api_of(path: str) -> tuple[str, Router | None]:
    if path.startswith("/api/"):
        return "datadog", datadog.ROUTER
    if path.startswith("/v2/enqueue"):
        return "events", None
    return "pagerduty", pagerduty.ROUTER


def endpoint_of(method: str, path: str) -> tuple[str, str]:
    """(api, "METHOD /template"); unknown paths are grouped under `(unrouted)`."""
    api, router = _api_of(path)
    if router is None:
        return api, f"{method} /v2/enqueue"
    found = router.match(method, path)
    if found is None or isinstance(found, bool):
        return api, f"{method} (unrouted)"
    return api, f"{method} {found[0].template}"


class RequestStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()

    def count(self, method: str, path: str) -> None:
        key = endpoint_of(method, path)
        with self._lock:
            self._counts[key] += 1

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    def snapshot(self) -> dict[str, Any]:
        """`{"total": N, "by_api": {"datadog": N}, "endpoints": {"datadog": {"GET /api/v1/monitor": N}}}`."""
        with self._lock:
            items = sorted(self._counts.items())
        by_api: Counter[str] = Counter()
        endpoints: dict[str, dict[str, int]] = {}
        for (api, endpoint), n in items:
            by_api[api] += n
            endpoints.setdefault(api, {})[endpoint] = n
        return {"total": sum(by_api.values()), "by_api": dict(sorted(by_api.items())), "endpoints": endpoints}
