"""Issue 9's rule: outside ``compiler/kinds/`` and ``compiler/sandbox/`` no code compares a kind with a string.

Behaviour that differs per resource kind is a property or method of its ``ResourceKind``; a string
comparison elsewhere is a place a new kind would silently be forgotten. This is the issue's grep, kept
as a test so the rule cannot erode.
"""

from __future__ import annotations

import re
from pathlib import Path

import compiler

ROOT = Path(compiler.__file__).parent
EXEMPT = ("kinds", "sandbox")
KIND_LITERAL = re.compile(r"kind\s*(==|!=|in)\s*[(\[\"']")


def test_no_module_outside_kinds_and_sandbox_compares_a_kind_with_a_literal() -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(ROOT.rglob("*.py"))
        if path.relative_to(ROOT).parts[0] not in EXEMPT
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if KIND_LITERAL.search(line)
    ]
    assert hits == []


def test_the_check_sees_a_comparison() -> None:
    """The pattern matches the forms the issue names, so an empty result above means something."""
    for line in ('if kind == "monitor":', "if spec.kind in ('monitor', 'slo_alert'):", 'kind != "team"'):
        assert KIND_LITERAL.search(line), line
