"""A large organisation's alerting (10,000 monitors) validates; its speed is measured by ``make bench``.

No assertion here depends on wall-clock time (a busy machine must not fail the
suite): ``python -m bench.validate_benchmark`` prints the figures the README quotes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.generate_definitions import generate
from compiler.definitions import load_definitions


def test_ten_thousand_monitors_load_without_findings(tmp_path: Path) -> None:
    root = generate(tmp_path / "big", monitors=10_000)
    result = load_definitions(root)
    assert result.ok, [f.render() for f in result.findings[:3]]
    assert result.definitions is not None
    assert len(result.definitions.monitors) == 10_000


def test_validate_command_accepts_ten_thousand_monitors(tmp_path: Path) -> None:
    """The whole `alertc validate` path: load, compile, banner checks and process lint."""
    root = generate(tmp_path / "big", monitors=10_000)
    env = {**os.environ, "ALERTC_NOW": "2026-11-23T00:00:00+00:00"}
    proc = subprocess.run(
        [sys.executable, "-m", "compiler.cli", "validate", "-d", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "10000 monitors" in proc.stdout
