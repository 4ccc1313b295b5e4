"""``make fuzz``: a long run of the definitions fuzzer, printing what issue 11 asks for.

    python -m tests.fuzz.long_run --cases 10000 --seed 0 --jobs 2

Case ``i`` of seed ``s`` is drawn from ``random.Random(f"{s}:{i}")``, so any
failure printed here can be replayed alone with ``--only i``. Each worker
runs cases in-process (as the hypothesis test does) under a 4 GB address-space
limit, so a runaway allocation shows up as an internal error rather than as a
swapping machine. Exits 1 if any case had an internal error or hung, or if a
worker's peak RSS passed 256 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz.engine import make_case, run_case

RSS_LIMIT_MB = 256
WORKER_ADDRESS_SPACE = 4 * 1024 * 1024 * 1024


@dataclass
class Tally:
    cases: int = 0
    exits: dict[int, int] = field(default_factory=dict)
    internal_errors: list[str] = field(default_factory=list)
    hangs: list[int] = field(default_factory=list)
    max_rss_mb: float = 0.0


def _worker(args: tuple[int, list[int]]) -> Tally:
    seed, indices = args
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="alertc-fuzz-") as tmp:
        directory = Path(tmp) / "defs"
        for index in indices:
            outcome = run_case(make_case(random.Random(f"{seed}:{index}")), directory)
            tally.cases += 1
            if outcome.hang:
                tally.hangs.append(index)
            elif outcome.internal_error:
                first = next((line for line in outcome.stderr.splitlines() if "error" in line), outcome.stderr[:200])
                tally.internal_errors.append(f"case {index}: exit {outcome.exit_code}: {first}")
            if outcome.exit_code is not None:
                tally.exits[outcome.exit_code] = tally.exits.get(outcome.exit_code, 0) + 1
    tally.max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return tally


def _limit_worker() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_ADDRESS_SPACE, WORKER_ADDRESS_SPACE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", type=int, help="replay one case and print its stderr")
    args = parser.parse_args(argv)

    if args.only is not None:
        with tempfile.TemporaryDirectory(prefix="alertc-fuzz-") as tmp:
            outcome = run_case(make_case(random.Random(f"{args.seed}:{args.only}")), Path(tmp) / "defs")
        print(f"exit {outcome.exit_code}, hang {outcome.hang}\n{outcome.stderr}")
        return 1 if outcome.internal_error else 0

    started = time.monotonic()
    chunks = [(args.seed, list(range(job, args.cases, args.jobs))) for job in range(args.jobs)]
    with multiprocessing.get_context("spawn").Pool(args.jobs, initializer=_limit_worker, maxtasksperchild=1) as pool:
        tallies = pool.map(_worker, chunks)
    wall = time.monotonic() - started

    total = Tally()
    for t in tallies:
        total.cases += t.cases
        total.internal_errors += t.internal_errors
        total.hangs += t.hangs
        total.max_rss_mb = max(total.max_rss_mb, t.max_rss_mb)
        for code, n in t.exits.items():
            total.exits[code] = total.exits.get(code, 0) + n
    for line in total.internal_errors[:20]:
        print(line)
    print(
        f"cases: {total.cases}  internal errors: {len(total.internal_errors)}  hangs: {len(total.hangs)}  "
        f"max RSS: {total.max_rss_mb:.0f} MB  wall time: {wall:.0f} s  "
        f"(exit 0: {total.exits.get(0, 0)}, exit 1: {total.exits.get(1, 0)}; seed {args.seed}, {args.jobs} jobs)"
    )
    failed = total.internal_errors or total.hangs or total.max_rss_mb > RSS_LIMIT_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
