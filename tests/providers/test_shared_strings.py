"""Listed items share the desired bodies' strings: equal values, one object (the plan's memory, issue 15)."""

from __future__ import annotations

from compiler.providers.shared_strings import MIN_LENGTH, SharedStrings


def _fresh(text: str) -> str:
    """An equal string that is a different object (as JSON decoding makes)."""
    return "".join(list(text))


def test_long_strings_and_list_elements_become_the_desired_objects() -> None:
    message = "m" * MIN_LENGTH + " page @pagerduty-svc"
    desired = {"message": message, "tags": ["env:production", "team:identity"], "name": "short"}
    strings = SharedStrings([desired])
    listed = {"message": _fresh(message), "tags": [_fresh("env:production"), "alertc-key:monitor/a"], "id": 7}
    shared = strings.share(listed)
    assert shared == {"message": message, "tags": ["env:production", "alertc-key:monitor/a"], "id": 7}
    assert shared["message"] is message
    assert shared["tags"][0] is desired["tags"][0]


def test_short_top_level_strings_and_unknown_values_are_left_alone() -> None:
    strings = SharedStrings([{"name": "short", "message": "x" * MIN_LENGTH}])
    name = _fresh("short")
    other = _fresh("y" * MIN_LENGTH)
    listed = strings.share({"name": name, "message": other, "options": {"thresholds": {"critical": 1}}})
    assert listed["name"] is name and listed["message"] is other
    assert listed["options"] == {"thresholds": {"critical": 1}}
    assert SharedStrings().share(listed) is listed
