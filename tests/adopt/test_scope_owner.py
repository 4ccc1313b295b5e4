"""Where the scope comes from: alertc.yaml's owner, else the definitions' owner; never two different ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from compiler.app import RunContext, scope_owner
from compiler.definitions import Definitions
from compiler.errors import DefinitionsError
from compiler.project import load_project

PROJECT = "owner: {owner}\ntargets:\n  sandbox: {{type: sandbox}}\n"


def _ctx(tmp_path: Path, owner: str | None) -> RunContext:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    if owner is None:
        return RunContext(now=now)
    path = tmp_path / "alertc.yaml"
    path.write_text(PROJECT.format(owner=owner), encoding="utf-8")
    return RunContext(now=now, project=load_project(path))


def _defs(tmp_path: Path, owner: str | None) -> Definitions:
    return Definitions(root=tmp_path, owner=owner)


def test_the_project_file_names_the_scope(tmp_path: Path) -> None:
    assert scope_owner(_ctx(tmp_path, "identity"), _defs(tmp_path, None)) == "identity"
    assert scope_owner(_ctx(tmp_path, "identity"), _defs(tmp_path, "identity")) == "identity"
    assert scope_owner(_ctx(tmp_path, "identity")) == "identity"


def test_without_a_project_file_the_definitions_name_it(tmp_path: Path) -> None:
    assert scope_owner(_ctx(tmp_path, None), _defs(tmp_path, "mobile")) == "mobile"
    assert scope_owner(_ctx(tmp_path, None), _defs(tmp_path, None)) is None


def test_two_different_scopes_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionsError, match=r"the definitions say owner 'mobile' but .* says 'identity'"):
        scope_owner(_ctx(tmp_path, "identity"), _defs(tmp_path, "mobile"))
