"""The item-by-item hash of a list is the whole list's hash (digests already stored must not move)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.canonical import short_hash, short_hash_of_list

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(derandomize=True, max_examples=200)
@given(st.lists(JSON, max_size=6))
def test_streamed_list_hash_equals_the_whole_list_hash(items: list[Any]) -> None:
    assert short_hash_of_list(iter(items), 16) == short_hash(items, 16)


def test_non_ascii_nested_and_empty_lists_hash_the_same() -> None:
    items = [["datadog:monitor/a", {"name": "é", "b": [1, 2.5, None]}, []], ["pagerduty:service/s", {}, ["x"]]]
    assert short_hash_of_list(items, 64) == short_hash(items, 64)
    assert short_hash_of_list([], 16) == short_hash([], 16)
