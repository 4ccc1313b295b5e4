"""Sandboxes keep their own state: two in one process do not share the accepted time-zone list."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.sandbox.errors import ApiError
from compiler.sandbox.pagerduty.common import check_time_zone, read_time_zone_file
from compiler.sandbox.server import Sandbox


def test_each_sandbox_checks_time_zones_against_its_own_list(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "pagerduty-time-zones.tsv").write_text("# zones\nEtc/UTC\tUTC\n", encoding="utf-8")
    strict = Sandbox(tmp_path / "a", spec_dir=None)
    strict.world.accepted_time_zones = read_time_zone_file(specs / "pagerduty-time-zones.tsv")
    lenient = Sandbox(tmp_path / "b", spec_dir=None)  # created later: must not inherit or reset the other's list
    strict.start()
    lenient.start()
    try:
        assert check_time_zone(lenient.world, "America/New_York") == "America/New_York"
        with pytest.raises(ApiError):
            check_time_zone(strict.world, "America/New_York")
        assert check_time_zone(strict.world, "Etc/UTC") == "Etc/UTC"
    finally:
        strict.stop()
        lenient.stop()
