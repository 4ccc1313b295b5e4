"""Sandbox CPU per plan-shaped read at growing sizes (issue 15: the sandbox must scale linearly).

Usage: python -m bench.sandbox_scaling [--sizes 1000,3000,10000] [--format json|table]

For each size N it starts a sandbox in its own process (rate limits lifted), creates about N objects in
the W10k shape through the APIs (10 monitors : 1 SLO : 3 SLO alerts : 0.5 PagerDuty service, each with
its escalation policy, schedule, Datadog PagerDuty service object and service definition), then measures
the sandbox process's CPU time (user + system, from /proc) while a client makes the reads `alertc plan`
makes: every list endpoint page by page at its largest page size, plus the per-service reads.
Creation is not measured. The numbers are CPU seconds of the sandbox alone, not client wall time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

_SERVER = """
import json, sys
from pathlib import Path
from compiler.sandbox import RateLimitConfig, Limit, start_embedded
limits = RateLimitConfig(datadog={f: Limit(10**9, 60) for f in ("monitor_api", "slo_api", "downtime_api",
         "service_definition_api", "pagerduty_api", "")}, pagerduty_per_minute=10**9, events_per_minute=10**9)
sb = start_embedded(Path(sys.argv[1]), rate_limits=limits)
print(json.dumps({"url": sb.datadog_url, "ca": str(sb.ca_file), **sb.credentials}), flush=True)
sys.stdin.read()
sb.stop()
"""
ACCEPT = "application/vnd.pagerduty+json;version=2"


class Client:
    def __init__(self, info: dict[str, Any]) -> None:
        self.port = int(info["url"].rsplit(":", 1)[1])
        self.ctx = ssl.create_default_context(cafile=info["ca"])
        self.dd = {"DD-API-KEY": info["datadog_api_key"], "DD-APPLICATION-KEY": info["datadog_app_key"]}
        self.pd = {"Authorization": f"Token token={info['pagerduty_token']}", "Accept": ACCEPT,
                   "From": info["pagerduty_from"]}  # fmt: skip
        self.local = threading.local()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        headers = {**(self.dd if path.startswith("/api/") else self.pd), "Content-Type": "application/json"}
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx)
            try:
                conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):  # the server closed an idle keep-alive
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        if resp.status >= 300:
            raise RuntimeError(f"{method} {path}: {resp.status} {raw[:300]!r}")
        return json.loads(raw) if raw else None


def populate(c: Client, n: int, pool: ThreadPoolExecutor) -> int:
    monitors, slos, services = max(1, n * 10 // 17), max(1, n // 17), max(1, n // 34)
    user = c.call("GET", "/users?limit=1")["users"][0]["id"]

    def monitor(i: int) -> None:
        c.call("POST", "/api/v1/monitor", {"name": f"m{i}", "type": "metric alert", "tags": ["managed-by:alertc"],
               "query": f"avg(last_5m):avg:app.errors{{route:r{i}}} > {10 + i % 7}",
               "options": {"thresholds": {"critical": 10 + i % 7}}})  # fmt: skip

    def slo(i: int) -> None:
        made = c.call("POST", "/api/v1/slo", {"name": f"s{i}", "type": "metric", "tags": ["managed-by:alertc"],
                      "query": {"numerator": f"sum:app.ok{{r:{i}}}.as_count()",
                                "denominator": f"sum:app.all{{r:{i}}}.as_count()"},
                      "thresholds": [{"timeframe": "30d", "target": 99.9}]})  # fmt: skip
        sid = made["data"][0]["id"]
        for long_w, short_w, rate in (("1h", "5m", 14.4), ("6h", "30m", 6), ("1d", "2h", 3)):
            c.call("POST", "/api/v1/monitor", {"name": f"s{i} {long_w}", "type": "slo alert",
                   "tags": ["managed-by:alertc"], "options": {"thresholds": {"critical": rate}},
                   "query": f'burn_rate("{sid}").over("30d").long_window("{long_w}").short_window("{short_w}")'
                            f" > {rate}"})  # fmt: skip

    def service(i: int) -> None:
        layer = {
            "start": "2026-01-05T00:00:00Z",
            "rotation_virtual_start": "2026-01-05T00:00:00Z",
            "rotation_turn_length_seconds": 604800,
            "users": [{"user": {"type": "user_reference", "id": user}}],
        }
        sched = c.call("POST", "/schedules", {"schedule": {"type": "schedule", "name": f"on-call {i}",
                       "time_zone": "Etc/UTC", "schedule_layers": [layer]}})["schedule"]  # fmt: skip
        rule = {"escalation_delay_in_minutes": 30,
                "targets": [{"type": "schedule_reference", "id": sched["id"]}]}  # fmt: skip
        ep = c.call("POST", "/escalation_policies", {"escalation_policy": {"type": "escalation_policy",
                    "name": f"ep {i}", "escalation_rules": [rule]}})["escalation_policy"]  # fmt: skip
        svc = c.call(
            "POST",
            "/services",
            {
                "service": {
                    "type": "service",
                    "name": f"svc {i}",
                    "escalation_policy": {"type": "escalation_policy_reference", "id": ep["id"]},
                }
            },
        )["service"]
        c.call("POST", "/api/v1/integration/pagerduty/configuration/services",
               {"service_name": f"svc-{i}", "service_key": f"{i:032x}"})  # fmt: skip
        c.call("POST", "/api/v2/services/definitions", {"schema-version": "v2.2", "dd-service": f"svc-{i}",
               "team": "identity"})  # fmt: skip
        del svc

    list(pool.map(monitor, range(monitors)))
    list(pool.map(slo, range(slos)))
    list(pool.map(service, range(services)))
    return monitors + slos * 4 + services * 5


def plan_reads(c: Client) -> int:
    """The reads of a no-change plan; returns the number of requests."""
    count = 0

    def dd_pages(path: str, size_param: str, size: int, page_param: str, by_offset: bool, key: str | None) -> None:
        nonlocal count
        page = 0
        while True:
            start = page * size if by_offset else page
            got = c.call("GET", f"{path}?{size_param}={size}&{page_param}={start}")
            count += 1
            items = got if key is None else got[key]
            if len(items) < size:
                return
            page += 1

    dd_pages("/api/v1/monitor", "page_size", 1000, "page", False, None)
    dd_pages("/api/v1/slo", "limit", 1000, "offset", True, "data")
    dd_pages("/api/v2/downtime", "page[limit]", 100, "page[offset]", True, "data")
    dd_pages("/api/v2/services/definitions", "page[size]", 100, "page[number]", False, "data")
    services: list[dict[str, Any]] = []
    for kind in ("services", "escalation_policies", "schedules"):
        offset = 0
        while True:
            got = c.call("GET", f"/{kind}?limit=100&offset={offset}")
            count += 1
            if kind == "services":
                services += got[kind]
            if not got["more"]:
                break
            offset += 100
    for i in range(len(services)):
        c.call("GET", f"/api/v1/integration/pagerduty/configuration/services/svc-{i}")
        count += 1
    return count


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([sys.executable, "-c", _SERVER, tmp], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True)  # fmt: skip
        assert proc.stdout is not None and proc.stdin is not None
        try:
            c = Client(json.loads(proc.stdout.readline()))
            with ThreadPoolExecutor(4) as pool:
                objects = populate(c, n, pool)
            before = cpu_seconds(proc.pid)
            requests = plan_reads(c)
            used = cpu_seconds(proc.pid) - before
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
    return {"objects": objects, "requests": requests, "sandbox_cpu_s": round(used, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    args = parser.parse_args()
    rows = [measure(int(s)) for s in args.sizes.split(",")]
    if args.format == "json":
        print(json.dumps(rows))
        return
    print("| objects | plan requests | sandbox CPU s |\n|---:|---:|---:|")
    for r in rows:
        print(f"| {r['objects']:,} | {r['requests']:,} | {r['sandbox_cpu_s']} |")


if __name__ == "__main__":
    main()
