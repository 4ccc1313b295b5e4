"""Progress on a real terminal versus a log: ``alertc`` run in a subprocess with standard error on a pseudo-terminal.

On a terminal: a status line rewritten in place, a line per kind read with its
count, a line per applied change with the created id. Not on a terminal: one line
per phase, no escape sequences.
"""

from __future__ import annotations

import errno
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.progress import CLEAR_LINE
from tests.e2e.conftest import EXAMPLES, PINNED_NOW

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DD_", "PAGERDUTY_", "ALERTC_", "NO_COLOR"))}
    env["ALERTC_NOW"] = PINNED_NOW
    return env


def _alertc(tmp_path: Path, *args: str, tty: bool) -> tuple[int, str]:
    """Run alertc in ``tmp_path`` (no project file there); return its exit code and its standard error."""
    command = [sys.executable, "-m", "compiler.cli", *args]
    with (tmp_path / "stdout.txt").open("w") as stdout:
        common = {"cwd": tmp_path, "env": _env(), "stdin": subprocess.DEVNULL, "stdout": stdout}
        if not tty:
            done = subprocess.run(command, check=False, stderr=subprocess.PIPE, **common)  # type: ignore[call-overload]
            return int(done.returncode), bytes(done.stderr).decode()
        master, slave = pty.openpty()
        proc = subprocess.Popen(command, stderr=slave, **common)  # type: ignore[call-overload]
        os.close(slave)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError as exc:  # EIO: the child closed the terminal
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        return proc.wait(), b"".join(chunks).decode().replace("\r\n", "\n")


def _plan_and_apply(tmp_path: Path, *, tty: bool) -> tuple[str, str]:
    sandbox = ["--target", "sandbox", "--sandbox-state", str(tmp_path / "sb")]
    plan_file = str(tmp_path / "p.json")
    code, plan_err = _alertc(tmp_path, "plan", "-d", str(EXAMPLES), "-o", plan_file, *sandbox, tty=tty)
    assert code == 0, plan_err
    code, apply_err = _alertc(tmp_path, "apply", plan_file, "-d", str(EXAMPLES), *sandbox, tty=tty)
    assert code == 0, apply_err
    return plan_err, apply_err


def _lines(text: str) -> list[str]:
    """What a terminal finally shows of each line: the text after the last clear-line sequence."""
    return [line.rsplit(CLEAR_LINE, 1)[-1] for line in text.split("\n")]


def test_on_a_terminal_reads_per_kind_validation_and_each_created_id(tmp_path: Path) -> None:
    plan_err, apply_err = _plan_and_apply(tmp_path, tty=True)
    plan_lines = _lines(plan_err)
    assert "read 0 datadog:monitor" in plan_lines
    assert any(re.fullmatch(r"read \d+ pagerduty:user", line) for line in plan_lines)
    assert CLEAR_LINE + "reading live state…" in plan_err
    assert re.search(re.escape(CLEAR_LINE) + r"validating monitors 1/\d+: datadog:monitor/", plan_err)
    created = [line for line in _lines(apply_err) if re.fullmatch(r"\[\d+/\d+\] created \S+ \(id \S+\)", line)]
    assert any("datadog:monitor/" in line for line in created), apply_err
    assert any("pagerduty:service/" in line for line in created), apply_err
    total = int(created[0].split("/", 1)[1].split("]", 1)[0])
    assert len(created) == total  # every change of this fresh apply is a create, each with its line


def test_without_a_terminal_one_line_per_phase(tmp_path: Path) -> None:
    plan_err, apply_err = _plan_and_apply(tmp_path, tty=False)
    assert "\r" not in plan_err + apply_err and "\x1b" not in plan_err + apply_err
    plan_lines = plan_err.splitlines()
    assert plan_lines[0].startswith("Target 'sandbox': the embedded sandbox")
    assert plan_lines[1] == "reading live state"
    assert re.fullmatch(r"validating monitors \(\d+\)", plan_lines[2])
    assert plan_lines[3].startswith("Saved ")
    assert len(plan_lines) == 4
    apply_lines = apply_err.splitlines()
    assert "reading live state" in apply_lines
    assert any(re.fullmatch(r"applying changes \(\d+\)", line) for line in apply_lines)
    assert not any(" created " in line for line in apply_lines)  # the ids are in the report on standard output
    assert "(id " in (tmp_path / "stdout.txt").read_text()
