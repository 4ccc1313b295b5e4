"""The one field-change formatter: a before/after pair → signed diff lines, nothing ever cut short.

Every output prints these lines its own way (the terminal with ``~`` arrows and
colour, markdown as real ``-``/``+`` pairs GitHub highlights), so a reviewer
reads the same changes everywhere. The conventions are Terraform's, which
reviewers already read fluently:

- a scalar changed in place: ``~ path: before -> after`` (markdown: a ``-``/``+`` pair);
- a long string changed in place: a word diff with the changed part marked
  ``[-old-]{+new+}``; a multi-line string: a heredoc block with a line diff;
- an object: expanded key by key, each key with its own ``+``/``-``/``~``;
- a list: element by element, unchanged elements kept for context.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

ABSENT = "(absent)"  # what the planner records for a field that is not there on one side
LONG_STRING = 60  # a changed string at least this long is shown as a word diff, not twice
INLINE_LIST = 80  # a list of scalars whose JSON is at most this long stays on one line

Sign = Literal["+", "-", "~", " "]
Style = Literal["arrow", "pair"]


@dataclass(frozen=True)
class DiffLine:
    """One line of a change: its sign, how deep it is nested, and the text after the sign."""

    sign: Sign
    depth: int
    text: str


@dataclass(frozen=True)
class Wording:
    """How an in-place change reads: plan says ``before -> after``, drift says ``live … / definitions …``."""

    before: str = ""
    between: str = " -> "
    after: str = ""

    def arrow(self, before: str, after: str) -> str:
        return f"{self.before}{before}{self.between}{self.after}{after}"


PLAN_WORDING = Wording()
DRIFT_WORDING = Wording(before="live ", between=" / ", after="definitions ")


def scalar(value: Any) -> str:
    """A scalar as JSON (so strings are quoted and escaped exactly once), never shortened."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def value_lines(name: str, value: Any, sign: Sign, depth: int) -> Iterator[DiffLine]:
    """A whole value added or removed (or a create's body): objects and lists expanded, strings in full."""
    if isinstance(value, Mapping):
        if not value:
            yield DiffLine(sign, depth, f"{name} = {{}}")
            return
        yield DiffLine(sign, depth, f"{name} = {{")
        for key in sorted(value):
            yield from value_lines(str(key), value[key], sign, depth + 1)
        yield DiffLine(sign, depth, "}")
    elif isinstance(value, list):
        inline = scalar(value)
        if len(inline) <= INLINE_LIST and not any(isinstance(v, Mapping | list) for v in value):
            yield DiffLine(sign, depth, f"{name} = {inline}")
            return
        yield DiffLine(sign, depth, f"{name} = [")
        for item in value:
            yield from _element_lines(item, sign, depth + 1)
        yield DiffLine(sign, depth, "]")
    elif isinstance(value, str) and "\n" in value:
        yield DiffLine(sign, depth, f"{name} = <<EOT")
        for line in value.split("\n"):
            yield DiffLine(sign, depth + 1, line)
        yield DiffLine(sign, depth, "EOT")
    else:
        yield DiffLine(sign, depth, f"{name} = {scalar(value)}")


def _element_lines(item: Any, sign: Sign, depth: int) -> Iterator[DiffLine]:
    """A list element: objects expanded, scalars on their own line."""
    if isinstance(item, Mapping):
        yield DiffLine(sign, depth, "{")
        for key in sorted(item):
            yield from value_lines(str(key), item[key], sign, depth + 1)
        yield DiffLine(sign, depth, "}")
    else:
        yield DiffLine(sign, depth, scalar(item))


