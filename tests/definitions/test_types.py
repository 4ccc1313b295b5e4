"""Value types: durations, time zones, contact points, percentages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from compiler.definitions.timezones import PAGERDUTY_TIME_ZONES
from compiler.definitions.types import Duration, Email, Percentage, SlackChannel, TimeZone, Url

# The vendored copy of PagerDuty's documented list (origin and licence: compiler/sandbox/specs/README.md).
TIME_ZONES_TSV = Path(__file__).resolve().parents[2] / "compiler" / "sandbox" / "specs" / "pagerduty-time-zones.tsv"


@pytest.mark.parametrize(
    ("text", "seconds", "business_days"),
    [
        ("30m", 1800, 0),
        ("1h", 3600, 0),
        ("1h30m", 5400, 0),
        ("1d", 86400, 0),
        ("1w", 604800, 0),
        ("45s", 45, 0),
        ("1 business day", 0, 1),
        ("3 business days", 0, 3),
    ],
)
def test_duration_parse(text: str, seconds: int, business_days: int) -> None:
    d = Duration.parse(text)
    assert (d.seconds, d.business_days) == (seconds, business_days)


@pytest.mark.parametrize("text", ["", "5", "5 minutes", "m5", "1h 30m", "0m", "-5m", "1.5h", "0 business days"])
def test_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        Duration.parse(text)


@given(st.integers(min_value=1, max_value=10 * 604800))
def test_duration_text_round_trips(seconds: int) -> None:
    d = Duration(seconds=seconds)
    assert Duration.parse(str(d)) == d


def test_time_zone_list_matches_pagerduty_documentation() -> None:
    tsv = TIME_ZONES_TSV.read_text(encoding="utf-8")
    documented = {line.split("\t")[0] for line in tsv.splitlines() if line and not line.startswith("#")}
    assert set(PAGERDUTY_TIME_ZONES) == documented
    assert len(PAGERDUTY_TIME_ZONES) == 135


class _Probe(BaseModel):
    tz: TimeZone | None = None
    email: Email | None = None
    channel: SlackChannel | None = None
    pct: Percentage | None = None
    url: Url | None = None


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("tz", "America/New_York", "US/Eastern"),
        ("tz", "Etc/UTC", "UTC"),
        ("email", "ada@example.com", "ada@example"),
        ("channel", "#va-identity-alerts", "#Has Spaces"),
        ("channel", "#identity-support", "identity-support"),
        ("pct", "99.9%", "101%"),
        ("pct", 99.99, 0),
        ("url", "https://example.com/runbook", "ftp://example.com/x"),
    ],
)
def test_value_types_accept_and_reject(field: str, good: object, bad: object) -> None:
    _Probe.model_validate({field: good})
    with pytest.raises(ValidationError):
        _Probe.model_validate({field: bad})


def test_percentage_reads_both_spellings() -> None:
    assert _Probe.model_validate({"pct": "99.9%"}).pct == pytest.approx(99.9)
    assert _Probe.model_validate({"pct": 99.9}).pct == pytest.approx(99.9)


def test_email_is_case_folded() -> None:
    assert _Probe.model_validate({"email": "Ada@Example.com"}).email == "ada@example.com"
