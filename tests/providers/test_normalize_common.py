"""Unit tests for the shared normalization helpers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compiler.providers.normalize.common import (
    canonical_instant,
    finalize,
    fold_defaults,
    normalize_tag,
    reference,
    sorted_by,
    sorted_set,
    time_of_day,
)


def test_finalize_drops_null_and_empty_and_canonicalizes_numbers() -> None:
    assert finalize({"a": None, "b": [], "c": {}, "d": {"e": None}, "f": 2.0, "g": 0.5, "h": False}) == {
        "f": 2,
        "g": 0.5,
        "h": False,
    }


def test_finalize_keeps_empty_strings_unless_asked() -> None:
    assert finalize({"team": ""}) == {"team": ""}
    assert finalize({"team": ""}, drop_empty_strings=True) == {}


def test_fold_defaults_compares_numbers_numerically_and_lists_as_sets() -> None:
    obj = {"new_host_delay": 300.0, "states": ["warn", "alert"], "flag": 0}
    fold_defaults(obj, {"new_host_delay": 300, "states": ["alert", "warn"], "flag": False})
    assert obj == {"flag": 0}, "0 is not False: booleans are compared by identity"


def test_sorted_set_dedupes_and_orders() -> None:
    assert sorted_set(["b", "a", "b"]) == ["a", "b"]
    assert sorted_set([3, 1.0, 1]) == [1, 3]
    assert sorted_set(None) == []


def test_sorted_by_is_total_when_keys_tie() -> None:
    a = {"name": "x", "url": "1"}
    b = {"name": "x", "url": "2"}
    assert sorted_by([b, a], "name") == sorted_by([a, b], "name") == [a, b]


def test_reference_reduces_to_type_and_id() -> None:
    ref = {"id": "P1", "type": "schedule_v3_reference", "summary": "s", "self": "u", "html_url": "h"}
    assert reference(ref, {"schedule_v3": "schedule"}) == {"type": "schedule", "id": "P1"}
    assert reference({"id": "P2", "type": "user"}) == {"type": "user", "id": "P2"}
    assert reference(None) is None


def test_canonical_instant_converts_offsets_to_utc_and_keeps_local_times() -> None:
    assert canonical_instant("2019-01-01T02:00:00+02:00") == "2019-01-01T00:00:00Z"
    assert canonical_instant("2023-06-02T20:53:24.791647+00:00") == "2023-06-02T20:53:24.791647Z"
    assert canonical_instant("2030-01-01T00:00:00.000000+00:00") == "2030-01-01T00:00:00Z"
    assert canonical_instant("2030-01-05T22:00") == "2030-01-05T22:00", "wall-clock time is not an instant"
    assert canonical_instant(None) is None


def test_time_of_day_pads_to_hh_mm_ss() -> None:
    assert time_of_day("9:00") == "09:00:00"
    assert time_of_day("17:00:00") == "17:00:00"
    assert time_of_day("noon") == "noon"


def test_normalize_tag_follows_datadog_rules() -> None:
    assert normalize_tag("Env:Prod") == "env:prod"
    assert normalize_tag("team:Identity Platform") == "team:identity_platform"
    assert normalize_tag("a!!b") == "a_b"
    assert normalize_tag("1abc") == "abc", "tags start with a letter"
    assert normalize_tag("abc_") == "abc"
    assert normalize_tag("x" * 250) == "x" * 200
    assert normalize_tag("path:/a/b.c-d") == "path:/a/b.c-d"


@given(st.text(max_size=300))
def test_normalize_tag_is_idempotent(text: str) -> None:
    once = normalize_tag(text)
    assert normalize_tag(once) == once


@given(st.datetimes(timezones=st.timezones()))
def test_canonical_instant_is_idempotent_and_offset_free(moment: object) -> None:
    text = moment.isoformat()  # type: ignore[attr-defined]
    once = canonical_instant(text)
    assert canonical_instant(once) == once
    assert once.endswith("Z")


@given(st.lists(st.text(max_size=5)))
def test_sorted_set_ignores_order(values: list[str]) -> None:
    assert sorted_set(values) == sorted_set(list(reversed(values)))
