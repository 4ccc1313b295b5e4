"""What each command imports when it starts: the guard behind the startup figures of ``make bench``.

A command loads only its own module (``compiler.cli.COMMANDS``), so ``alertc --version`` imports no
alertc module beyond the CLI, and ``alertc validate`` (a pre-commit hook on every commit) none of the
API clients, the diff engine or the sandbox. Each case runs in a fresh interpreter and lists
``sys.modules`` after the command ran; the timing itself is ``python -m bench.startup``'s job.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Heavy at import (hundreds of milliseconds together) and never needed to check definitions.
NOT_FOR_VALIDATE = (
    "datadog_api_client",
    "pagerduty",
    "deepdiff",
    "openapi_schema_validator",
    "jsonschema",
    "cryptography",
    "httpx2",
    "urllib3",
    "compiler.sandbox",
    "compiler.providers",
    "compiler.kinds",
    "compiler.live",
    "compiler.engine",
    "compiler.plan",
    "compiler.apply",
    "compiler.app",
    "compiler.outputs.classes",
)

_LIST_MODULES = """
import json, sys
from compiler.cli import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _modules_after(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _LIST_MODULES, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "ALERTC_NOW": "2026-11-23T00:00:00+00:00"},
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, proc.stderr
    return set(result["modules"])


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if any(m == name or m.startswith(name + ".") for m in modules))


@pytest.mark.parametrize(
    "args",
    [("validate", "-d", "definitions"), ("validate", "--format", "github"), ("validate", "--explain", "R303")],
    ids=" ".join,
)
def test_validate_imports_no_client_diff_or_sandbox_module(args: tuple[str, ...]) -> None:
    modules = _modules_after(*args)
    assert "compiler.definitions.loader" in modules or args[1] == "--explain"  # it did check something
    assert _loaded(modules, NOT_FOR_VALIDATE) == []


def test_version_imports_no_alertc_module_but_the_cli() -> None:
    modules = _modules_after("--version")
    ours = sorted(m for m in modules if m == "compiler" or m.startswith("compiler."))
    assert ours == ["compiler", "compiler.cli", "compiler.errors"]
    assert _loaded(modules, ("pydantic", "yaml", *NOT_FOR_VALIDATE)) == []


def test_a_command_that_reads_live_state_still_finds_its_modules() -> None:
    """The lazy group resolves every command: ``plan`` loads the application layer it needs."""
    modules = _modules_after("plan", "--help")
    assert "compiler.cli.plan" in modules and "compiler.app" in modules
