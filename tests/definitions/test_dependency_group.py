"""``dependency_group`` names a group of the monitor's query (a maintenance downtime is scoped by it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.cli import run
from tests.definitions.base_set import SERVICE, write_set


def test_a_dependency_group_the_query_does_not_group_by_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_set(tmp_path / "case", {"service.yaml": SERVICE + "    dependency_group: type\n"})
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "-d", "case"]) == 1
    err = capsys.readouterr().err
    assert "dependency_group 'type' is not a group of the query" in err
    assert "group the query by it ('by {type}')" in err


def test_a_dependency_group_of_the_query_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grouped = SERVICE.replace("{env:prod}.as_count()", "{env:prod} by {region,type}.as_count()")
    write_set(tmp_path / "case", {"service.yaml": grouped + "    dependency_group: type\n"})
    monkeypatch.chdir(tmp_path)
    assert run(["validate", "-d", "case"]) == 0
