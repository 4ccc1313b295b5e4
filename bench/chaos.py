"""``make chaos``: seeded fault runs, kill -9 mid-apply and concurrent-apply races, then one clean plan/apply.

Each run gets a fresh sandbox process serving injected faults (5xx, 429
bursts, dropped connections, creates whose response is lost), and one of:

* ``faults``: plan and apply, up to three times, under the faults;
* ``race``: one plan applied by two processes at once (``--race-locks``:
  ``alternate``, the default, makes even races share the apply lock, as two
  runs on one machine, and odd ones not, as two CI runners; ``none`` makes
  every race two runners without a shared lock, the case the look for the key
  after each create must settle on its own);
* ``kill``: an apply killed with SIGKILL after a seeded delay, then plan/apply again.

The sandbox is then restarted on the same state without faults, and one plan
(``--allow-deletes``: the repair of duplicates may delete many) and one apply
run. The figures: duplicate keys seen before that repair and left after it,
missing objects, runs converged (a final ``plan --detailed-exitcode`` exits 0),
and any internal error or traceback in any alertc output. Exit 1 when any
figure after the repair is not zero.

    python -m bench.chaos --runs 100 --races 20 --kills 10 --seed 1
    python -m bench.chaos --runs 20 --races 20 --kills 0 --race-locks none   # 20 unlocked two-runner races
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.chaos_sandbox import COUNTED_KINDS, SandboxProcess, sandbox_process

ROOT = Path(__file__).resolve().parents[1]
DEFINITIONS = ROOT / "definitions"
TIMEOUT = 600


@dataclass
class RunResult:
    index: int
    kind: str
    seed: int
    duplicates_before_repair: int = 0
    duplicated_keys: list[str] = field(default_factory=list)  # which keys, so a rare race can be studied
    duplicate_rules_before_repair: int = 0  # incident notification rules sending one template twice
    duplicates_after: int = 0
    missing_after: int = 0
    converged: bool = False
    internal_errors: int = 0
    exit_codes: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # the end of each failed command's output


def _faults(rng: random.Random) -> dict[str, Any]:
    return {
        "error_rate": round(rng.uniform(0.01, 0.06), 3),
        "burst_429_rate": round(rng.uniform(0.0, 0.02), 3),
        "burst_429_length": 2,
        "drop_rate": round(rng.uniform(0.0, 0.02), 3),
        "lost_response_rate": round(rng.uniform(0.05, 0.2), 3),
    }


class Runner:
    """alertc as subprocesses in one run's directory; every output is checked for internal errors."""

    def __init__(self, sandbox: SandboxProcess, workdir: Path, result: RunResult) -> None:
        self.sandbox = sandbox
        self.workdir = workdir
        self.result = result

    def finish(self, process: subprocess.Popen[str]) -> int:
        out, err = process.communicate(timeout=TIMEOUT)
        text = out + err
        if "Traceback" in text or "internal error" in text:
            self.result.internal_errors += 1
            sys.stderr.write(f"run {self.result.index}: internal error:\n{text[-2000:]}\n")
        self.result.exit_codes.append(process.returncode)
        if process.returncode not in (0, 2):  # why a run failed (faults it could not ride out, a refusal)
            self.result.failures.append(text[-1500:])
            sys.stderr.write(f"run {self.result.index}: exit {process.returncode}:\n{text[-1500:]}\n")
        return process.returncode

    def start(self, *args: str, lock_dir: Path | None = None) -> subprocess.Popen[str]:
        return self.sandbox.alertc(*args, lock_dir=lock_dir, cwd=self.workdir)

    def run(self, *args: str) -> int:
        return self.finish(self.start(*args))

    def plan(self, name: str, *extra: str) -> int:
        return self.run("plan", "-d", str(DEFINITIONS), "-o", str(self.workdir / name), *extra)


def _expected_keys(workdir: Path) -> set[str]:
    """The counted addresses the example definitions create (a plan against an empty sandbox)."""
    with sandbox_process(workdir / "expected-state") as sandbox:
        sandbox.prepare_account()
        runner = Runner(sandbox, workdir, RunResult(-1, "expected", 0))
        if runner.plan("expected.json") != 0:
            raise SystemExit("the plan against an empty sandbox failed")
    changes = json.loads((workdir / "expected.json").read_text(encoding="utf-8"))["changes"]
    return {c["address"] for c in changes if f"{c['provider']}:{c['kind']}" in COUNTED_KINDS}


