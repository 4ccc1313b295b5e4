"""Benchmark: validating 10,000 monitors, in-process and as the whole ``alertc validate`` command.

Usage: python -m bench.validate_benchmark [--monitors 10000] [--runs 2]

Prints the best of ``--runs`` for each (the first run also warms imports and the
filesystem cache). The figures go to the README's performance table; no test
asserts them, because wall-clock speed depends on how busy the machine is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate_definitions import generate
from compiler.definitions import load_definitions


def time_load(root: Path, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = load_definitions(root)
        best = min(best, time.perf_counter() - started)
        if not result.ok:
            raise SystemExit("generated definitions do not validate: " + result.findings[0].render())
    return best


def time_command(root: Path, runs: int) -> float:
    env = {**os.environ, "ALERTC_NOW": "2026-11-23T00:00:00+00:00"}
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "compiler.cli", "validate", "-d", str(root)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        best = min(best, time.perf_counter() - started)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--monitors", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "big", monitors=args.monitors)
        loaded = time_load(root, args.runs)
        command = time_command(root, args.runs)
    print(f"validate {args.monitors} monitors: load and check in-process {loaded:.2f} s (best of {args.runs})")
    print(f"validate {args.monitors} monitors: whole 'alertc validate' {command:.2f} s (best of {args.runs})")


if __name__ == "__main__":
    main()
