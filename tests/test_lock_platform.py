"""The apply lock on a system without ``flock`` (native Windows): everything imports, apply alone refuses clearly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compiler import lock

ROOT = Path(__file__).resolve().parents[1]


def test_without_flock_apply_lock_refuses_with_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(lock, "HAS_FLOCK", False)
    with pytest.raises(lock.LockUnsupportedError) as raised, lock.apply_lock({"name": "x"}, directory=tmp_path):
        pytest.fail("the lock was taken")
    message = str(raised.value)
    assert message.startswith("alertc apply needs a POSIX system (Linux or macOS)")
    assert "nothing was applied" in message and "WSL" in message
    assert list(tmp_path.iterdir()) == []  # not even a lock file


_NO_FCNTL = """
import sys
sys.modules["fcntl"] = None  # what importing it does on Windows: ImportError
from compiler.cli import run
import compiler.app  # plan, apply, drift: the whole application side (apply imports the lock)
from compiler import lock
assert not lock.HAS_FLOCK
sys.exit(run(sys.argv[1:]))
"""


def test_without_fcntl_every_module_imports_and_validate_runs() -> None:
    """On Windows the module-level ``import fcntl`` used to fail every command, validate included."""
    proc = subprocess.run(
        [sys.executable, "-c", _NO_FCNTL, "validate", "-d", "definitions"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "ALERTC_NOW": "2026-11-23T00:00:00+00:00"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "definitions: valid" in proc.stdout
