"""The whole suite runs with the machine's wall clock moved a year ahead (issue 26).

No test may depend on today's date: each pins the clocks it uses (alertc's ``ALERTC_NOW``,
the sandbox's ``set_clock``). To keep that true, every test process sees Python's wall clock
(``time.time``, ``datetime.now``, ...) moved ``ALERTC_TEST_CLOCK_SHIFT_DAYS`` ahead (366 by
default), ticking as usual. A test that reads the real date instead of pinning it fails now,
not a year from now. ``ALERTC_TEST_CLOCK_SHIFT_DAYS=0`` runs the suite on today's date; the
project's CI runs both. Monotonic clocks, subprocesses and TLS verification (OpenSSL reads the
operating system's clock) are not moved.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
import time_machine

from tests.figures import Figures

SHIFT_VARIABLE = "ALERTC_TEST_CLOCK_SHIFT_DAYS"
DEFAULT_SHIFT_DAYS = 366


def clock_shift() -> dt.timedelta:
    """How far this run moves the wall clock (``ALERTC_TEST_CLOCK_SHIFT_DAYS``)."""
    raw = os.environ.get(SHIFT_VARIABLE, "").strip()
    try:
        days = int(raw) if raw else DEFAULT_SHIFT_DAYS
    except ValueError:
        raise pytest.UsageError(f"{SHIFT_VARIABLE}={raw!r} must be a whole number of days") from None
    return dt.timedelta(days=days)


@pytest.fixture(autouse=True, scope="session")
def _wall_clock_moved_ahead() -> Iterator[None]:
    shift = clock_shift()
    if not shift:
        yield
        return
    with time_machine.travel(dt.datetime.now(dt.UTC) + shift, tick=True):
        yield


_FIGURES = Figures()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _FIGURES.collect(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = _FIGURES.lines()
    if lines:
        terminalreporter.section("figures measured by this run")
        for text in lines:
            terminalreporter.write_line(text)
