"""The definitions loader under fuzzing, in the normal suite: a few hundred derandomized cases.

``make fuzz`` runs the same engine for 10,000+ cases; see ``tests/fuzz/engine.py``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.engine import make_case, run_case


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rng=st.randoms(use_true_random=False))
def test_validate_never_crashes_on_mutated_definitions(rng: random.Random, tmp_path: Path) -> None:
    files = make_case(rng)

    outcome = run_case(files, tmp_path / "defs")

    assert not outcome.hang
    assert outcome.exit_code in (0, 1)
    assert "internal error" not in outcome.stderr, outcome.stderr
    assert "Traceback" not in outcome.stderr, outcome.stderr


def test_the_engine_reports_an_internal_error_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle itself: a crash inside validate must be seen as an internal error, not as exit 1."""

    def boom(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("compiler.context.load_definitions", boom)
    outcome = run_case(make_case(random.Random(0)), tmp_path / "defs")
    assert outcome.exit_code == 1
    assert outcome.internal_error
