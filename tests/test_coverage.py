"""On-call coverage: exact gaps, restrictions on the local wall clock, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from compiler.coverage import merge, policy_gaps, schedule_gaps
from compiler.definitions import models as m

NY = ZoneInfo("America/New_York")
START = datetime(2026, 11, 23, 0, 0, tzinfo=NY)  # a Monday


def _schedule(restrictions: list[dict[str, object]] | None = None, rotation: str = "1w") -> m.Schedule:
    return m.Schedule.model_validate(
        {
            "name": "primary",
            "team": "web",
            "time_zone": "America/New_York",
            "layers": [
                {
                    "name": "weekly",
                    "start": "2026-01-05T09:00:00-05:00",
                    "rotation": rotation,
                    "members": ["a@example.com", "b@example.com"],
                    "restrictions": restrictions or [],
                }
            ],
        }
    )


def test_one_hour_weekly_hole_is_reported_exactly() -> None:
    # On call from Monday 00:00 for 7 days minus 1 hour: Sunday 23:00-24:00 is uncovered, every week.
    schedule = _schedule([{"type": "weekly", "start_day": "mon", "start_time": "00:00", "duration": "167h"}])
    holes = schedule_gaps(schedule, START)
    assert [(g.start.astimezone(NY).isoformat(), g.end.astimezone(NY).isoformat()) for g in holes] == [
        ("2026-11-29T23:00:00-05:00", "2026-11-30T00:00:00-05:00"),
        ("2026-12-06T23:00:00-05:00", "2026-12-07T00:00:00-05:00"),
        ("2026-12-13T23:00:00-05:00", "2026-12-14T00:00:00-05:00"),
        ("2026-12-20T23:00:00-05:00", "2026-12-21T00:00:00-05:00"),
    ]
    assert holes[0].describe("America/New_York") == (
        "2026-11-29T23:00:00-05:00 to 2026-11-30T00:00:00-05:00 (1 h, America/New_York)"
    )


def test_business_hours_only_layer_leaves_nights_and_weekends() -> None:
    restrictions = [
        {"type": "weekly", "start_day": day, "start_time": "09:00", "duration": "11h"}
        for day in ("mon", "tue", "wed", "thu", "fri")
    ]
    holes = schedule_gaps(_schedule(restrictions), START, timedelta(days=7))
    uncovered = sum((g.end - g.start for g in holes), timedelta())
    assert uncovered == timedelta(days=7) - 5 * timedelta(hours=11)


def test_daily_restriction_follows_local_time_across_dst() -> None:
    # 2027-03-14 is the US spring-forward day: 09:00 local is 14:00Z before and 13:00Z after.
    schedule = _schedule([{"type": "daily", "start_time": "09:00", "duration": "8h"}])
    start = datetime(2027, 3, 13, 0, 0, tzinfo=NY)
    holes = schedule_gaps(schedule, start, timedelta(days=2))
    covered_starts = [g.end.astimezone(UTC).strftime("%H:%M") for g in holes if g.end.astimezone(NY).hour == 9]
    assert covered_starts == ["14:00", "13:00"]


def test_a_user_target_covers_the_whole_policy() -> None:
    hole = _schedule([{"type": "daily", "start_time": "09:00", "duration": "8h"}])
    schedules = {"primary": hole}
    only_schedule = m.EscalationPolicy.model_validate(
        {"name": "p", "team": "web", "rules": [{"delay": "30m", "targets": [{"schedule": "primary"}]}]}
    )
    with_lead = m.EscalationPolicy.model_validate(
        {
            "name": "p",
            "team": "web",
            "rules": [
                {"delay": "30m", "targets": [{"schedule": "primary"}]},
                {"delay": "30m", "targets": [{"user": "lead@example.com"}]},
            ],
        }
    )
    assert policy_gaps(only_schedule, schedules, START)
    assert policy_gaps(with_lead, schedules, START) == []


@given(st.sampled_from(["1h", "8h", "1d", "3d", "1w", "2w"]), st.integers(min_value=1, max_value=60))
def test_unrestricted_layer_covers_everything(rotation: str, days: int) -> None:
    assert schedule_gaps(_schedule(rotation=rotation), START, timedelta(days=days)) == []


def test_merge_joins_touching_intervals() -> None:
    a = datetime(2026, 1, 1, tzinfo=UTC)
    hour = timedelta(hours=1)
    assert merge([(a, a + hour), (a + hour, a + 2 * hour), (a + 3 * hour, a + 4 * hour)]) == [
        (a, a + 2 * hour),
        (a + 3 * hour, a + 4 * hour),
    ]
