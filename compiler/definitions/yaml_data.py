"""YAML text → plain Python data, straight from the C parser's events, with findings for what YAML hides.

PyYAML's constructors keep the last of two duplicate keys, expand aliases and read ``no`` as false. Building
from the parser's events instead (no node graph: ten thousand monitors are some 350,000 events, and making a
node of each, resolving its tag and walking the nodes again took a third of validating such a set) lets the
builder

* report duplicate keys, merge keys, complex keys, over-deep nesting and out-of-range numbers as findings at
  their position, and build the rest;
* refuse aliases (``_AliasUsed``) before anything expands: an alias bomb or a cycle never grows;
* type plain scalars by the YAML 1.2 core schema only: ``true``/``false``, null, integers and floats;
  ``no``/``on``, ``09:00`` and timestamps stay strings, for the models to parse with their own rules.

What is skipped (a duplicate key's value, a merge key's, a subtree past ``MAX_DEPTH``) is consumed without
being built, and an alias inside it is not an error, as a value never built cannot expand.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from compiler.checks.files import (
    COMPLEX_KEY,
    DUPLICATE_KEY,
    MAX_DEPTH,
    MAX_INTEGER,
    MERGE_KEY,
    NESTED_TOO_DEEPLY,
    NUMBER_OUT_OF_RANGE,
)
from compiler.checks.findings import Finding, Location

_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}

_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_COLLECTION_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NO_KEY = object()  # a mapping waiting for its next key
_PLAIN = (None, "!")  # the tags of a scalar the core schema types (none, or the non-specific "!")
_SPECIAL = _NULLS | frozenset(_BOOLS)  # with a number's first character: what typing may change
_NUMBER_START = frozenset("0123456789+-.")


class AliasUsed(Exception):
    """The document uses an alias (refused: definitions read the same as they apply)."""


class _Collection:
    """A mapping or sequence being built, and for a mapping its pending key and the keys' first positions."""

    __slots__ = ("first_seen", "is_map", "key", "value")

    def __init__(self, is_map: bool) -> None:
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.key: Any = _NO_KEY
        self.first_seen: dict[Any, yaml.Mark] = {}


