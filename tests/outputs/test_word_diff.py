"""The word diff loses nothing: both sides can be read back from it."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from compiler.outputs.changes import word_diff

# Marker characters are left out so the markers cannot be confused with the text.
TEXT = st.text(alphabet=st.characters(blacklist_characters='[]{}+-\\"', blacklist_categories=("Cs", "Cc")))


def _side(marked: str, keep: str) -> str:
    removed, added = re.compile(r"\[-(.*?)-\]", re.S), re.compile(r"\{\+(.*?)\+\}", re.S)
    if keep == "before":
        return added.sub("", removed.sub(lambda m: m.group(1), marked))
    return removed.sub("", added.sub(lambda m: m.group(1), marked))


@given(TEXT, TEXT)
def test_both_sides_read_back_from_the_word_diff(before: str, after: str) -> None:
    marked = word_diff(before, after)
    assert _side(marked, "before") == json.dumps(before, ensure_ascii=False)[1:-1]
    assert _side(marked, "after") == json.dumps(after, ensure_ascii=False)[1:-1]
