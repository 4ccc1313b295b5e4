"""Benchmark: plan against a large managed account in the sandbox, counting HTTP requests.

Usage: python -m bench.plan_benchmark [--monitors 1000] [--slos 200] [--services 50]

It generates a definition set of that size, applies it to a fresh embedded
sandbox (not timed), then times `alertc plan` (no changes expected) and
reports its wall time and the HTTP requests it made per API.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate_definitions import EXAMPLE, SHARED_FILES

_SERVICE = """  - name: svc-{i}
    title: Service {i}
    team: identity
    environment: production
    users_per_hour: {traffic}
    runbook: https://example.com/runbooks/svc-{i}
    pagerduty:
      escalation_policy: identity-escalation
"""
_MONITOR = """  - name: mon-{i}
    title: Generated monitor {i}
    service: svc-{svc}
    query: sum:app.requests.errors{{service:svc-{svc},route:r{i}}}.as_count()
    aggregation: sum
    window: 5m
    comparator: ">"
    thresholds: {{critical: {crit}}}
    severity: sev2
"""
_SLO = """  - name: slo-{i}
    service: svc-{svc}
    type: metric
    good: sum:app.requests{{service:svc-{svc},route:r{i},!status:5xx}}.as_count()
    total: sum:app.requests{{service:svc-{svc},route:r{i}}}.as_count()
    target: 99.9%
    alerting: {{enabled: false}}
"""


def generate(out: Path, monitors: int, slos: int, services: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name in SHARED_FILES:
        shutil.copyfile(EXAMPLE / name, out / name)
    (out / "services.yaml").write_text(
        "services:\n" + "".join(_SERVICE.format(i=i, traffic=500 * (i + 1)) for i in range(services)), "utf-8"
    )
    (out / "monitors.yaml").write_text(
        "monitors:\n" + "".join(_MONITOR.format(i=i, svc=i % services, crit=10 + i % 7) for i in range(monitors)),
        "utf-8",
    )
    (out / "slos.yaml").write_text(
        "slos:\n" + "".join(_SLO.format(i=i, svc=i % services) for i in range(slos)), "utf-8"
    )
    return out


def _alertc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "PAGERDUTY_", "ALERTC_"))}
    return subprocess.run(
        [sys.executable, "-m", "compiler.cli", *args, "--target", "sandbox"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--slos", type=int, default=200)
    parser.add_argument("--services", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        defs = generate(work / "defs", args.monitors, args.slos, args.services)
        started = time.perf_counter()
        first = _alertc("plan", "-d", str(defs), "-o", "p.json", cwd=work)
        if first.returncode != 0:
            raise SystemExit(first.stderr)
        applied = _alertc("apply", "p.json", "-d", str(defs), cwd=work)
        if applied.returncode != 0:
            raise SystemExit(applied.stderr[-2000:])
        setup = time.perf_counter() - started
        started = time.perf_counter()
        result = _alertc("plan", "-d", str(defs), "-o", "p2.json", "--detailed-exitcode", cwd=work)
        elapsed = time.perf_counter() - started
        saved_line = next(line for line in result.stderr.splitlines() if line.startswith("Saved "))
        print(
            json.dumps(
                {
                    "monitors": args.monitors,
                    "slos": args.slos,
                    "pagerduty_services": args.services,
                    "setup_plan_and_apply_seconds": round(setup, 1),
                    "plan_seconds_wall_including_process_start": round(elapsed, 2),
                    "plan_exit_code": result.returncode,
                    "requests": saved_line,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
