"""Apply always reports: before a post-step, when the post-step fails (exit 3), and when interrupted (exit 130)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from compiler import app
from compiler.apply import EXIT_POST_STEP_FAILED
from compiler.errors import TargetError
from compiler.kinds.pagerduty.common import PagerDutyKind
from tests.e2e.conftest import EXAMPLES, World
from tests.interruptible import interruptible

ROOT = Path(__file__).resolve().parents[2]


def _planned(world: World) -> int:
    """How many changes the saved plan holds."""
    return len(json.loads((world.tmp / "p.json").read_text(encoding="utf-8"))["changes"])


def test_a_failing_banner_step_is_a_warning_after_the_report_with_exit_3(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.plan().code == 0

    def gives_up(*_args: Any) -> Any:
        raise TargetError("PagerDuty list schedules: gave up after 5 attempts")

    monkeypatch.setattr(app, "read_live_banners", gives_up)
    result = world.apply()

    assert result.code == EXIT_POST_STEP_FAILED == 3
    assert result.out.splitlines()[-1] == f"Apply: {_planned(world)} applied, 0 failed, 0 not applied."
    assert result.err.endswith(  # after the progress lines
        "warning: every change was applied, but the banner configuration was not written: "
        "PagerDuty list schedules: gave up after 5 attempts\n"
        "  hint: do not re-apply; once the target answers, write it with "
        "'alertc banners build -o plans/banner-config.json'\n"
    )
    again = world.plan("--detailed-exitcode")
    assert again.code == 0  # everything was applied


def test_ctrl_c_during_apply_prints_the_partial_report_and_exits_130(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.plan().code == 0
    original = PagerDutyKind.create
    calls: list[str] = []

    def interrupted_third(self: PagerDutyKind, clients: Any, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        calls.append(self.kind)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, clients, body)

    monkeypatch.setattr(PagerDutyKind, "create", interrupted_third)
    result = world.apply()

    assert result.code == 130
    assert result.out.count("applied: create pagerduty:") == 2
    n = _planned(world)
    assert f"Apply interrupted. Apply: 2 applied, 0 failed, {n - 2} not applied." in result.err
    assert result.err.count(": interrupted while in flight: the next plan shows whether it landed") == 1
    assert result.err.count(": interrupted before it started") == n - 3
    assert result.err.endswith("interrupted; the report above says what was applied and what was not\n")
    assert "Traceback" not in result.err


def _wait_until_alertc_imports(pid: int) -> None:
    """Until the child maps pydantic's extension: Python's own start-up (``site``) is over, alertc's imports run.

    A Ctrl-C during the interpreter's ``site`` import is Python's to report (a fatal error, before any
    alertc code exists); from alertc's entry point on, alertc answers it.
    """
    maps = Path(f"/proc/{pid}/maps")
    while True:
        try:
            if "pydantic_core" in maps.read_text(encoding="utf-8", errors="replace"):
                return
        except OSError:
            return  # the process is gone already
        time.sleep(0.001)


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8])
def test_ctrl_c_at_any_moment_of_a_run_exits_130_without_a_traceback(tmp_path: Path, delay: float) -> None:
    """Whenever the interrupt lands (importing, loading, the embedded sandbox, planning), no traceback."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ALERTC_NOW": "2026-11-22T12:00:00+00:00"}
    process = subprocess.Popen(
        interruptible(
            [
                str(Path(sys.executable).parent / "alertc"),
                "plan",
                "-d",
                str(EXAMPLES),
                "-o",
                str(tmp_path / "p.json"),
                "--target",
                "sandbox",
                "--sandbox-state",
                str(tmp_path / "sandbox"),
            ]
        ),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until_alertc_imports(process.pid)
    time.sleep(delay)  # the outcome is asserted for whichever moment this lands on
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=180)
    assert "Traceback" not in err, err
    assert process.returncode in (0, 130), (process.returncode, err)
    if process.returncode == 130:
        assert err.rstrip().endswith("interrupted"), err
