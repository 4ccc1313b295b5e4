"""An apply stopped in the middle of a write (Ctrl-C or kill -9) leaves nothing the next plan/apply cannot mend.

The sandbox sends the signal itself, right after it has carried out the chosen
request and before it answers (``FaultConfig.signal``): the write is done, the
apply never hears of it. Whatever the request (a create of a kind that accepts
two objects of one name, a monitor create, a PagerDuty create, an update, a
delete), the next plan and apply converge: a final plan has nothing to change,
no key is held by two objects, and every object of the definitions exists.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.chaos_sandbox import COUNTED_KINDS, key_counts
from compiler.sandbox import FaultConfig
from tests.e2e.conftest import EXAMPLES, World
from tests.interruptible import interruptible

ALERTC = str(Path(sys.executable).parent / "alertc")


def _apply_interrupted(
    world: World, definitions: Path, signal: str, method: str, path: str, at: int, *extra: str
) -> str:
    """``alertc apply`` of the saved plan as its own process, signalled by the sandbox; its output."""
    process = subprocess.Popen(
        interruptible([ALERTC, "apply", str(world.tmp / "p.json"), "-d", str(definitions), *extra]),
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # set before the apply can reach its first write: it imports, compiles and reads the account first
    world.handle.set_faults(
        FaultConfig(signal=signal, signal_pid=process.pid, signal_at=at, signal_method=method, signal_path=path)
    )
    out, err = process.communicate(timeout=300)
    world.handle.set_faults(FaultConfig())
    if signal == "SIGKILL":
        assert process.returncode == -9, out + err
    else:
        assert process.returncode == 130, out + err  # the partial report, then "interrupted"
        assert "Apply interrupted." in out + err and "Traceback" not in err, out + err
    return out + err


def _expected(world: World) -> set[str]:
    changes = json.loads((world.tmp / "p.json").read_text(encoding="utf-8"))["changes"]
    return {c["address"] for c in changes if f"{c['provider']}:{c['kind']}" in COUNTED_KINDS}


def _converges(world: World, definitions: Path, expected: frozenset[str] | set[str] = frozenset()) -> None:
    """The next plan and apply mend it: then nothing to change (nothing missing), no key held twice."""
    planned = world.plan("--allow-deletes", definitions=definitions)
    assert planned.code == 0, planned.err
    applied = world.apply("--allow-deletes")
    assert applied.code == 0, applied.out + applied.err
    final = world.plan("--detailed-exitcode", definitions=definitions)
    assert final.code == 0, final.out
    with world.datadog() as client:
        counts = key_counts(client, world.pagerduty())
    assert {key: n for key, n in counts.items() if n > 1} == {}
    assert expected - set(counts) == set()


CREATES = [
    ("SIGKILL", "POST", "/api/v1/slo", 2),  # an SLO (the API accepts two of one name), before its look again
    ("SIGKILL", "POST", "/api/v1/monitor", 5),
    ("SIGKILL", "POST", "/schedules", 1),
    ("SIGKILL", "POST", "/api/v2/incidents/config/notification-rules", 1),
    ("SIGINT", "POST", "/api/v1/slo", 1),
    ("SIGINT", "POST", "/api/v1/monitor", 3),
    ("SIGINT", "POST", "/escalation_policies", 1),
]


@pytest.mark.parametrize(("signal", "method", "path", "at"), CREATES, ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CREATES])
def test_an_apply_stopped_during_a_create_converges_on_the_next_run(
    world: World, signal: str, method: str, path: str, at: int
) -> None:
    assert world.plan().code == 0
    expected = _expected(world)
    _apply_interrupted(world, EXAMPLES, signal, method, path, at)
    _converges(world, EXAMPLES, expected)


def _edited(world: World) -> Path:
    edited = world.tmp / "edited"
    shutil.copytree(EXAMPLES, edited)
    monitors = edited / "monitors.yaml"
    text = monitors.read_text(encoding="utf-8")
    monitors.write_text(text.replace("critical: 3,", "critical: 4,").replace("critical: 5,", "critical: 6,"), "utf-8")
    return edited


@pytest.mark.parametrize("signal", ["SIGKILL", "SIGINT"])
def test_an_apply_stopped_during_an_update_converges_on_the_next_run(world: World, signal: str) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    edited = _edited(world)
    planned = world.plan(definitions=edited)
    assert planned.code == 0 and "to update" in planned.out, planned.out
    _apply_interrupted(world, edited, signal, "PUT", "/api/v1/monitor/", 1)
    _converges(world, edited)


@pytest.mark.parametrize("signal", ["SIGKILL", "SIGINT"])
def test_an_apply_stopped_during_a_delete_converges_on_the_next_run(world: World, signal: str) -> None:
    assert world.plan().code == 0 and world.apply().code == 0
    fewer = world.tmp / "fewer"
    shutil.copytree(EXAMPLES, fewer)
    (fewer / "slos.yaml").unlink()  # the SLOs and their burn-rate alerts go
    planned = world.plan("--allow-deletes", definitions=fewer)
    assert planned.code == 0 and " to delete." in planned.out, planned.out
    _apply_interrupted(world, fewer, signal, "DELETE", "/api/v1/monitor/", 1, "--allow-deletes")
    _converges(world, fewer)
