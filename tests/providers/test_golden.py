"""Golden normalization pairs: what alertc sends vs what the real API returns (see golden/*.yaml).

Each case must compare equal after normalization, and its counter-example must
not: a rule that hid real changes would be as bad as a perpetual diff.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.kinds import KINDS, ResourceKind, get_kind

GOLDEN = Path(__file__).parent / "golden"
DEFAULT_NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _load() -> list[Any]:
    params = []
    for provider in ("datadog", "pagerduty"):
        cases = yaml.safe_load((GOLDEN / f"{provider}.yaml").read_text())
        for case in cases:
            params.append(pytest.param(provider, case, id=f"{provider}-{case['id']}"))
    return params


CASES = _load()


def _now(case: dict[str, Any]) -> datetime:
    if "now" in case:
        return datetime.fromisoformat(case["now"].replace("Z", "+00:00"))
    return DEFAULT_NOW


def _spec(provider: str, case: dict[str, Any]) -> ResourceKind:
    return get_kind(provider, case["kind"])


@pytest.mark.parametrize(("provider", "case"), CASES)
def test_sent_and_returned_normalize_equal(provider: str, case: dict[str, Any]) -> None:
    spec = _spec(provider, case)
    desired, live = spec.comparable(case["sent"], case["returned"], now=_now(case))
    assert desired == live, f"{case['rule']}: {case['source']}"


@pytest.mark.parametrize(("provider", "case"), CASES)
def test_counter_example_is_still_a_change(provider: str, case: dict[str, Any]) -> None:
    spec = _spec(provider, case)
    counter = case["counter"]
    desired, live = spec.comparable(counter.get("sent", case["sent"]), counter["returned"], now=_now(case))
    assert desired != live, f"{case['rule']}: a real change was hidden"


@pytest.mark.parametrize(("provider", "case"), CASES)
def test_rule_is_needed(provider: str, case: dict[str, Any]) -> None:
    """Without normalization the raw bodies differ, so each case really exercises a rule."""
    spec = _spec(provider, case)
    assert spec.unwrap(dict(case["sent"])) != spec.unwrap(dict(case["returned"]))


def test_every_kind_has_golden_cases() -> None:

    covered = {f"{p.values[0]}:{p.values[1]['kind']}" for p in CASES}  # type: ignore[index]
    assert covered == set(KINDS)
