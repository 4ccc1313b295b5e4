"""Two applies at once, as separate processes against one sandbox: never two objects under one key.

On one machine the apply lock serialises them (the loser is refused, changing
nothing, or finds everything already applied). Runs that do not share a lock
(two CI runners) rely on find-by-key before every create and Datadog's
duplicate 400; whatever slips through that window is repaired by the next
plan/apply, which deletes the extras.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.chaos_sandbox import COUNTED_KINDS, SandboxProcess, sandbox_process
from tests.e2e.conftest import EXAMPLES
from tests.e2e.test_apply_safety import _edited_examples

ACCEPTED_REFUSALS = ("another alertc apply is running against this target", "plan is stale; nothing was changed")
# without a shared lock, a create can also meet the other run's object under its key: refused, never doubled
RACE_REFUSALS = (*ACCEPTED_REFUSALS, "was created meanwhile")


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    with sandbox_process(tmp_path / "state") as handle:
        handle.prepare_account()
        yield handle


def _run(sandbox: SandboxProcess, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    process = sandbox.alertc(*args, cwd=cwd)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _plan(sandbox: SandboxProcess, definitions: Path, out: Path, cwd: Path, *extra: str) -> None:
    planned = _run(sandbox, "plan", "-d", str(definitions), "-o", str(out), *extra, cwd=cwd)
    assert planned.returncode == 0, planned.stderr


def _together(
    sandbox: SandboxProcess,
    plans: list[Path],
    cwd: Path,
    locks: list[Path] | None = None,
    accepted: tuple[str, ...] = ACCEPTED_REFUSALS,
    definitions: list[Path] | None = None,
) -> list[str]:
    """Start every apply before waiting for any; the outcome of each as "code: output"."""
    checkouts = definitions or [EXAMPLES] * len(plans)
    processes = [
        sandbox.alertc("apply", str(plan), "-d", str(checkouts[i]), lock_dir=locks[i] if locks else None, cwd=cwd)
        for i, plan in enumerate(plans)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append((process.returncode, out + err))
    for code, text in results:
        assert code in (0, 1), text
        assert "Traceback" not in text and "internal error" not in text, text
        if code == 1:
            assert any(reason in text for reason in accepted), text
    return [f"{code}: {text}" for code, text in results]


def _counted_creates(plan: Path) -> set[str]:
    """The plan's creates of the kinds ``key_counts`` lists, as ``provider:kind/key``."""
    changes = json.loads(plan.read_text(encoding="utf-8"))["changes"]
    return {c["address"] for c in changes if f"{c['provider']}:{c['kind']}" in COUNTED_KINDS}


def _duplicates(sandbox: SandboxProcess) -> dict[str, int]:
    return {key: n for key, n in sandbox.key_counts().items() if n > 1}


def test_two_applies_of_one_plan_at_once_create_each_object_once(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _plan(sandbox, EXAMPLES, tmp_path / "p.json", tmp_path)

    outcomes = _together(sandbox, [tmp_path / "p.json", tmp_path / "p.json"], tmp_path)

    assert any(o.startswith("0: ") for o in outcomes), outcomes
    assert _duplicates(sandbox) == {}
    assert set(sandbox.key_counts()) == _counted_creates(tmp_path / "p.json")  # every key once
    final = _run(
        sandbox, "plan", "-d", str(EXAMPLES), "-o", str(tmp_path / "q.json"), "--detailed-exitcode", cwd=tmp_path
    )
    assert final.returncode == 0, final.stdout


def test_two_different_plans_applied_at_once_create_each_object_once(sandbox: SandboxProcess, tmp_path: Path) -> None:
    edited = _edited_examples(
        tmp_path, "thresholds: {critical: 3, recovery: 2}", "thresholds: {critical: 4, recovery: 2}"
    )
    _plan(sandbox, EXAMPLES, tmp_path / "a.json", tmp_path)
    _plan(sandbox, edited, tmp_path / "b.json", tmp_path)

    outcomes = _together(sandbox, [tmp_path / "a.json", tmp_path / "b.json"], tmp_path, definitions=[EXAMPLES, edited])

    assert sum(o.startswith("0: ") for o in outcomes) == 1, outcomes  # the second finds the first's objects
    assert _duplicates(sandbox) == {}


def test_applies_that_share_no_lock_converge_without_duplicates_after_one_more_plan(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """Two runners (no shared lock): whatever duplicates the race leaves, the next plan/apply removes."""
    _plan(sandbox, EXAMPLES, tmp_path / "p.json", tmp_path)
    runners = [tmp_path / "runner-1", tmp_path / "runner-2"]

    _together(sandbox, [tmp_path / "p.json", tmp_path / "p.json"], tmp_path, locks=runners, accepted=RACE_REFUSALS)
    _plan(sandbox, EXAMPLES, tmp_path / "repair.json", tmp_path, "--allow-deletes")
    repaired = _run(
        sandbox, "apply", str(tmp_path / "repair.json"), "-d", str(EXAMPLES), "--allow-deletes", cwd=tmp_path
    )

    assert repaired.returncode == 0, repaired.stderr
    assert _duplicates(sandbox) == {}
    final = _run(
        sandbox, "plan", "-d", str(EXAMPLES), "-o", str(tmp_path / "q.json"), "--detailed-exitcode", cwd=tmp_path
    )
    assert final.returncode == 0, final.stdout
    shutil.rmtree(runners[0], ignore_errors=True)
