"""The shipped pre-commit hooks: each entry is a real alertc command that passes on this repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from compiler.cli import run

ROOT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_four_hooks_are_there() -> None:
    assert [hook["id"] for hook in HOOKS] == ["alertc-validate", "alertc-test", "alertc-schema", "alertc-docs"]


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook["id"])
def test_hook_entry_passes_on_this_repository(
    hook: dict[str, object], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    entry = shlex.split(str(hook["entry"]))
    assert entry[0] == "alertc"
    assert run(entry[1:]) == 0, capsys.readouterr().err
    assert hook["pass_filenames"] is False  # alertc reads the whole definitions directory
    assert re.search(str(hook["files"]), "definitions/monitors.yaml")


def test_docs_hook_fails_on_a_stale_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "process.md").write_text("stale\n", encoding="utf-8")
    assert run(["docs", "--check", "-d", str(ROOT / "definitions"), "-o", str(tmp_path)]) == 1
    assert "hint: run 'alertc docs' and commit it" in capsys.readouterr().err
