"""Golden rendering of long-string, nested and multi-line changes; the golden files are reviewed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.outputs.classes import MarkdownOutput, TextOutput
from tests.outputs.plans import query, review_drift, review_plan

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("golden", "render"),
    [
        ("plan.txt", lambda: TextOutput().plan(review_plan())),
        ("plan.md", lambda: MarkdownOutput().plan(review_plan())),
        ("drift.txt", lambda: TextOutput().drift(review_drift())),
        ("drift.md", lambda: MarkdownOutput().drift(review_drift())),
    ],
)
def test_rendering_matches_the_reviewed_golden_file(golden: str, render: object) -> None:
    assert callable(render)
    assert render() == (GOLDEN / golden).read_text(encoding="utf-8")


def test_a_long_changed_value_is_never_cut() -> None:
    text = TextOutput().plan(review_plan())
    markdown = MarkdownOutput().plan(review_plan())
    assert "..." not in text and "..." not in markdown
    assert f'-     query: "{query(50)}"' in markdown.splitlines()
    assert f'+     query: "{query(45)}"' in markdown.splitlines()
