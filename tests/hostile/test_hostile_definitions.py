"""Hostile definitions get a finding, not a crash, a hang or an exhausted runner (issue 11).

Each case runs ``alertc validate`` in a child process whose address space is
capped at 256 MB and whose CPU time at 5 s (``setrlimit`` in the child), so a
case that blows up memory or spins dies instead of passing; the subprocess
timeout only catches a hang that uses no CPU (a blocking read). The
assertions are on the exit code and the message, never on measured speed.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.definitions.base_set import SERVICE, write_set
from tests.hostile.cases import CASES, HostileCase

MEMORY_LIMIT = 256 * 1024 * 1024
CPU_SECONDS = 5
HANG_GUARD_SECONDS = 60  # generous: the machine is shared; CPU time is what the limit bounds


def limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def validate_limited(cwd: Path, directory: str = "case") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compiler.cli", "validate", "-d", directory],
        cwd=cwd,
        preexec_fn=limit_child,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=False,
        env={"PATH": "/usr/bin:/bin", "ALERTC_NOW": "2026-11-23T00:00:00+00:00"},
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_definitions_are_a_finding_with_a_position(case: HostileCase, tmp_path: Path) -> None:
    case.make(tmp_path / "case")

    proc = validate_limited(tmp_path)

    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr
    assert "Traceback" not in proc.stderr
    assert case.expected in proc.stderr.splitlines(), proc.stderr[-2000:]
    assert proc.stdout == ""


def test_the_corpus_covers_every_hostile_input_of_issue_11() -> None:
    ids = {c.id for c in CASES}
    assert len(ids) == len(CASES)
    assert {
        "symlink-to-dev-zero",
        "fifo",
        "file-over-5-mb",
        "total-over-50-mb",
        "alias-bomb-9-levels",
        "alias-cycle",
        "nesting-100000-flow-levels",
        "integer-with-400-digits",
        "float-overflowing-to-infinity",
        "nan-threshold",
        "duplicated-dependency-in-maintenance-window",
    } <= ids


def test_a_symlink_to_a_regular_file_inside_the_directory_is_read(tmp_path: Path) -> None:
    directory = write_set(tmp_path / "case", {"service.yaml": None})
    (directory / "real").mkdir()
    (directory / "real" / ".service.yaml").write_text(SERVICE, encoding="utf-8")  # a dot-file: only the link is read
    (directory / "service.yaml").symlink_to(directory / "real" / ".service.yaml")

    proc = validate_limited(tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert "1 monitors" in proc.stdout
