"""Playing a rehearsal of the example as a test does: a fresh embedded sandbox, the clock pinned, no credentials."""

from __future__ import annotations

import os
from pathlib import Path

from compiler import app_live
from compiler.context import RunContext, read_clock
from compiler.progress import silent
from compiler.rehearse.play import Rehearsal
from compiler.targets import TargetOptions

ROOT = Path(__file__).resolve().parents[2]


def play(scenario: Path, name: str) -> Rehearsal:
    """The rehearsal of test ``name`` of ``scenario`` on the example definitions."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "PAGERDUTY_", "ALERTC_"))}
    ctx = RunContext(
        now=read_clock({"ALERTC_NOW": "2026-01-05T12:00:00+00:00"}),
        target=TargetOptions(),
        progress=silent(),
        environ=environ,
    )
    return app_live.rehearse(ctx, ROOT / "definitions", scenario, name)
