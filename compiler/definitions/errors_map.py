"""Turning pydantic's validation errors into findings a person can act on.

Pydantic reports a ``loc`` path and an error type; the user wants the line and
column in their file, a sentence in their vocabulary, and a hint (the field
they probably meant, the values that are allowed).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from compiler.checks.findings import Finding
from compiler.checks.rule import Rule
from compiler.checks.schema import (
    INVALID_DATE_TIME,
    MISSING_FIELD,
    MISSING_OR_UNKNOWN_TYPE,
    UNKNOWN_FIELD,
    VALUE_NOT_ALLOWED,
    WRONG_TYPE,
)
from compiler.definitions.definition_set import KIND_SINGULAR
from compiler.definitions.source import Document

_TYPE_WORD = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def findings_from_validation(error: ValidationError, document: Document, root: type[BaseModel]) -> list[Finding]:
    return [_finding(detail, document, root) for detail in error.errors(include_url=False)]


def _label(loc: tuple[int | str, ...], root: type[BaseModel]) -> str:
    """``thresholds.critical`` or ``severities[0].response_time``, relative to the item.

    The item itself (``monitors[3]``) is left out: the reported position
    already points into it. A bare kind (``monitors``) is kept.
    """
    parts: list[str] = []
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            if parts:
                parts[-1] += f"[{part}]"
            continue
        if isinstance(model, list):  # a discriminated union: pydantic inserted the tag
            model = _branch(model, part)
            continue
        parts.append(part)
        model = _field_type(model, part)
    if len(loc) == 1:
        return parts[0] if parts else ""
    return ".".join(parts[1:])


def _item_phrase(loc: tuple[int | str, ...], document: Document, root: type[BaseModel]) -> str:
    """' in monitor 'm'' for an item, ' in thresholds' deeper down, '' at the top."""
    if not loc:
        return ""
    label = _label(loc, root)
    if label and len(loc) > 1:
        return f" in {label}"
    kind = loc[0]
    if len(loc) == 2 and isinstance(loc[1], int) and isinstance(document.data, dict):
        items = document.data.get(kind)
        if isinstance(items, list) and 0 <= loc[1] < len(items) and isinstance(items[loc[1]], dict):
            name = items[loc[1]].get("name") or items[loc[1]].get("key")
            singular = KIND_SINGULAR.get(str(kind), str(kind))
            if isinstance(name, str):
                return f" in {singular} '{name}'"
            return f" in {singular} #{loc[1] + 1}"
    return f" in {kind}" if len(loc) == 1 else ""


def _fields_of(model: Any) -> dict[str, Any] | None:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return {name: f.annotation for name, f in model.model_fields.items()}
    return None


def _unwrap(annotation: Any) -> list[Any]:
    """Model classes reachable through Optional/list/dict/Annotated/Union."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (list, tuple, set, frozenset):
        return _unwrap(get_args(annotation)[0])
    if origin is dict:
        return _unwrap(get_args(annotation)[1])
    if origin in (Union, types.UnionType):
        out: list[Any] = []
        for arg in get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _field_type(model: Any, name: str) -> Any:
    fields = _fields_of(model)
    if fields is None or name not in fields:
        return None
    candidates = _unwrap(fields[name])
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        return candidates  # a union, resolved by the next (tag) component
    return None


def _branch(model: Any, tag: str) -> Any:
    if isinstance(model, list):
        for candidate in model:
            type_field = candidate.model_fields.get("type")
            if type_field is not None and tag in get_args(type_field.annotation):
                return candidate
    return model


