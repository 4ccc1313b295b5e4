"""The figures a test records reach make test's summary, in test order, from any worker."""

from __future__ import annotations

import pytest

from tests.figures import FIGURE, Figures


def _report(nodeid: str, when: str, properties: list[tuple[str, object]]) -> pytest.TestReport:
    return pytest.TestReport(nodeid, ("f.py", 1, nodeid), {}, "passed", None, when, user_properties=properties)


def test_figures_are_printed_in_node_order_whatever_order_the_workers_finish() -> None:
    figures = Figures()
    figures.collect(_report("tests/b.py::late", "call", [(FIGURE, "second")]))
    figures.collect(_report("tests/a.py::early", "call", [(FIGURE, "first"), ("other", "not a figure")]))
    assert figures.lines() == ["first", "second"]


def test_only_the_call_phase_counts_and_other_properties_are_ignored() -> None:
    figures = Figures()
    figures.collect(_report("tests/a.py::t", "setup", [(FIGURE, "from setup")]))
    figures.collect(_report("tests/a.py::u", "call", [("junit_only", "x")]))
    assert figures.lines() == []
