"""Each rule id is written once in the source: in the rule object that carries it.

Code that reports a finding uses the rule object, so a finding's id, severity
and ``--explain`` text come from one place; a second spelling of an id (in a
finding, a hint, a help text, a comment) is a copy that can drift.
"""

from __future__ import annotations

import re
from pathlib import Path

import compiler
from compiler.checks.registry import all_rules

ROOT = Path(compiler.__file__).parent
ID = re.compile(r"\b[A-Z][0-9]{3}\b")


def _sources() -> dict[Path, str]:
    texts = {}
    for path in sorted(ROOT.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        try:
            texts[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary package data (certificates, compressed specs)
    return texts


def _places(sources: dict[Path, str], ids: set[str]) -> dict[str, list[str]]:
    """Every place (``path:line`` under compiler/) each id is written."""
    where: dict[str, list[str]] = {rule_id: [] for rule_id in ids}
    for path, text in sources.items():
        for match in ID.finditer(text):
            if match.group() in ids:
                where[match.group()].append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}")
    return where


def test_every_rule_id_is_written_once_in_the_compiler_in_its_family() -> None:
    where = _places(_sources(), set(all_rules()))
    repeated = {rule_id: places for rule_id, places in where.items() if len(places) != 1}
    assert repeated == {}, "write each id once, in its rule object; elsewhere use the object"
    assert all(places[0].startswith("checks/") for places in where.values())


def test_a_second_spelling_is_found_wherever_it_hides() -> None:
    """The check itself: an id in a hint or a comment counts like one in a rule."""
    sources = {
        ROOT / "checks" / "x.py": 'R = Rule("X101", "error", "t", "e")\n',
        ROOT / "app.py": '# see X101\nhint = "--explain X101"  # not X1010\n',
    }
    assert _places(sources, {"X101", "X102"}) == {"X101": ["checks/x.py:1", "app.py:1", "app.py:2"], "X102": []}
