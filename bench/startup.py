"""Benchmark: how long the ``alertc`` command takes to start and answer, as a person or a hook runs it.

Usage: python -m bench.startup [--runs 10] [--warmup 2] [--monitors 10000]

Each case runs the installed console script (the ``alertc`` beside this
Python) in a fresh process, ``--warmup`` times unmeasured (the filesystem
cache and byte-code), then ``--runs`` times measured, like hyperfine; it prints
the median, the fastest and the slowest, and the goal of issue 26. Speed
depends on how busy the machine is, so nothing here fails on a slow figure:
the numbers go to the README, and a test (tests/test_startup_imports.py)
guards what makes them, the modules each command imports.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generate_definitions import generate

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    name: str
    args: list[str]
    goal: float  # seconds, the median to stay under


def alertc_command() -> list[str]:
    """The console script installed next to this interpreter (what a user runs), else ``python -m compiler``."""
    script = Path(sys.executable).with_name("alertc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "compiler"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], runs: int, warmup: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (user + system) of each measured run.

    The CPU time barely moves when other processes share the machine; the wall time is the goal's measure.
    """
    # As an installed alertc runs: with byte-code (pip compiles it at install; the warm-up writes it here).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["ALERTC_NOW"] = "2026-11-23T00:00:00+00:00"
    walls: list[float] = []
    cpus: list[float] = []
    for index in range(warmup + runs):
        cpu_before = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr[-2000:]}")
        if index >= warmup:
            walls.append(elapsed)
            cpus.append(_children_cpu() - cpu_before)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--monitors", type=int, default=10_000)
    args = parser.parse_args()
    alertc = alertc_command()
    with tempfile.TemporaryDirectory() as tmp:
        big = generate(Path(tmp) / "big", monitors=args.monitors)
        cases = [
            Case("alertc --version", ["--version"], 0.15),
            Case("alertc validate (definitions/, the example)", ["validate", "-d", "definitions"], 0.4),
            Case(f"alertc validate ({args.monitors:,} monitors)", ["validate", "-d", str(big)], 2.0),
        ]
        load = os.getloadavg()[0]
        print(f"{args.runs} runs after {args.warmup} warm-up; load average {load:.2f} on {os.cpu_count()} cores")
        print(f"{'command':<46} {'median':>8} {'min':>8} {'max':>8} {'cpu med':>8}  goal (median)")
        for case in cases:
            walls, cpus = measure([*alertc, *case.args], args.runs, args.warmup)
            median = statistics.median(walls)
            verdict = "ok" if median <= case.goal else "OVER"
            print(
                f"{case.name:<46} {median:>7.3f}s {min(walls):>7.3f}s {max(walls):>7.3f}s "
                f"{statistics.median(cpus):>7.3f}s  <= {case.goal:.2f} s {verdict}"
            )


if __name__ == "__main__":
    main()