def _faulty_phase(kind: str, runner: Runner, rng: random.Random, run_dir: Path, race_locks: str) -> None:
    if kind == "faults":
        for attempt in range(3):
            if runner.plan(f"p{attempt}.json", "--detailed-exitcode") == 0:
                return
            runner.run("apply", str(run_dir / f"p{attempt}.json"), "-d", str(DEFINITIONS))
        return
    runner.plan("p.json")
    if kind == "race":
        shared = race_locks == "shared" or (race_locks == "alternate" and runner.result.index % 2 == 0)
        locks = [run_dir / "locks", run_dir / "locks"] if shared else [run_dir / "runner-1", run_dir / "runner-2"]
        processes = [
            runner.start("apply", str(run_dir / "p.json"), "-d", str(DEFINITIONS), lock_dir=lock) for lock in locks
        ]
        for process in processes:
            runner.finish(process)
        return
    process = runner.start("apply", str(run_dir / "p.json"), "-d", str(DEFINITIONS))
    time.sleep(rng.uniform(0.3, 3.0))
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=TIMEOUT)
    runner.plan("after-kill.json")
    runner.run("apply", str(run_dir / "after-kill.json"), "-d", str(DEFINITIONS))


def one_run(
    index: int, kind: str, seed: int, base: Path, expected: set[str], race_locks: str = "alternate"
) -> RunResult:
    rng = random.Random(seed)
    result = RunResult(index, kind, seed)
    run_dir = base / f"run-{index:03d}"
    run_dir.mkdir(parents=True)
    state = run_dir / "state"
    with sandbox_process(state) as sandbox:  # the account's people exist before anything else happens
        sandbox.prepare_account()
    with sandbox_process(state, faults=_faults(rng), seed=seed) as sandbox:
        _faulty_phase(kind, Runner(sandbox, run_dir, result), rng, run_dir, race_locks)
    with sandbox_process(state) as sandbox:  # the same state, no faults: one plan/apply repairs
        counts = sandbox.key_counts()
        result.duplicates_before_repair = sum(n - 1 for n in counts.values() if n > 1)
        result.duplicated_keys = sorted(key for key, n in counts.items() if n > 1)
        result.duplicate_rules_before_repair = sum(
            n - 1 for key, n in counts.items() if n > 1 and key.startswith("datadog:incident_notification_rule/")
        )
        runner = Runner(sandbox, run_dir, result)
        runner.plan("repair.json", "--allow-deletes")
        runner.run("apply", str(run_dir / "repair.json"), "-d", str(DEFINITIONS), "--allow-deletes")
        counts = sandbox.key_counts()
        result.duplicates_after = sum(n - 1 for n in counts.values() if n > 1)
        result.missing_after = len(expected - set(counts))
        result.converged = runner.plan("final.json", "--detailed-exitcode") == 0
    return result


def _kinds(runs: int, races: int, kills: int) -> list[str]:
    kinds = ["race"] * races + ["kill"] * kills
    return kinds + ["faults"] * max(0, runs - len(kinds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--races", type=int, default=20)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--race-locks",
        choices=("alternate", "none", "shared"),
        default="alternate",
        help="which races share the apply lock: every other one (default), none (two CI runners), or all",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write every run's figures here")
    args = parser.parse_args(argv)
    kinds = _kinds(args.runs, args.races, args.kills)[: args.runs]
    started = time.monotonic()
    results: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="alertc-chaos-") as tmp:
        base = Path(tmp)
        expected = _expected_keys(base)
        for index, kind in enumerate(kinds):
            result = one_run(index, kind, args.seed * 10_000 + index, base, expected, args.race_locks)
            results.append(result)
            print(
                f"run {index:3d} {kind:6s} duplicates {result.duplicates_before_repair:3d} -> "
                f"{result.duplicates_after}, missing {result.missing_after}, "
                f"converged {'yes' if result.converged else 'NO'}, exits {result.exit_codes}"
                + (f", duplicated {', '.join(result.duplicated_keys)}" if result.duplicated_keys else ""),
                flush=True,
            )
    by_kind = Counter(r.kind for r in results)
    figures = {
        "runs": len(results),
        "by_kind": dict(by_kind),
        "runs_with_duplicates_before_repair": sum(1 for r in results if r.duplicates_before_repair),
        "duplicates_before_repair": sum(r.duplicates_before_repair for r in results),
        "duplicate_rules_before_repair": sum(r.duplicate_rules_before_repair for r in results),
        "race_locks": args.race_locks,
        "duplicate_keys_after": sum(r.duplicates_after for r in results),
        "missing_after": sum(r.missing_after for r in results),
        "converged": sum(1 for r in results if r.converged),
        "internal_errors": sum(r.internal_errors for r in results),
        "seconds": round(time.monotonic() - started),
    }
    print(json.dumps(figures, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    bad = figures["duplicate_keys_after"] or figures["missing_after"] or figures["internal_errors"]
    return 1 if bad or figures["converged"] != len(results) else 0


if __name__ == "__main__":
    sys.exit(main())
