"""Bodies of real recorded Datadog and PagerDuty objects (tests/fixtures/recordings), to load into a sandbox.

Only request bodies that created an object in the recording (a 2xx answer) are taken (monitors
of several types, metric and time-slice SLOs, downtimes), plus the real VA
PagerDuty services page. Role ids in ``restricted_roles`` name roles of the
recording's org, so they are left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "recordings"


def _cassette_posts(path: str) -> list[dict[str, Any]]:
    out = []
    for cassette in sorted((RECORDINGS / "datadog").glob("v*/*.yaml")):
        for item in yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]:
            request, ok = item["request"], 200 <= item["response"]["status"]["code"] < 300
            if ok and request["method"] == "POST" and request["uri"].split("?")[0].endswith(path) and request["body"]:
                out.append(json.loads(request["body"]))
    return out


def _server_data_posts(name: str, path: str) -> list[dict[str, Any]]:
    data = json.loads((RECORDINGS / "datadog" / "test-server-data" / "v1" / name).read_text(encoding="utf-8"))
    out = []
    for recording in data["recordings"]:
        for item in recording["interactions"]:
            request, ok = item["request"], 200 <= item["response"]["status"] < 300
            if ok and request["method"] == "POST" and request["path"] == path and request["body"].get("type") == "json":
                out.append(request["body"]["value"])
    return out


def _unique_by_name(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for body in bodies:
        seen.setdefault(str(body.get("name")), body)
    return [seen[name] for name in sorted(seen)]


def monitor_bodies() -> list[dict[str, Any]]:
    bodies = _cassette_posts("/api/v1/monitor") + _server_data_posts("monitors.json", "/api/v1/monitor")
    return [{k: v for k, v in b.items() if k != "restricted_roles"} for b in _unique_by_name(bodies)]


def slo_bodies() -> list[dict[str, Any]]:
    bodies = _cassette_posts("/api/v1/slo") + _server_data_posts("service-level-objectives.json", "/api/v1/slo")
    return [b for b in _unique_by_name(bodies) if b.get("type") in ("metric", "time_slice")]


def downtime_bodies() -> list[dict[str, Any]]:
    return _cassette_posts("/api/v2/downtime")


def pagerduty_services() -> list[dict[str, Any]]:
    page = json.loads((RECORDINGS / "pagerduty" / "recorded_va_services_list_page_trimmed.json").read_text("utf-8"))
    return list(page["services"])
