"""The definitions library stays a library: no process-wide side effects, no resource-kind string chains."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from compiler.definitions import load_definitions
from tests.definitions.base_set import write_set

PACKAGE = Path(__file__).resolve().parents[2] / "compiler" / "definitions"


def test_loading_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    """Pausing and freezing the collector is the CLI's decision (issue 9: process-wide state leaves the library)."""
    frozen = gc.get_freeze_count()
    assert gc.isenabled()

    result = load_definitions(write_set(tmp_path / "case"))

    assert result.ok
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_no_definitions_module_compares_a_kind_with_a_string_literal() -> None:
    """The issue-9 grep (`kind == "..."`, `kind in (...)`) finds nothing here: section names go through tables."""
    pattern = re.compile(r"kind\s*(==|!=|in)\s*[(\[\"']")
    hits = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert hits == []
