"""Run one alertc command as its own process and measure it: wall time, peak RSS, output.

Peak RSS comes from the kernel's accounting of the child (``wait4``'s
``ru_maxrss``), so it is the whole alertc process, interpreter included, as a
user would see it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SAVED = re.compile(r"Saved .*?\((?P<dd>\d+) Datadog and (?P<pd>\d+) PagerDuty requests\)")


@dataclass
class Run:
    args: list[str]
    returncode: int
    wall_s: float
    peak_rss_mb: float
    cpu_s: float
    stdout: str
    stderr: str

    def check(self, *ok: int) -> Run:
        if self.returncode not in (ok or (0,)):
            tail = "\n".join(self.stderr.splitlines()[-15:])
            raise SystemExit(f"alertc {' '.join(self.args)} exited {self.returncode}:\n{tail}")
        return self

    def reported_requests(self) -> dict[str, int] | None:
        """The requests alertc says it made ("Saved plan (N Datadog and M PagerDuty requests)")."""
        match = SAVED.search(self.stderr)
        return None if match is None else {"datadog": int(match["dd"]), "pagerduty": int(match["pd"])}


def alertc_command() -> list[str]:
    """The installed console script beside this interpreter, else the module."""
    script = Path(sys.executable).with_name("alertc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "compiler.cli"]


def run_alertc(args: list[str], *, env: dict[str, str], cwd: Path) -> Run:
    """``alertc ARGS`` in ``cwd``; output goes to files (not pipes) so a large plan cannot block it."""
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    with out_path.open("w") as out, err_path.open("w") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([*alertc_command(), *args], cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    return Run(
        args,
        os.waitstatus_to_exitcode(status),
        wall,
        usage.ru_maxrss / 1024,  # KiB on Linux
        usage.ru_utime + usage.ru_stime,
        out_path.read_text(),
        err_path.read_text(),
    )


def copy_state(source: Path, dest: Path) -> Path:
    """A private copy of a sandbox state directory (the benchmark never changes the cached one)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    return dest
