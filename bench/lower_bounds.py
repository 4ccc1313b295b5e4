"""What a plan must cost at least, and what Terraform's refresh would cost (both computed, not measured).

``requests_lower_bound``: every list endpoint alertc reads, page by page at its
largest page size, plus the reads no list can replace. Datadog's lists end on a
short page (one more request when a count is an exact multiple of the page
size); PagerDuty's say ``more: false`` on the last one. Datadog's PagerDuty
service objects are read with the one bulk ``GET /api/v1/integration/pagerduty``.
Datadog's dashboard list answers summaries without widgets, so each managed
dashboard is also read whole, one ``GET`` each (every workload dashboard is managed).

Terraform's refresh reads each resource with its own GET, ``-parallelism=10``
by default: at a fixed latency that is ``ceil(objects / 10) × latency`` of wall
time at best (no client CPU, no rate limit counted).
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

# sandbox store kind → (api, list endpoint, page size, pagination style)
LISTS: dict[str, tuple[str, str, int, str]] = {
    "dd_monitor": ("datadog", "GET /api/v1/monitor", 1000, "short-page"),
    "dd_slo": ("datadog", "GET /api/v1/slo", 1000, "short-page"),
    "dd_downtime": ("datadog", "GET /api/v2/downtime", 100, "short-page"),
    "dd_service_definition": ("datadog", "GET /api/v2/services/definitions", 100, "short-page"),
    "dd_dashboard": ("datadog", "GET /api/v1/dashboard", 100, "short-page"),
    "pd_user": ("pagerduty", "GET /users", 100, "more"),
    "pd_schedule": ("pagerduty", "GET /schedules", 100, "more"),
    "pd_escalation_policy": ("pagerduty", "GET /escalation_policies", 100, "more"),
    "pd_service": ("pagerduty", "GET /services", 100, "more"),
    "pd_maintenance_window": ("pagerduty", "GET /maintenance_windows", 100, "more"),
    "pd_team": ("pagerduty", "GET /teams", 100, "more"),
}
BULK_READS = {
    "datadog": {
        "GET /api/v1/integration/pagerduty": 1,
        # Datadog's incident configuration lists are not paged
        "GET /api/v2/incidents/config/notification-rules": 1,
        "GET /api/v2/incidents/config/notification-templates": 1,
        "GET /api/v2/incidents/config/postmortem-templates": 1,
    }
}
# sandbox store kind → (api, endpoint): kinds whose list answers summaries, read whole one by one (all managed)
ONE_BY_ONE: dict[str, tuple[str, str]] = {"dd_dashboard": ("datadog", "GET /api/v1/dashboard/{id}")}
TERRAFORM_PARALLELISM = 10


def pages(count: int, size: int, style: str) -> int:
    if style == "short-page":
        return count // size + 1
    return max(1, math.ceil(count / size))


def store_counts(state: Path) -> dict[str, int]:
    """Objects per sandbox store kind, read from a (stopped or running) sandbox's SQLite file."""
    db = sqlite3.connect(f"file:{state / 'sandbox.sqlite3'}?mode=ro", uri=True)
    try:
        return {str(k): int(n) for k, n in db.execute("SELECT kind, COUNT(*) FROM objects GROUP BY kind")}
    finally:
        db.close()


def plan_lower_bound(counts: dict[str, int]) -> dict[str, Any]:
    endpoints: dict[str, dict[str, int]] = {"datadog": {}, "pagerduty": {}}
    for kind, (api, endpoint, size, style) in LISTS.items():
        endpoints[api][endpoint] = pages(counts.get(kind, 0), size, style)
    for api, reads in BULK_READS.items():
        endpoints[api].update(reads)
    for kind, (api, endpoint) in ONE_BY_ONE.items():
        endpoints[api][endpoint] = counts.get(kind, 0)
    by_api = {api: sum(e.values()) for api, e in endpoints.items()}
    return {"total": sum(by_api.values()), "by_api": by_api, "endpoints": endpoints}


def terraform_refresh(objects: int, latency_ms: float) -> dict[str, Any]:
    return {
        "computed": True,
        "requests": objects,
        "parallelism": TERRAFORM_PARALLELISM,
        "wall_s": round(math.ceil(objects / TERRAFORM_PARALLELISM) * latency_ms / 1000, 2),
    }
