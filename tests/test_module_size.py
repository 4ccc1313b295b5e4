"""Small modules with one concern: no module of ``compiler/`` outside the sandbox is over 500 lines.

The sandbox is exempt: it imitates two vendors' APIs, and its handlers follow the vendors' shape.
"""

from __future__ import annotations

from pathlib import Path

import compiler

ROOT = Path(compiler.__file__).parent
LIMIT = 500


def test_no_module_outside_the_sandbox_is_over_500_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(ROOT.rglob("*.py"))
        if "sandbox" not in path.relative_to(ROOT).parts
    }
    assert {name: lines for name, lines in sizes.items() if lines > LIMIT} == {}