class DataBuilder:
    """Builds the documents of one stream of parser events; ``findings`` collects what was refused in them."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.findings: list[Finding] = []
        self._anchors: dict[str, yaml.Mark] = {}

    def document(self, next_event: Any) -> Any:
        """The data of the next document, its ``DocumentStartEvent`` already read; reads up to its end.

        The loop runs once per event (some 350,000 for ten thousand monitors), so the common cases (a key, a
        plain string) are decided inline; anchors, merge and duplicate keys and typed scalars take calls.
        """
        self._anchors = {}  # anchors are per document, as the composer has them
        stack: list[_Collection] = []
        top: _Collection | None = None  # the innermost collection being built
        result: Any = None
        while True:
            event = next_event()
            kind = event.__class__
            if kind is _SCALAR:
                if event.anchor is not None:
                    self._anchor(event)
                value = event.value
                if top is not None and top.is_map and top.key is _NO_KEY:  # keys are their text, never typed
                    if value in top.first_seen or value == "<<":
                        self._key(top, event, next_event)  # a duplicate or a merge key: refused
                    else:
                        top.first_seen[value] = event.start_mark
                        top.key = value
                    continue
                if (value in _SPECIAL or value[:1] in _NUMBER_START) and event.implicit[0] and event.tag in _PLAIN:
                    value = self._scalar(event)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None:
                    self._anchor(event)
                if top is not None and top.is_map and top.key is _NO_KEY:  # a collection as a key: not built
                    self._finding(COMPLEX_KEY, event, "mapping keys must be plain scalars")
                    self._skip(next_event)
                    self._skip_value(next_event)
                    continue
                if len(stack) < MAX_DEPTH:
                    top = _Collection(kind is _MAPPING_START)
                    stack.append(top)
                    continue
                message = f"values are nested more than {MAX_DEPTH} levels deep"
                self._finding(NESTED_TOO_DEEPLY, event, message, "flatten the structure")
                self._skip(next_event)
                value = None
            elif kind in _COLLECTION_END:
                value = stack.pop().value
                top = stack[-1] if stack else None
            elif kind is yaml.AliasEvent:
                self._alias(event)
                self._skip(next_event, until=yaml.DocumentEndEvent)  # a YAML error after it is the one reported
                raise AliasUsed
            elif kind is yaml.DocumentEndEvent:
                return result
            else:  # pragma: no cover - the parser makes only the events above inside a document
                raise TypeError(f"unexpected YAML event {event!r}")
            if top is None:
                result = value
            elif top.is_map:
                top.value[top.key] = value
                top.key = _NO_KEY
            else:
                top.value.append(value)

    def _key(self, top: _Collection, event: Any, next_event: Any) -> None:
        """A scalar in key position: keys are their text (``1:`` is the key ``"1"``), never typed."""
        key = event.value
        if key == "<<" and event.tag in _PLAIN and event.implicit[0]:
            hint = "write the fields out; definitions should read the same as they apply"
            self._finding(MERGE_KEY, event, "YAML merge keys ('<<') are not supported", hint)
            self._skip_value(next_event)
            return
        first = top.first_seen.get(key)
        if first is not None:
            message = f"duplicate key '{key}' (first defined at line {first.line + 1})"
            self._finding(DUPLICATE_KEY, event, message, "YAML keeps only one of them; remove or rename one")
            self._skip_value(next_event)
            return
        top.first_seen[key] = event.start_mark
        top.key = key

    def _anchor(self, event: Any) -> None:
        """Remember an anchor (refusing a second of one name, as the composer does)."""
        anchor = event.anchor
        if anchor is None:
            return
        if anchor in self._anchors:
            first = self._anchors[anchor]
            raise yaml.composer.ComposerError(
                "found duplicate anchor; first occurrence", first, "second occurrence", event.start_mark
            )
        self._anchors[anchor] = event.start_mark

    def _alias(self, event: Any) -> None:
        """An alias must name an anchor met before (the composer's error otherwise)."""
        if event.anchor not in self._anchors:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)

    def _skip(self, next_event: Any, until: type | None = None) -> None:
        """Consume the rest of a collection whose start was just read (or, with ``until``, every event up to and
        including the next of that class): nothing is built and no alias followed, but anchors are remembered
        (an alias elsewhere to one is still an alias) and the parser's and composer's errors still raised."""
        depth = 1
        while depth:
            event = next_event()
            kind = event.__class__
            if kind is _MAPPING_START or kind is _SEQUENCE_START or kind is _SCALAR:
                self._anchor(event)
            elif kind is yaml.AliasEvent:
                self._alias(event)
            if until is not None:
                depth = 0 if kind is until else 1
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                depth += 1
            elif kind in _COLLECTION_END:
                depth -= 1

    def _skip_value(self, next_event: Any) -> None:
        """Consume one whole value (a scalar, an alias or a collection) without building it."""
        event = next_event()
        kind = event.__class__
        if kind is _MAPPING_START or kind is _SEQUENCE_START:
            self._anchor(event)
            self._skip(next_event)
        elif kind is _SCALAR:
            self._anchor(event)
        elif kind is yaml.AliasEvent:
            self._alias(event)

    def _finding(self, rule: Any, event: Any, message: str, hint: str | None = None) -> None:
        mark = event.start_mark
        self.findings.append(rule.finding(Location(self.display, mark.line + 1, mark.column + 1), message, hint))

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        if value in _NULLS:
            return None
        if value in _BOOLS:
            return _BOOLS[value]
        first = value[0]
        if first.isdigit() or first in "+-.":
            if _INT.match(value):
                digits = value.replace("_", "")
                # checked on the text first: int() of thousands of digits is slow (and refused past 4300)
                if len(digits.lstrip("+-").lstrip("0")) > len(str(MAX_INTEGER)) or abs(int(digits)) > MAX_INTEGER:
                    return self._out_of_range(event, f"integer {_short(value)} is out of range")
                return int(digits)
            if _FLOAT.match(value):
                number = float(value.replace("_", ""))
                if not math.isfinite(number):
                    return self._out_of_range(event, f"number {_short(value)} is too large (it overflows to infinity)")
                return number
            if value.lower() in (".inf", "+.inf", "-.inf", ".nan"):
                return self._out_of_range(event, f"{value} is not a finite number")
        return value

    def _out_of_range(self, event: Any, message: str) -> None:
        self._finding(
            NUMBER_OUT_OF_RANGE, event, message, f"write a finite number between -{MAX_INTEGER} and {MAX_INTEGER}"
        )


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}...{text[-6:]} ({len(text)} characters)"
