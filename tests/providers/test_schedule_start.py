"""Layer ``start`` after PagerDuty's rewrite, when alertc's clock is behind the server's."""

from __future__ import annotations

from datetime import UTC, datetime

from compiler.kinds import get_kind

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _schedule(start: str) -> dict[str, object]:
    return {
        "type": "schedule",
        "name": "Primary",
        "time_zone": "Etc/UTC",
        "schedule_layers": [
            {
                "name": "Weekly",
                "start": start,
                "rotation_virtual_start": "2026-01-05T14:00:00Z",
                "rotation_turn_length_seconds": 604800,
                "users": [{"user": {"id": "PU1", "type": "user_reference"}}],
            }
        ],
    }


def test_start_rewritten_by_a_server_ahead_of_our_clock_is_not_a_change() -> None:
    spec = get_kind("pagerduty", "schedule")
    desired, live = spec.comparable(_schedule("2026-01-05T14:00:00Z"), _schedule("2026-11-22T23:11:27Z"), now=NOW)
    assert desired == live


def test_start_moved_earlier_is_a_change() -> None:
    spec = get_kind("pagerduty", "schedule")
    desired, live = spec.comparable(_schedule("2026-01-05T14:00:00Z"), _schedule("2025-12-01T14:00:00Z"), now=NOW)
    assert desired != live


def test_future_start_is_compared_exactly() -> None:
    spec = get_kind("pagerduty", "schedule")
    desired, live = spec.comparable(_schedule("2026-12-07T14:00:00Z"), _schedule("2026-12-14T14:00:00Z"), now=NOW)
    assert desired != live
