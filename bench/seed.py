"""Seed a sandbox with a workload, exactly as alertc applies it, and cache the state.

How: the workload's definitions are planned and applied by alertc itself
(``alertc plan`` then ``alertc apply``, as separate processes, through the real
clients) against a standalone sandbox with its rate limits lifted and no
latency, so every stored object is byte for byte what alertc would leave in an
account (ownership tags and markers, digests, server-side defaults, ids). Only
the PagerDuty users the teams name are created directly through the sandbox's
users API first, as SSO would have provisioned them in a real account.

Seeding W10k this way takes a few minutes, so the resulting state directory
(the sandbox's SQLite file, CA and credentials) is kept under ``bench/.cache/``
and copied for every measurement. A cached state is checked on use: the first
plan of a measurement must find no changes, otherwise the state is seeded again
(the compiler changed what it would apply).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.measure import run_alertc
from bench.sandbox_process import SandboxProcess
from bench.workloads import SERVICES_PER_TEAM, Workload, write_definitions

CACHE = Path(__file__).resolve().parent / ".cache"


def team_members(w: Workload) -> list[tuple[str, str]]:
    teams = (w.services + SERVICES_PER_TEAM - 1) // SERVICES_PER_TEAM
    people = []
    for t in range(teams):
        people += [
            (f"team-{t}-a@example.com", f"Team {t} Engineer A"),
            (f"team-{t}-b@example.com", f"Team {t} Engineer B"),
            (f"team-{t}-lead@example.com", f"Team {t} Lead"),
        ]
    return people


def add_people(sandbox: SandboxProcess, w: Workload) -> None:
    for email, name in team_members(w):
        status, body = sandbox.call("POST", "/users", {"user": {"type": "user", "name": name, "email": email}})
        if status not in (200, 201):
            raise SystemExit(f"cannot create PagerDuty user {email}: HTTP {status} {body}")


def seed(w: Workload, defs: Path, state: Path, work: Path, *, monitors: int | None = None) -> None:
    """Apply ``w`` (with ``monitors`` monitors, default all) into a fresh sandbox state at ``state``."""
    if state.exists():
        shutil.rmtree(state)
    write_definitions(w, defs, monitors=monitors)
    work.mkdir(parents=True, exist_ok=True)
    print(f"seeding {w.name} into {state} (alertc plan + apply, limits lifted) ...", file=sys.stderr, flush=True)
    with SandboxProcess(state, lift_limits=True) as sandbox:
        add_people(sandbox, w)
        env = sandbox.alertc_environment()
        run_alertc(["plan", "-d", str(defs), "-o", "seed.plan.json"], env=env, cwd=work).check(0)
        applied = run_alertc(["apply", "seed.plan.json", "-d", str(defs)], env=env, cwd=work).check(0)
        print(f"  seeded in {applied.wall_s:.0f} s of apply", file=sys.stderr, flush=True)


def cached_state(w: Workload, *, monitors: int | None = None, refresh: bool = False) -> tuple[Path, Path]:
    """(definitions, state) of ``w`` applied; seeded once and kept under bench/.cache/."""
    label = w.name if monitors is None else f"{w.name}-m{monitors}"
    root = CACHE / label
    defs, state, done = root / "definitions", root / "state", root / "seeded"
    if refresh or not done.exists():
        if root.exists():
            shutil.rmtree(root)
        # alertc runs outside the repository, as every measurement does: inside it, the repository's own
        # alertc.yaml would give the seeded objects an ownership scope the measured plans do not have.
        with tempfile.TemporaryDirectory(prefix="alertc-seed-") as work:
            seed(w, defs, state, Path(work), monitors=monitors)
        done.write_text("ok\n")
    return defs, state


def forget(w: Workload, *, monitors: int | None = None) -> None:
    label = w.name if monitors is None else f"{w.name}-m{monitors}"
    shutil.rmtree(CACHE / label, ignore_errors=True)
