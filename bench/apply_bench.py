"""``python -m bench apply``: plan and apply N new monitors at a fixed latency, against the rate-limit floor.

The base account is W1k without its monitors (50 PagerDuty services with their
policies, schedules and integrations, 100 SLOs with their burn-rate alerts),
seeded once. Each run copies it, starts a standalone sandbox with its default
rate limits at ``--latency-ms``, and times two alertc processes:

- the first plan of the N new monitors (each is checked with Datadog's validate
  endpoint during plan), against the validate endpoint's rate floor;
- the apply of that plan, against the create endpoint's rate floor.

A floor is the largest ``requests × period / limit`` over the rate-limit
buckets the run's requests fell in (the sandbox's default limits, as a real
account's negotiated ones would be): the fastest a client can go for long
without a 429.
"""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.measure import copy_state, run_alertc
from bench.plan_bench import requests_of, wall
from bench.sandbox_process import SandboxProcess
from bench.seed import cached_state
from bench.workloads import get_workload, write_definitions
from compiler.sandbox import RateLimitConfig

BASE = "w1k"
SUMMARY = re.compile(r"Apply: (?P<applied>\d+) applied, (?P<failed>\d+) failed, (?P<skipped>\d+) not applied")


DATADOG_FAMILIES = (
    ("/api/v1/monitor", "monitor_api"),
    ("/api/v1/slo", "slo_api"),
    ("/api/v2/downtime", "downtime_api"),
    ("/api/v2/services/definitions", "service_definition_api"),
    ("/api/v1/integration/pagerduty", "integration_pagerduty_api"),
)


def rate_floor_s(requests: dict[str, Any]) -> float:
    """The slowest rate-limit bucket's floor for the requests a run sent: max of requests × period / limit."""
    config = RateLimitConfig()
    per_bucket: dict[str, float] = {}
    for api, endpoints in dict(requests.get("endpoints", {})).items():
        for endpoint, count in endpoints.items():
            path = endpoint.split(" ", 1)[1]
            if api == "datadog":
                family = next((f for prefix, f in DATADOG_FAMILIES if path.startswith(prefix)), "")
                limit = config.datadog.get(family)
                key, seconds = f"datadog:{family}", count * limit.period_s / limit.limit if limit else 0.0
            else:
                key, seconds = api, count * 60 / config.pagerduty_per_minute
            per_bucket[key] = per_bucket.get(key, 0.0) + seconds
    return round(max(per_bucket.values(), default=0.0), 2)


def writes_only(requests: dict[str, Any]) -> dict[str, Any]:
    """The same request counts without the reads: the floor of what the run wrote.

    An apply also reads (before each create, the look for its key that keeps two applies from making
    the object twice); in a fixed window those reads fit in the budget, so the writes' floor is the
    figure comparable with the writes' own rate limit.
    """
    endpoints = {
        api: {endpoint: n for endpoint, n in counts.items() if not endpoint.startswith("GET ")}
        for api, counts in dict(requests.get("endpoints", {})).items()
    }
    return {"endpoints": endpoints}


def statuses(counts: dict[str, int], status: int) -> int:
    return sum(n for key, n in counts.items() if key.split(" ", 2)[1] == str(status))


def endpoint_count(requests: dict[str, Any], endpoint: str) -> int:
    return sum(int(e.get(endpoint, 0)) for e in dict(requests.get("endpoints", {})).values())


def apply_benchmark(*, creates: int, latency_ms: float, runs: int) -> dict[str, Any]:
    base = get_workload(BASE)
    _, state = cached_state(base, monitors=0)
    plans: list[dict[str, Any]] = []
    applies: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="alertc-bench-") as tmp:
        work = Path(tmp)
        defs = write_definitions(base, work / "definitions", monitors=creates)
        for _ in range(runs):
            live_state = copy_state(state, work / "state")
            with SandboxProcess(live_state, latency_ms=latency_ms) as sandbox:
                env = sandbox.alertc_environment()
                sandbox.reset_counts()
                plan = run_alertc(
                    ["plan", "-d", str(defs), "-o", "bench.plan.json", "--detailed-exitcode"], env=env, cwd=work
                ).check(2)
                plan_requests = requests_of(sandbox, plan)
                plan_counts = sandbox.counts()
                sandbox.reset_counts()
                cpu_before = sandbox.cpu_seconds()
                applied = run_alertc(["apply", "bench.plan.json", "-d", str(defs)], env=env, cwd=work)
                sandbox_cpu = sandbox.cpu_seconds() - cpu_before
                apply_requests = requests_of(sandbox, applied)
                apply_counts = sandbox.counts()
            summary = SUMMARY.search(applied.stdout + applied.stderr)
            plans.append({"run": plan, "requests": plan_requests, "counts": plan_counts})
            applies.append(
                {
                    "run": applied,
                    "requests": apply_requests,
                    "counts": apply_counts,
                    "sandbox_cpu_s": sandbox_cpu,
                    "failed": int(summary["failed"]) + int(summary["skipped"]) if summary else creates,
                }
            )
    apply_wall = wall([a["run"].wall_s for a in applies])
    plan_wall = wall([p["run"].wall_s for p in plans])
    # The floors of what the runs sent: adding the monitors also updates existing objects (the 50
    # services' urgency, and monitors whose compiled body depends on the new ones), in the same buckets.
    floor = rate_floor_s(applies[-1]["requests"])
    writes_floor = rate_floor_s(writes_only(applies[-1]["requests"]))
    validations = endpoint_count(plans[-1]["requests"], "POST /api/v1/monitor/validate") + endpoint_count(
        plans[-1]["requests"], "POST /api/v1/monitor/{monitor_id}/validate"
    )
    validate_floor = rate_floor_s(plans[-1]["requests"])
    return {
        "benchmark": "apply",
        "workload": f"{creates} monitor creates on {BASE} without monitors",
        "objects": creates,
        "latency_ms": latency_ms,
        "wall_s": apply_wall,
        "floor_s": floor,
        "wall_vs_floor": round(apply_wall["median"] / floor, 2) if floor else None,
        "writes_floor_s": writes_floor,
        "wall_vs_writes_floor": round(apply_wall["median"] / writes_floor, 2) if writes_floor else None,
        "http_429": max(statuses(a["counts"], 429) for a in applies),
        "failed": max(a["failed"] for a in applies),
        "requests": applies[-1]["requests"],
        "peak_rss_mb": round(max(a["run"].peak_rss_mb for a in applies), 1),
        "client_cpu_s": round(statistics.median(a["run"].cpu_s for a in applies), 2),
        "sandbox_cpu_s": round(statistics.median(a["sandbox_cpu_s"] for a in applies), 2),
        "first_plan": {
            "wall_s": plan_wall,
            "validate_requests": validations,
            "validate_floor_s": validate_floor,
            "wall_vs_validate_floor": round(plan_wall["median"] / validate_floor, 2) if validate_floor else None,
            "http_429": max(statuses(p["counts"], 429) for p in plans),
            "requests": plans[-1]["requests"],
            "peak_rss_mb": round(max(p["run"].peak_rss_mb for p in plans), 1),
        },
    }
