"""``python -m bench plan``: a no-change ``alertc plan`` of a seeded workload at a fixed latency.

Each run is a fresh ``alertc plan`` process against the same standalone sandbox
(default rate limits, ``--latency-ms`` on every request). The first run must
report no changes (``--detailed-exitcode`` 0); otherwise the cached seed is
stale and is rebuilt once.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path
from typing import Any

from bench.lower_bounds import plan_lower_bound, store_counts, terraform_refresh
from bench.measure import Run, copy_state, run_alertc
from bench.sandbox_process import SandboxProcess
from bench.seed import cached_state
from bench.workloads import Workload


def requests_of(sandbox: SandboxProcess, run: Run) -> dict[str, Any]:
    """Requests of one run by API and endpoint: the sandbox's own counter, else its responses by endpoint."""
    stats = sandbox.stats()
    if stats is not None:
        return {"source": "/_sandbox/stats", **stats}
    counts = sandbox.counts()
    endpoints: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        api, _status, endpoint = key.split(" ", 2)
        endpoints.setdefault(api, {})
        endpoints[api][endpoint] = endpoints[api].get(endpoint, 0) + n
    by_api = {api: sum(e.values()) for api, e in endpoints.items()}
    return {"source": "sandbox responses", "total": sum(by_api.values()), "by_api": by_api, "endpoints": endpoints}


def wall(values: list[float]) -> dict[str, Any]:
    return {
        "min": round(min(values), 2),
        "median": round(statistics.median(values), 2),
        "runs": [round(v, 2) for v in values],
    }


def run_plans(w: Workload, defs: Path, state: Path, latency_ms: float, runs: int) -> dict[str, Any] | None:
    """The measurement; None when the seeded state does not match the definitions (plan finds changes)."""
    with tempfile.TemporaryDirectory(prefix="alertc-bench-") as tmp:
        work = Path(tmp)
        live_state = copy_state(state, work / "state")
        counts = store_counts(live_state)
        results: list[tuple[Run, dict[str, Any], float]] = []
        with SandboxProcess(live_state, latency_ms=latency_ms) as sandbox:
            env = sandbox.alertc_environment()
            for i in range(runs):
                sandbox.reset_counts()
                cpu_before = sandbox.cpu_seconds()
                run = run_alertc(
                    ["plan", "-d", str(defs), "-o", "bench.plan.json", "--detailed-exitcode"], env=env, cwd=work
                )
                sandbox_cpu = sandbox.cpu_seconds() - cpu_before
                if i == 0 and run.returncode == 2:
                    return None
                run.check(0)
                results.append((run, requests_of(sandbox, run), sandbox_cpu))
    last_run, requests, _ = results[-1]
    bound = plan_lower_bound(counts)
    return {
        "benchmark": "plan",
        "workload": w.name,
        "objects": w.objects,
        "latency_ms": latency_ms,
        "wall_s": wall([r.wall_s for r, _, _ in results]),
        "requests": requests,
        "requests_reported_by_alertc": last_run.reported_requests(),
        "requests_lower_bound": bound,
        "requests_vs_lower_bound": round(requests["total"] / bound["total"], 2),
        "peak_rss_mb": round(max(r.peak_rss_mb for r, _, _ in results), 1),
        "client_cpu_s": round(statistics.median(r.cpu_s for r, _, _ in results), 2),
        "sandbox_cpu_s": round(statistics.median(c for _, _, c in results), 2),
        "terraform_refresh_lower_bound": terraform_refresh(w.objects, latency_ms),
    }


def plan_benchmark(w: Workload, *, latency_ms: float, runs: int) -> dict[str, Any]:
    defs, state = cached_state(w)
    result = run_plans(w, defs, state, latency_ms, runs)
    if result is None:  # the compiler changed what it applies: seed again, once
        defs, state = cached_state(w, refresh=True)
        result = run_plans(w, defs, state, latency_ms, runs)
    if result is None:
        raise SystemExit(f"{w.name}: a freshly seeded state still plans changes; the seed is not what alertc applies")
    return result
