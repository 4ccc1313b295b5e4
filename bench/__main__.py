"""``python -m bench``: alertc's benchmarks against a standalone sandbox at a fixed latency (issue 15).

\b
  python -m bench plan  --workload w10k --latency-ms 50 --format json
  python -m bench apply --creates 1000 --latency-ms 50 --format json
  python -m bench all   --format table        (what `make bench` runs)
  python -m bench table results/*.json       (the README table from saved results)

Figures, not pass/fail: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench.apply_bench import apply_benchmark
from bench.plan_bench import plan_benchmark
from bench.report import render_table
from bench.workloads import WORKLOADS, get_workload


def _emit(results: list[dict[str, Any]], fmt: str, save: Path | None) -> None:
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        save.write_text(json.dumps(results, indent=2) + "\n")
    if fmt == "json":
        for result in results:
            print(json.dumps(result))
    else:
        print(render_table(results))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--latency-ms", type=float, default=50.0)
        p.add_argument("--runs", type=int, default=3, help="runs per figure (min and median reported)")
        p.add_argument("--format", choices=("json", "table"), default="json")
        p.add_argument("--save", type=Path, default=None, help="also write the results as a JSON list")

    plan = sub.add_parser("plan", help="a no-change plan of a seeded workload")
    plan.add_argument("--workload", default="w10k", choices=sorted(WORKLOADS))
    common(plan)
    apply = sub.add_parser("apply", help="plan and apply N new monitors")
    apply.add_argument("--creates", type=int, default=1000)
    common(apply)
    every = sub.add_parser("all", help="plan W1k/W3k/W10k/W30k and apply 1,000 creates")
    every.add_argument("--workloads", default="w1k,w3k,w10k,w30k")
    every.add_argument("--creates", type=int, default=1000)
    common(every)
    table = sub.add_parser("table", help="render saved JSON results as the README's table")
    table.add_argument("files", nargs="+", type=Path)

    args = parser.parse_args(argv)
    if args.command == "table":
        results: list[dict[str, Any]] = []
        for file in args.files:
            data = json.loads(file.read_text())
            results += data if isinstance(data, list) else [data]
        print(render_table(results))
        return
    if args.command == "plan":
        results = [plan_benchmark(get_workload(args.workload), latency_ms=args.latency_ms, runs=args.runs)]
    elif args.command == "apply":
        results = [apply_benchmark(creates=args.creates, latency_ms=args.latency_ms, runs=args.runs)]
    else:
        results = []
        for name in args.workloads.split(","):
            print(f"plan {name} ...", file=sys.stderr, flush=True)
            results.append(plan_benchmark(get_workload(name), latency_ms=args.latency_ms, runs=args.runs))
        print(f"apply {args.creates} creates ...", file=sys.stderr, flush=True)
        results.append(apply_benchmark(creates=args.creates, latency_ms=args.latency_ms, runs=args.runs))
    _emit(results, args.format, args.save)


if __name__ == "__main__":
    main()
