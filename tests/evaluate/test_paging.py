"""PagerDuty's side: escalation, acknowledgement, maintenance, urgency, schedules (each with PagerDuty's page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from compiler.evaluate.oncall import on_call
from compiler.evaluate.pagerduty import Acknowledgement, InboundEvent, Simulation
from compiler.evaluate.world import MaintenanceWindowObject, PagerDutyService, World

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York


def _layer(
    users: list[str], start: str = "2026-01-05T09:00:00-05:00", turn: int = 7 * 86400, **extra: Any
) -> dict[str, Any]:
    return {
        "start": start,
        "rotation_virtual_start": start,
        "rotation_turn_length_seconds": turn,
        "users": [{"user": {"id": u, "type": "user_reference"}} for u in users],
        **extra,
    }


def _world(service: dict[str, Any] | None = None, loops: int = 0) -> World:
    world = World()
    world.schedules["S"] = {"time_zone": "America/New_York", "schedule_layers": [_layer(["ann", "bob"])]}
    world.escalation_policies["EP"] = {
        "num_loops": loops,
        "escalation_rules": [
            {"escalation_delay_in_minutes": 30, "targets": [{"id": "S", "type": "schedule_reference"}]},
            {"escalation_delay_in_minutes": 30, "targets": [{"id": "lead", "type": "user_reference"}]},
        ],
    }
    body = {
        "escalation_policy": {"id": "EP"},
        "incident_urgency_rule": {"type": "constant", "urgency": "high"},
        **(service or {}),
    }
    world.services["P1"] = PagerDutyService("P1", "api", body)
    return world


def _trigger(at_minute: int = 0, dedup: str = "m") -> InboundEvent:
    return InboundEvent(at_minute * 60, "P1", "trigger", dedup, "critical", "m")


def _pages(
    world: World, events: list[InboundEvent], acks: Sequence[Acknowledgement] = (), until: int = 200
) -> list[tuple[int, str]]:
    outcome = Simulation(world, START).run(events, acks, until * 60)
    return [(p.time // 60, p.person) for p in outcome.pages]


def test_escalation_follows_the_rules_and_loops() -> None:
    """https://support.pagerduty.com/main/docs/escalation-policies: the on-call first, after 30 minutes without an
    acknowledgement the next rule, then the policy starts over as many times as it repeats."""
    # 2026-03-02 10:00 is 8 weeks into the rotation started 2026-01-05 09:00: ann (turn 8 of 2 users) is on call.
    assert _pages(_world(loops=1), [_trigger()]) == [(0, "ann"), (30, "lead"), (60, "ann"), (90, "lead")]


def test_acknowledgement_stops_escalation_and_its_timeout_pages_again() -> None:
    """https://support.pagerduty.com/main/docs/acknowledgement-timeouts: an acknowledged incident not resolved by the
    timeout is triggered again and its notifications start over."""
    world = _world({"acknowledgement_timeout": 1800})
    pages = _pages(world, [_trigger()], [Acknowledgement(10 * 60)], until=60)
    assert pages == [(0, "ann"), (40, "ann")]
    no_timeout = _pages(_world(), [_trigger()], [Acknowledgement(10 * 60)], until=120)
    assert no_timeout == [(0, "ann")]


def test_a_second_trigger_with_the_same_key_is_appended() -> None:
    """https://developer.pagerduty.com/docs/events-api-v2/overview/: a trigger with the key of an open incident
    joins it; no new incident, no new page."""
    outcome = Simulation(_world(), START).run([_trigger(0), _trigger(15)], [], 20 * 60)
    assert len(outcome.incidents) == 1 and len(outcome.pages) == 1


def test_maintenance_window_creates_no_incident() -> None:
    """https://support.pagerduty.com/main/docs/maintenance-windows: a service in maintenance opens no incident."""
    world = _world()
    world.maintenance_windows.append(MaintenanceWindowObject("W", START, START + timedelta(hours=1), ("P1",)))
    outcome = Simulation(world, START).run([_trigger(10), _trigger(70, "other")], [], 80 * 60)
    assert [i.opened // 60 for i in outcome.incidents] == [70]
    assert outcome.dropped[0][1] == "the service is in a maintenance window"


def test_support_hours_urgency() -> None:
    """https://support.pagerduty.com/main/docs/dynamic-notifications: by support hours, high inside and low outside;
    at the start of support hours an unacknowledged low-urgency incident becomes high."""
    rule = {
        "incident_urgency_rule": {
            "type": "use_support_hours",
            "during_support_hours": {"type": "constant", "urgency": "high"},
            "outside_support_hours": {"type": "constant", "urgency": "low"},
        },
        "support_hours": {
            "type": "fixed_time_per_day",
            "time_zone": "America/New_York",
            "start_time": "09:00:00",
            "end_time": "17:00:00",
            "days_of_week": [1, 2, 3, 4, 5],
        },
        "scheduled_actions": [
            {
                "type": "urgency_change",
                "at": {"type": "named_time", "name": "support_hours_start"},
                "to_urgency": "high",
            }
        ],
    }
    world = _world(rule)
    night = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # Tuesday 02:00 in New York
    world.escalation_policies["EP"]["escalation_rules"] = world.escalation_policies["EP"]["escalation_rules"][:1]
    world.escalation_policies["EP"]["escalation_rules"][0]["escalation_delay_in_minutes"] = 600
    outcome = Simulation(world, night).run([InboundEvent(0, "P1", "trigger", "m")], [], 8 * 3600)
    assert [(p.time // 3600, p.urgency) for p in outcome.pages] == [(0, "low"), (7, "high")]


def test_on_call_layers_restrictions_and_precedence() -> None:
    """https://support.pagerduty.com/main/docs/schedule-basics (the lower layer wins where layers overlap) and
    restrictions placed on the schedule's wall clock."""
    weekday_days = _layer(
        ["day"],
        restrictions=[{"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 8 * 3600}],
    )
    schedule = {"time_zone": "America/New_York", "schedule_layers": [_layer(["base"]), weekday_days]}
    assert on_call(schedule, datetime(2026, 3, 2, 15, 0, tzinfo=UTC)) == "day"  # 10:00 local
    assert on_call(schedule, datetime(2026, 3, 2, 23, 0, tzinfo=UTC)) == "base"  # 18:00 local
    # across the DST change of 2026-03-08 the restriction stays 09:00 local
    assert on_call(schedule, datetime(2026, 3, 9, 13, 30, tzinfo=UTC)) == "day"  # 09:30 EDT
    assert on_call(schedule, datetime(2026, 3, 9, 12, 30, tzinfo=UTC)) == "base"  # 08:30 EDT


def test_weekly_rotation_hands_off_on_the_local_wall_clock() -> None:
    """A weekly rotation handed over Monday 09:00 New York time stays 09:00 after daylight saving starts."""
    schedule = {"time_zone": "America/New_York", "schedule_layers": [_layer(["ann", "bob"])]}
    before = datetime(2026, 3, 9, 12, 59, tzinfo=UTC)  # 08:59 EDT Monday: still last week's
    after = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert on_call(schedule, before) != on_call(schedule, after)


def test_auto_resolve_timeout_resolves_an_incident_left_open() -> None:
    """https://support.pagerduty.com/main/docs/configurable-service-settings#auto-resolution: an incident left open
    for the service's auto-resolve timeout is resolved."""
    outcome = Simulation(_world({"auto_resolve_timeout": 3600}), START).run([_trigger()], [], 90 * 60)
    (incident,) = outcome.incidents
    assert incident.status == "resolved" and incident.history[-1] == (3600, "auto-resolved (auto_resolve_timeout)")
    assert outcome.status_at("P1", 3540) == "triggered" and outcome.status_at("P1", 3600) is None


def test_a_level_with_nobody_on_call_is_skipped() -> None:
    """https://support.pagerduty.com/main/docs/escalation-policies: "If nobody is on-call in the first level, then we
    will assign the incident to the next user who is on-call in the next subsequent escalation level"."""
    world = _world()
    weekdays = {"type": "daily_restriction", "start_time_of_day": "09:00:00", "duration_seconds": 8 * 3600}
    world.schedules["S"] = {
        "time_zone": "America/New_York",
        "schedule_layers": [_layer(["ann"], restrictions=[weekdays])],
    }
    night = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 02:00 in New York: nobody on the schedule
    outcome = Simulation(world, night).run([InboundEvent(0, "P1", "trigger", "m")], [], 10 * 60)
    assert [(p.time, p.person, p.reason) for p in outcome.pages] == [
        (0, "lead", "triggered; nobody on call at level 1")
    ]
