"""The sandbox's signal fault: a client process stopped right after a chosen request was carried out."""

from __future__ import annotations

import subprocess
import sys

import pytest

from compiler.sandbox.faults import FaultConfig, FaultInjector


def test_the_signal_follows_the_chosen_matching_request_only() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        injector = FaultInjector(
            FaultConfig(
                signal="SIGKILL", signal_pid=child.pid, signal_at=2, signal_method="POST", signal_path="/api/v1/slo"
            ),
            0,
        )
        injector.after_handling("GET", "/api/v1/slo")  # not a match
        injector.after_handling("POST", "/api/v1/monitor")  # not a match
        injector.after_handling("POST", "/api/v1/slo")  # the first match
        assert child.poll() is None
        injector.after_handling("POST", "/api/v1/slo")  # the second: signalled
        assert child.wait(timeout=10) == -9
        injector.after_handling("POST", "/api/v1/slo")  # once only (and a gone process is no error)
    finally:
        child.kill()
        child.wait()


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"signal": "SIGSTOP", "signal_pid": 1}, "signal must be one of"),
        ({"signal": "SIGINT"}, "needs signal_pid"),
        ({"signal": "SIGINT", "signal_pid": 5, "signal_at": 0}, "signal_at >= 1"),
    ],
)
def test_a_signal_setting_that_cannot_work_is_refused(settings: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        FaultConfig.from_dict(settings)
