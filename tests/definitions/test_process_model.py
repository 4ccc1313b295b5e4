"""The process model's own rules for the two kinds of severity ladder, roles and the postmortem."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from compiler.definitions import models as m


def _process(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "p",
        "time_zone": "Etc/UTC",
        "business_hours": {"days": ["mon"], "start": "09:00", "end": "17:00"},
        "acknowledgement_target": "30m",
        "status_update_every": "30m",
        "severities": [
            {
                "name": "critical",
                "title": "Critical",
                "impact": "customers blocked",
                "response_time": "15m",
                "pages": True,
            },
            {"name": "low", "title": "Low", "impact": "internal nuisance", "response_time": "1d", "pages": False},
        ],
        "tiers": [{"name": "t1", "environments": ["production"], "production": True}],
        "priorities": [{"name": "P1", "datadog_priority": 1}, {"name": "P2", "datadog_priority": 2}],
        "priority_matrix": {"severities": ["critical", "low"], "rows": {"t1": ["P1", "P2"]}},
    }
    base.update(changes)
    return base


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        m.Process.model_validate(data)
    return str(caught.value)


def test_a_qualitative_ladder_is_valid_and_says_so() -> None:
    process = m.Process.model_validate(_process())
    assert process.qualitative
    assert process.priority_matrix.columns == 2


def test_a_rung_is_either_by_users_or_by_impact() -> None:
    both = {"name": "x", "title": "X", "impact": "a", "users_per_hour_above": 1, "response_time": "1h", "pages": True}
    assert "severity 'x' needs exactly one of users_per_hour_above or impact" in _error(_process(severities=[both]))
    neither = {"name": "x", "title": "X", "response_time": "1h", "pages": True}
    assert "severity 'x' needs exactly one of users_per_hour_above or impact" in _error(_process(severities=[neither]))


def test_a_ladder_is_one_kind() -> None:
    mixed = _process()
    mixed["severities"][1] = {
        "name": "low",
        "title": "Low",
        "users_per_hour_above": 0,
        "response_time": "1d",
        "pages": False,
    }
    assert "severities mix users_per_hour_above and impact rungs" in _error(mixed)


def test_a_qualitative_ladder_needs_a_matrix_by_severity() -> None:
    by_users = _process(priority_matrix={"users_per_hour_above": [100, 0], "rows": {"t1": ["P1", "P2"]}})
    assert "a qualitative severity ladder needs a priority matrix by severity" in _error(by_users)


def test_the_matrix_has_exactly_one_kind_of_column_and_every_severity_once() -> None:
    both = _process(
        priority_matrix={
            "severities": ["critical", "low"],
            "users_per_hour_above": [1, 0],
            "rows": {"t1": ["P1", "P2"]},
        }
    )
    assert "exactly one kind of column" in _error(both)
    missing = _process(priority_matrix={"severities": ["critical", "nope"], "rows": {"t1": ["P1", "P2"]}})
    assert "priority_matrix.severities ['critical', 'nope'] must list every severity once" in _error(missing)
    short = _process(priority_matrix={"severities": ["critical", "low"], "rows": {"t1": ["P1"]}})
    assert "row 't1' has 1 priorities but there are 2 columns" in _error(short)


def test_one_commander_and_postmortem_roles_that_exist() -> None:
    role = {"title": "R", "duties": ["d"], "commander": True}
    two = _process(roles=[{"name": "a", **role}, {"name": "b", **role}])
    assert "roles ['a', 'b'] are all marked commander" in _error(two)
    unknown = _process(roles=[{"name": "a", **role}], postmortem={"owner_role": "ic"})
    assert "postmortem.owner_role 'ic' is not a role" in _error(unknown)


def test_the_running_log_is_a_slack_channel() -> None:
    assert "channels.running_log" in _error(_process(channels={"running_log": "#SitRep"}))
