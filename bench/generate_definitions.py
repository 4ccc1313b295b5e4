"""Generate a large, valid definitions set for load and validation benchmarks.

Usage: python -m bench.generate_definitions OUT_DIR [--monitors N] [--per-file K]

The set reuses the example process, team and on-call files and adds N
monitors over a handful of services, K monitors per file, so the loader's
cost per file and per node are both exercised.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "definitions"
SHARED_FILES = ("process.yaml", "teams.yaml", "oncall.yaml")
SERVICES = 10

_SERVICE = """  - name: svc-{i}
    title: Service {i}
    team: identity
    environment: production
    description: Generated service {i}.
    runbook: https://example.com/runbooks/svc-{i}
    users_per_hour: {traffic}
    pagerduty:
      escalation_policy: identity-escalation
"""

_MONITOR = """  - name: mon-{i}
    title: Generated monitor {i}
    service: svc-{svc}
    query: sum:app.requests.errors{{service:svc-{svc},route:r{i}}}.as_count()
    aggregation: sum
    window: {window}
    comparator: ">"
    thresholds: {{critical: {crit}, warning: {warn}, recovery: {rec}}}
    {rating}
    runbook: https://example.com/runbooks/mon-{i}
    tags: [generated, "route:r{i}"]
"""


def generate(out: Path, monitors: int, per_file: int = 500) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name in SHARED_FILES:
        shutil.copyfile(EXAMPLE / name, out / name)
    services = "services:\n" + "".join(_SERVICE.format(i=i, traffic=1000 * (i + 1)) for i in range(SERVICES))
    (out / "services.yaml").write_text(services, encoding="utf-8")
    for start in range(0, monitors, per_file):
        chunk = []
        for i in range(start, min(start + per_file, monitors)):
            rating = "severity: sev2" if i % 3 else f"impact: {{users_per_hour: {i % 2000}}}"
            chunk.append(
                _MONITOR.format(
                    i=i,
                    svc=i % SERVICES,
                    window=("5m", "15m", "30m")[i % 3],
                    crit=100 + i % 50,
                    warn=50 + i % 40,
                    rec=90 + i % 10,
                    rating=rating,
                )
            )
        (out / f"monitors-{start // per_file:04d}.yaml").write_text("monitors:\n" + "".join(chunk), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--monitors", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=500)
    args = parser.parse_args()
    generate(args.out, args.monitors, args.per_file)
    print(f"wrote {args.monitors} monitors to {args.out}")


if __name__ == "__main__":
    main()