def change_lines(
    name: str, before: Any, after: Any, *, depth: int = 0, style: Style = "arrow", wording: Wording = PLAN_WORDING
) -> Iterator[DiffLine]:
    """The lines for one changed field (``name`` may be a dotted path)."""
    if before == after:
        return
    if before == ABSENT:
        yield from value_lines(name, after, "+", depth)
    elif after == ABSENT:
        yield from value_lines(name, before, "-", depth)
    elif isinstance(before, Mapping) and isinstance(after, Mapping):
        yield DiffLine("~", depth, f"{name} = {{")
        for key in sorted(set(before) | set(after), key=str):
            yield from change_lines(
                str(key),
                before.get(key, ABSENT),
                after.get(key, ABSENT),
                depth=depth + 1,
                style=style,
                wording=wording,
            )
        yield DiffLine(" ", depth, "}")
    elif isinstance(before, list) and isinstance(after, list):
        yield DiffLine("~", depth, f"{name} = [")
        yield from _list_lines(before, after, depth + 1)
        yield DiffLine(" ", depth, "]")
    elif isinstance(before, str) and isinstance(after, str) and ("\n" in before or "\n" in after):
        yield DiffLine("~", depth, f"{name} = <<EOT")
        for tag, line in _line_diff(before.split("\n"), after.split("\n")):
            yield DiffLine(tag, depth + 1, line)
        yield DiffLine(" ", depth, "EOT")
    elif style == "pair":
        yield DiffLine("-", depth, f"{name}: {wording.before}{scalar(before)}")
        yield DiffLine("+", depth, f"{name}: {wording.after}{scalar(after)}")
        if isinstance(before, str) and isinstance(after, str) and max(len(before), len(after)) >= LONG_STRING:
            yield DiffLine(" ", depth, f"  ^ changed: {', '.join(changed_parts(before, after))}")
    elif isinstance(before, str) and isinstance(after, str) and max(len(before), len(after)) >= LONG_STRING:
        yield DiffLine("~", depth, f'{name}: "{word_diff(before, after)}"')
    else:
        yield DiffLine("~", depth, f"{name}: {wording.arrow(scalar(before), scalar(after))}")


def _list_lines(before: Sequence[Any], after: Sequence[Any], depth: int) -> Iterator[DiffLine]:
    keys_before = [scalar(v) for v in before]
    keys_after = [scalar(v) for v in after]
    matcher = difflib.SequenceMatcher(a=keys_before, b=keys_after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for item in before[i1:i2]:
                yield from _element_lines(item, " ", depth)
            continue
        for item in before[i1:i2]:
            yield from _element_lines(item, "-", depth)
        for item in after[j1:j2]:
            yield from _element_lines(item, "+", depth)


def _line_diff(before: list[str], after: list[str]) -> Iterator[tuple[Sign, str]]:
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for line in before[i1:i2]:
                yield " ", line
            continue
        for line in before[i1:i2]:
            yield "-", line
        for line in after[j1:j2]:
            yield "+", line


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _word_opcodes(before: str, after: str) -> tuple[list[str], list[str], list[tuple[str, int, int, int, int]]]:
    a: list[str] = _TOKEN.findall(before)
    b: list[str] = _TOKEN.findall(after)
    return a, b, list(difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes())


def _escaped(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def word_diff(before: str, after: str) -> str:
    """The whole string once, each changed run marked ``[-removed-]{+added+}`` (git's word-diff markers)."""
    a, b, opcodes = _word_opcodes(before, after)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out.append(_escaped("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"[-{_escaped(''.join(a[i1:i2]))}-]")
        if j2 > j1:
            out.append(f"{{+{_escaped(''.join(b[j1:j2]))}+}}")
    return "".join(out)


def changed_parts(before: str, after: str) -> list[str]:
    """Only the changed runs, marked as in :func:`word_diff`: the pointer under a long ``-``/``+`` pair."""
    a, b, opcodes = _word_opcodes(before, after)
    parts = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        removed = f"[-{_escaped(''.join(a[i1:i2]))}-]" if i2 > i1 else ""
        added = f"{{+{_escaped(''.join(b[j1:j2]))}+}}" if j2 > j1 else ""
        parts.append(removed + added)
    return parts
