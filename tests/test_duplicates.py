"""Which of several objects sharing an ownership key alertc keeps, and the plan that repairs the rest."""

from __future__ import annotations

from typing import Any

from compiler.duplicates import split_duplicates
from compiler.live import LiveState
from compiler.plan import build_plan
from compiler.resources import LiveObject, Resource, ResourceSet, ref
from tests.test_plan import NOW, TARGET, rules


def _obj(kind: str, key: str | None, live_id: str, **body: Any) -> LiveObject:
    return LiveObject("datadog", kind, live_id, key or live_id, {"name": key or live_id, **body}, key)


def test_the_referenced_copy_is_kept_even_when_it_is_newer() -> None:
    older = _obj("monitor", "m", "100", created="2026-01-01T00:00:00Z")
    newer = _obj("monitor", "m", "200", created="2026-02-01T00:00:00Z")
    slo = _obj("slo", "s", "abc", monitor_ids=[200])

    managed, extras = split_duplicates([older, newer, slo])

    assert managed["datadog:monitor/m"] is newer
    assert [(d.extra.live_id, d.keeper.live_id) for d in extras] == [("100", "200")]


def test_without_references_the_oldest_is_kept_then_the_smaller_id() -> None:
    by_time = [_obj("monitor", "m", "9", created="2026-03-01"), _obj("monitor", "m", "10", created="2026-01-01")]
    assert split_duplicates(by_time)[0]["datadog:monitor/m"].live_id == "10"
    by_id = [_obj("monitor", "m", "12"), _obj("monitor", "m", "11")]
    assert split_duplicates(by_id)[0]["datadog:monitor/m"].live_id == "11"
    by_text_id = [_obj("schedule", "s", "PB"), _obj("schedule", "s", "PA")]  # whatever order they are listed in
    assert split_duplicates(by_text_id)[0]["datadog:schedule/s"].live_id == "PA"
    by_sequence = [_obj("window", "w", "PA", sequence_number=9), _obj("window", "w", "PB", sequence_number=3)]
    assert split_duplicates(by_sequence)[0]["datadog:window/w"].live_id == "PB"


def test_an_id_inside_a_longer_token_is_not_a_reference() -> None:
    first = _obj("monitor", "m", "1", created="2026-01-01")
    second = _obj("monitor", "m", "2", created="2026-02-01")
    other = _obj("slo", "s", "x", query="metric_12{*}")  # "2" only inside "metric_12"
    assert split_duplicates([first, second, other])[0]["datadog:monitor/m"] is first


def test_live_state_resolves_a_key_to_the_kept_object() -> None:
    older, newer = _obj("monitor", "m", "1", created="2026-01-01"), _obj("monitor", "m", "2", created="2026-02-01")
    assert LiveState([newer, older]).managed()["datadog:monitor/m"] is older


def test_plan_deletes_the_extras_and_repoints_references_to_the_kept_one() -> None:
    desired = ResourceSet.of(
        [
            Resource("datadog", "monitor", "m", {"name": "m", "created": "2026-01-01"}),  # same as the kept one
            Resource("datadog", "slo", "a", {"name": "a", "monitor_ids": [ref("datadog:monitor/m")]}),
            Resource("datadog", "slo", "b", {"name": "b", "monitor_ids": [ref("datadog:monitor/m")]}),
        ]
    )
    live = [
        _obj("monitor", "m", "1", created="2026-01-01"),
        _obj("monitor", "m", "2", created="2026-02-01"),
        _obj("slo", "a", "sa", monitor_ids=["1"]),
        _obj("slo", "b", "sb", monitor_ids=["2"]),  # points at the copy alertc will delete
    ]

    plan = build_plan(desired, live, rules, now=NOW, target=TARGET)

    summary = [(c.action, c.address, c.live_id, c.duplicate_of) for c in plan.changes]
    assert summary == [
        ("delete", "datadog:monitor/m", "2", "1"),
        ("update", "datadog:slo/b", "sb", None),
    ]
    update = plan.changes[1]
    assert [(f.path, f.before, f.after) for f in update.fields] == [("monitor_ids", ["2"], ["1"])]
    assert plan.changes[0].label == "datadog:monitor/m (duplicate id 2)"


def test_a_copy_naming_an_extra_goes_with_it_even_when_older() -> None:
    """Two racing applies left two templates and a rule sending each: the rule sending the copy of the
    template is the rule's extra, so nothing is re-pointed onto the kept template (issue 27: every incident
    was announced twice, for ever)."""
    kept, copy = _obj("template", "t", "t1", created="2026-01-02"), _obj("template", "t", "t2", created="2026-01-03")
    old_rule = _obj("rule", "t", "r1", created="2026-01-01", template="t2")
    new_rule = _obj("rule", "t", "r2", created="2026-01-04", template="t1")

    managed, extras = split_duplicates([old_rule, new_rule, kept, copy])

    assert managed["datadog:template/t"] is kept and managed["datadog:rule/t"] is new_rule
    assert sorted((d.extra.live_id, d.keeper.live_id) for d in extras) == [("r1", "r2"), ("t2", "t1")]
    desired = ResourceSet.of(
        [
            Resource("datadog", "template", "t", {"name": "t", "created": "2026-01-02"}),
            Resource(
                "datadog", "rule", "t", {"name": "t", "created": "2026-01-04", "template": ref("datadog:template/t")}
            ),
        ]
    )
    plan = build_plan(desired, [old_rule, new_rule, kept, copy], rules, now=NOW, target=TARGET)
    assert [(c.action, c.address, c.live_id) for c in plan.changes] == [
        ("delete", "datadog:rule/t", "r1"),
        ("delete", "datadog:template/t", "t2"),
    ]
