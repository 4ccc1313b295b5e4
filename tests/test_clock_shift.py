"""The suite's wall clock really is moved (tests/conftest.py), so a test that reads today's date fails now."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from tests.conftest import clock_shift


def test_the_wall_clock_seen_by_tests_is_moved_by_the_configured_shift(tmp_path: Path) -> None:
    # The kernel stamps a new file with the operating system's time, which nothing in the process can move.
    stamp = tmp_path / "now"
    stamp.write_bytes(b"")
    real = dt.datetime.fromtimestamp(os.stat(stamp).st_mtime_ns / 1e9, dt.UTC)
    seen = dt.datetime.now(dt.UTC)
    assert abs((seen - real) - clock_shift()) < dt.timedelta(minutes=5)
