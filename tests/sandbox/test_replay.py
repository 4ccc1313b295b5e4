"""The fidelity score the project keeps: every recording replayed (tests/sandbox/replay.py), a
percentage per recording and in total, and a floor (replay_floor.txt) that may only go up."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.sandbox import RateLimitConfig, start_embedded
from tests.sandbox.replay import EXCLUDED, recordings, replay

FLOOR = Path(__file__).with_name("replay_floor.txt")


def test_replay_score_is_at_least_the_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    scores = []
    for i, path in enumerate(recordings()):
        if (path.stem, None) in EXCLUDED:
            continue
        with start_embedded(tmp_path / f"s{i}", rate_limits=limits) as handle:
            scores.append(replay(path, handle))
    points, total = sum(s.points for s in scores), sum(s.total for s in scores)
    percent = 100.0 * points / total
    lines = [f"{s.percent:6.1f}%  {s.points:4}/{s.total:<4} {s.name}" for s in scores]
    lines.append(f"{percent:6.1f}%  {points:4}/{total:<4} TOTAL over {len(scores)} recordings")
    misses = [f"  {s.name} {m}" for s in scores for m in s.misses]
    with capsys.disabled():
        print("\nSandbox fidelity (replayed recordings):\n" + "\n".join(lines))
    print("\n".join(misses))
    floor = float(FLOOR.read_text().split()[0])
    assert percent >= floor, "fidelity fell below the floor:\n" + "\n".join(misses)
    assert len(scores) >= 20


def test_every_exclusion_is_documented() -> None:
    spec = (Path(__file__).resolve().parents[2] / "compiler" / "sandbox" / "SPEC_EXCEPTIONS.md").read_text()
    for stem, _ in EXCLUDED:
        assert stem in spec, f"{stem} excluded from the replay score but not explained in SPEC_EXCEPTIONS.md"
