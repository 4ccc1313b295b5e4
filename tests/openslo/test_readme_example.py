"""The README's worked example ("OpenSLO in and out") is what alertc does: same findings, same file written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.cli import run
from tests.openslo.support import ROOT, scaffold


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## OpenSLO in and out")
    return text[start : text.index("\n## ", start + 1)]


def test_the_worked_example_prints_and_writes_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    section = _section()
    document = re.search(r"`slos/checkout.yaml`:\n\n```yaml\n(.*?)```", section, re.S)
    console = re.search(
        r"\$ alertc import --openslo slos/ -o definitions/openslo\n(.*?)\$ cat (\S+)\n(.*?)\$ ", section, re.S
    )
    assert document is not None and console is not None
    scaffold(tmp_path)
    (tmp_path / "slos").mkdir()
    (tmp_path / "slos" / "checkout.yaml").write_text(document.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", "2026-11-22T12:00:00+00:00")

    assert run(["import", "--openslo", "slos/", "-o", "definitions/openslo"]) == 0
    assert capsys.readouterr().err == console.group(1)
    assert (tmp_path / console.group(2)).read_text(encoding="utf-8") == console.group(3)
    assert run(["validate"]) == 0
