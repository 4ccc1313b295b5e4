"""Figures a test measures and ``make test`` prints at the end of its run (the sandbox's fidelity scores).

A test hands its figure to pytest's ``record_property`` under :data:`FIGURE`; the root conftest collects
them from the test reports and prints them in the terminal summary. Reports are what pytest-xdist sends
from its workers to the controlling process, so the figures are printed whether the suite runs in one
process or spread over several (a ``print`` in a worker would be lost).
"""

from __future__ import annotations

import pytest

FIGURE = "alertc_figure"


class Figures:
    """The figures of one run, in test order (by node id), whichever worker measured them."""

    def __init__(self) -> None:
        self._by_test: dict[str, list[str]] = {}

    def collect(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        texts = [str(value) for name, value in report.user_properties if name == FIGURE]
        if texts:
            self._by_test[report.nodeid] = texts

    def lines(self) -> list[str]:
        return [text for node in sorted(self._by_test) for text in self._by_test[node]]
