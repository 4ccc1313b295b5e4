"""Issue 22 item 5: the CA bundle a run is told to trust. A missing, unreadable or non-PEM `--ca-file` is a
one-line error naming the file (it was "internal error ... bug in alertc"); `alertc sandbox serve --state
RELATIVE` prints an absolute `ca_file`, so the line can be pasted from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.errors import TargetError
from compiler.targets import check_ca_file

LIVE = {
    "DD_API_KEY": "a" * 32,
    "DD_APP_KEY": "b" * 40,
    "PAGERDUTY_TOKEN": "token",
    "PAGERDUTY_FROM": "someone@example.com",
}


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / "absent.pem", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: (p / "junk.pem").write_text("not a certificate\n") and p / "junk.pem", "not a PEM CA bundle"),
    ],
)
def test_a_bad_ca_file_is_a_one_line_error_naming_it(tmp_path: Path, make: object, reason: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(TargetError) as exc:
        check_ca_file(path)
    message = str(exc.value)
    assert str(path) in message and reason in message and "\n" not in message


def test_the_cli_exits_1_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ca.pem"
    definitions = Path(__file__).resolve().parents[2] / "definitions"
    args = ["drift", "-d", str(definitions), "--datadog-url", "https://127.0.0.1:9", "--ca-file", str(missing)]
    env = {k: v for k, v in os.environ.items() if k not in LIVE} | LIVE
    command = [sys.executable, "-m", "compiler.entry", *args]
    result = subprocess.run(command, check=False, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and str(missing) in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_serve_with_a_relative_state_prints_an_absolute_ca_file(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "compiler.entry", "sandbox", "serve", "--port", "0", "--state", "rel-state"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert Path(info["ca_file"]).is_absolute() and Path(info["ca_file"]).exists()
    assert Path(info["ca_file"]).parent == tmp_path / "rel-state"
