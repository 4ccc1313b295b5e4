"""alertc installs and runs from a wheel on its runtime dependencies alone, outside the source tree.

The wheel is built from a copy of only what the Dockerfile copies (so missing
package data shows up here), with the Dockerfile's own pip commands, and
installed into a fresh virtual environment without extras. It then scaffolds a
repository, validates it, plans against the sandbox in CI mode, and starts the
sandbox server. Marked slow: it installs the dependencies (from pip's index and cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE_WHEEL = "python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels ."
DOCKERFILE_INSTALL = "/opt/alertc/bin/pip install --no-cache-dir /wheels/*.whl"
DEV_ONLY = ("pytest", "hypothesis", "mypy", "ruff", "openapi_core")


def _copy_build_context(dest: Path) -> Path:
    """Exactly the files the Dockerfile's build stage copies."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "compiler", dest / "compiler", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _clean_env(**extra: str) -> dict[str, str]:
    drop = ("DD_", "PAGERDUTY_", "ALERTC_", "PYTHON", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**env, "CI": "true", "ALERTC_NOW": "2026-11-22T12:00:00+00:00", **extra}


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{' '.join(args)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


def test_the_dockerfile_installs_with_the_commands_this_test_runs() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert DOCKERFILE_WHEEL in text and DOCKERFILE_INSTALL in text
    assert "USER alertc" in text and 'ENTRYPOINT ["alertc"]' in text
    assert "[dev]" not in text


@pytest.mark.slow
def test_wheel_installs_without_extras_and_runs_every_kind_of_command(tmp_path: Path) -> None:
    context = _copy_build_context(tmp_path / "context")
    wheels = tmp_path / "wheels"
    # The Dockerfile's build stage (DOCKERFILE_WHEEL), with a local wheel directory.
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-cache-dir", "--no-deps", "--wheel-dir", str(wheels), "."], context
    )
    (wheel,) = wheels.glob("alertc-*.whl")

    # The Dockerfile's install (DOCKERFILE_INSTALL) into a fresh venv; the test's pip drives it (no bootstrap,
    # no byte-compiling) to keep the suite fast.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python, alertc = venv / "bin" / "python", venv / "bin" / "alertc"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-compile", "-q", str(wheel)], tmp_path)
    installed = _run(
        [
            str(python),
            "-c",
            f"import importlib.util as u, sys; print(*[u.find_spec(m) is not None for m in {DEV_ONLY!r}])",
        ],
        tmp_path,
    )
    assert "True" not in installed.stdout, f"a dev-only package was installed: {DEV_ONLY} -> {installed.stdout}"

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".git").mkdir()  # no alertc.yaml above this directory is consulted
    env = _clean_env()
    assert _run([str(alertc), "--version"], outside, env).stdout.startswith("alertc, version ")
    _run([str(alertc), "init", "repo"], outside, env)
    repo = outside / "repo"
    assert _run([str(alertc), "validate"], repo, env).stdout.startswith("definitions: valid (")
    planned = _run([str(alertc), "plan", "--target", "sandbox"], repo, env)
    assert planned.stdout.startswith("alertc plan for target 'sandbox' (datadog: embedded sandbox, mode: embedded, ")
    assert (repo / "plans" / "latest.plan.json").exists()

    server = subprocess.Popen(
        [str(alertc), "sandbox", "serve", "--port", "0", "--state", str(tmp_path / "state")],
        cwd=outside,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = json.loads(server.stdout.readline())
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert first["datadog_url"].startswith("https://127.0.0.1:")
    assert {"pagerduty_url", "events_url", "ca_file"} <= set(first)
