"""SLO alerts evaluated from the SLO's own queries, through the same states and notifications as monitors."""

from __future__ import annotations

from typing import Any

from compiler.evaluate.series import Series
from compiler.evaluate.world import World
from tests.evaluate.helpers import play, series

SLO_ID = "slo-1"
SLO: dict[str, Any] = {
    "type": "metric",
    "thresholds": [{"timeframe": "30d", "target": 99.9}],
    "query": {"numerator": "sum:good{*}.as_count()", "denominator": "sum:total{*}.as_count()"},
}


def _alert(query: str) -> dict[str, Any]:
    return {"type": "slo alert", "query": query, "message": "", "tags": [], "options": {}}


def _traffic(bad_minutes: range, minutes: int = 180) -> list[Series]:
    good = [1000.0 - (100.0 if m in bad_minutes else 0.0) for m in range(minutes)]
    return [series("good", good), series("total", [1000.0] * minutes)]


def _run(query: str, data: list[Series], duration: int) -> Any:
    world = World(slos={SLO_ID: SLO})
    return play({"alert": _alert(query)}, data, duration, world).monitors["alert"]


def test_burn_rate_needs_both_windows() -> None:
    """https://docs.datadoghq.com/service_management/service_level_objectives/burn_rate/: ALERT when the long *and*
    the short window burn at or above the threshold; the short window ends the alert soon after the issue."""
    query = f'burn_rate("{SLO_ID}").over("30d").long_window("1h").short_window("5m") > 14.4'
    # 10% errors (burn 100) for minutes 60..79: the 1h window reaches 14.4 at 9 bad minutes
    result = _run(query, _traffic(range(60, 80)), 179 * 60)
    assert result.state_at(67 * 60) == "ok" and result.state_at(68 * 60) == "alert"
    # after the issue the 5m window clears first, though the 1h window still burns above 14.4
    assert result.state_at(84 * 60) == "ok"


def test_an_slo_outside_the_evaluated_set_is_named() -> None:
    timeline = play({"alert": _alert('error_budget("elsewhere").over("30d") > 50')}, [], 60, World())
    assert [i.describe() for i in timeline.issues] == [
        "monitor 'alert': cannot evaluate the SLO elsewhere, which is not among the evaluated objects"
    ]