def _model_at(loc: tuple[int | str, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        fields = _fields_of(model)
        if fields is None:
            model = _branch(model, part)
            continue
        if part not in fields:
            model = _branch(model, part)
            continue
        model = _field_type(model, part)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return model
    return None


@dataclass(frozen=True)
class _Error:
    """One pydantic error, with what every translation needs."""

    detail: ErrorDetails
    document: Document
    root: type[BaseModel]

    @property
    def loc(self) -> tuple[int | str, ...]:
        return tuple(self.detail["loc"])

    @property
    def ctx(self) -> dict[str, Any]:
        return dict(self.detail.get("ctx") or {})

    @property
    def value(self) -> Any:
        return self.detail.get("input")

    @property
    def prefix(self) -> str:
        label = _label(self.loc, self.root)
        return f"{label}: " if label else ""

    def at(self, rule: Rule, message: str, hint: str | None = None) -> Finding:
        return rule.finding(self.document.locate(self.loc), f"{self.prefix}{message}", hint)


def _unknown_field(e: _Error) -> Finding:
    loc = e.loc
    name = str(loc[-1])
    parent = _model_at(loc[:-1], e.root)
    allowed = sorted(parent.model_fields) if parent is not None else []
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75)
    hint = f"did you mean '{close[0]}'?" if close else None
    if allowed:
        hint = (hint + " " if hint else "") + "allowed fields: " + ", ".join(allowed)
    where = _item_phrase(loc[:-1], e.document, e.root)
    return UNKNOWN_FIELD.finding(e.document.locate_key(loc), f"unknown field '{name}'{where}", hint)


def _missing_field(e: _Error) -> Finding:
    loc = e.loc
    where = _item_phrase(loc[:-1], e.document, e.root)
    return MISSING_FIELD.finding(e.document.locate(loc[:-1]), f"missing required field '{loc[-1]}'{where}")


def _missing_type(e: _Error) -> Finding:
    tags = _expected_tags(e.loc, e.root)
    return e.at(
        MISSING_OR_UNKNOWN_TYPE, "missing required field 'type'", f"one of: {', '.join(tags)}" if tags else None
    )


def _unknown_type(e: _Error) -> Finding:
    tags = _expected_tags(e.loc, e.root)
    return MISSING_OR_UNKNOWN_TYPE.finding(
        e.document.locate((*e.loc, "type")),
        f"{e.prefix}unknown type {e.ctx.get('tag')!r}",
        f"one of: {', '.join(tags)}" if tags else None,
    )


def _alertc_rule(e: _Error) -> Finding:
    return e.at(VALUE_NOT_ALLOWED, str(e.detail["msg"]), e.ctx.get("hint") or None)


def _not_allowed(e: _Error) -> Finding:
    return e.at(VALUE_NOT_ALLOWED, f"invalid value {_show(e.value)}", f"expected {e.ctx.get('expected')}")


def _no_offset(e: _Error) -> Finding:
    return e.at(
        INVALID_DATE_TIME,
        f"date-time {_show(e.value)} has no UTC offset",
        "write it with an offset, e.g. 2026-12-05T02:00:00-05:00 or 2026-12-05T07:00:00Z",
    )


def _bad_date_time(e: _Error) -> Finding:
    return e.at(
        INVALID_DATE_TIME,
        f"invalid date-time {_show(e.value)}",
        "use ISO 8601 with an offset, e.g. 2026-12-05T02:00:00-05:00",
    )


def _pattern(e: _Error) -> Finding:
    return e.at(VALUE_NOT_ALLOWED, f"invalid value {_show(e.value)}", f"must match {e.ctx.get('pattern')}")


def _empty(e: _Error) -> Finding:
    return e.at(VALUE_NOT_ALLOWED, "must not be empty")


def _other(e: _Error) -> Finding:
    message = str(e.detail["msg"])
    for noise in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(noise)
    return e.at(VALUE_NOT_ALLOWED, message[0].lower() + message[1:] if message else message)


# pydantic error type -> translation; types not listed fall back to their expected-type word, then _other
_TRANSLATIONS: dict[str, Callable[[_Error], Finding]] = {
    "extra_forbidden": _unknown_field,
    "missing": _missing_field,
    "union_tag_not_found": _missing_type,
    "union_tag_invalid": _unknown_type,
    "alertc": _alertc_rule,
    "literal_error": _not_allowed,
    "timezone_aware": _no_offset,
    "string_pattern_mismatch": _pattern,
    "too_short": _empty,
}


def _finding(detail: ErrorDetails, document: Document, root: type[BaseModel]) -> Finding:
    e = _Error(detail, document, root)
    error_type = detail["type"]
    translate = _TRANSLATIONS.get(error_type)
    if translate is not None:
        return translate(e)
    expected = _TYPE_WORD.get(error_type)
    if expected is not None:
        return e.at(WRONG_TYPE, f"expected {expected}, got {_show(e.value)}")
    if error_type.startswith(("datetime_", "date_")):
        return _bad_date_time(e)
    return _other(e)


def _expected_tags(loc: tuple[int | str, ...], root: type[BaseModel]) -> list[str]:
    # the union field is the last named component of loc
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        model = _field_type(model, part) if _fields_of(model) is not None else model
    tags: list[str] = []
    if isinstance(model, list):
        for candidate in model:
            type_field = candidate.model_fields.get("type")
            if type_field is not None:
                tags.extend(str(a) for a in get_args(type_field.annotation))
    return tags


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)
