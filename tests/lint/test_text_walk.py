"""The fast paths of the free-text rule (D207) and of the handle readers read exactly what the plain ones did.

Validating 10,000 monitors runs the text rule on every one and reads the handles of every compiled message
(issue 26's ≤ 2 s), so both were made faster: the text walk looks only at the fields whose declared type can
hold a string, and the handle patterns start at the ``@`` and look back instead of trying every position.
These tests hold the fast forms to plain reference readings written here.
"""

from __future__ import annotations

import re
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from compiler.checks import text
from compiler.checks.context import LintContext
from compiler.definitions.loader import load_definitions
from compiler.notify import template

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SETS = ["definitions", "examples/va-mobile", "examples/officeluv"]


def _models_under(value: Any, seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """The model classes of every model value under ``value``."""
    if isinstance(value, BaseModel):
        seen.add(type(value))
        for name in type(value).model_fields:
            _models_under(getattr(value, name), seen)
    elif isinstance(value, list | tuple):
        for item in value:
            _models_under(item, seen)
    return seen


def _example_items(example: str) -> list[BaseModel]:
    loaded = load_definitions(ROOT / example)
    assert loaded.definitions is not None
    return list(text._process_sections(LintContext(loaded.definitions, datetime(2026, 11, 23, tzinfo=UTC))))


SUSPECT_VALUES: list[Any] = ["@ops {{x}}", ["@ops {{x}}"]]


@pytest.mark.parametrize("example", EXAMPLE_SETS)
def test_every_field_the_walk_skips_refuses_text_with_a_handle(example: str) -> None:
    """A field is skipped only when its type cannot hold such text: validating it there fails."""
    models: set[type[BaseModel]] = set()
    for item in _example_items(example):
        _models_under(item, models)
    assert len(models) > 5
    for model in models:
        walked = {name for name, _ in text._text_fields(model)}
        for name, info in model.model_fields.items():
            if name in walked or name in text.NOT_TEXT or typing.get_origin(info.annotation) is dict:
                continue  # read by the walk, a query, or the raw escape hatch checked once compiled
            assert info.annotation is not None
            adapter: TypeAdapter[Any] = TypeAdapter(info.annotation)
            for value in SUSPECT_VALUES:
                with pytest.raises(ValidationError):
                    adapter.validate_python(value)


def test_a_literal_field_is_skipped_only_when_none_of_its_values_can_hold_a_handle() -> None:
    assert not text._can_hold_text(typing.Literal["sum", "avg"], frozenset())
    assert text._can_hold_text(typing.Literal["plain", "@ops"], frozenset())
    assert text._can_hold_text(list[str] | None, frozenset())
    assert not text._can_hold_text(dict[str, str], frozenset())  # the raw escape hatch, checked once compiled


TEXT = st.text(alphabet="@ a.(>\n\t\u2003\u00a0\x1c+-_é{}/", max_size=24)
HANDLE_BODY = re.compile(r"[\w.+-]+(?:@[\w.-]+)?")
WIDE_BODY = re.compile(r"[\w.+/-]+(?:@[\w.-]+)?")


def _scan(message: str, body: re.Pattern[str], starts: Any) -> list[str]:
    """Left to right, one position at a time: an ``@`` where ``starts(previous character)`` allows, then its body."""
    found: list[str] = []
    position = 0
    while position < len(message):
        previous = message[position - 1] if position else None
        if message[position] == "@" and starts(previous):
            match = body.match(message, position + 1)
            if match:
                found.append(message[position : match.end()])
                position = match.end()
                continue
        position += 1
    return found


@given(TEXT)
def test_the_notified_handles_are_read_as_a_plain_scan_reads_them(message: str) -> None:
    expected = _scan(message, HANDLE_BODY, lambda p: p is None or p.isspace() or p in "(>")
    assert template.handles(message) == list(dict.fromkeys(expected))


@given(TEXT)
def test_the_free_text_rule_finds_the_handles_a_plain_scan_finds(message: str) -> None:
    expected = _scan(message, WIDE_BODY, lambda p: p is None or not re.match(r"\w", p))
    assert [m.group(0) for m in text.HANDLE.finditer(message)] == expected
