"""Metric scopes: which series a ``{...}`` filter selects.

Datadog's tag filter grammar (https://docs.datadoghq.com/metrics/advanced-filtering/): ``*`` is every series;
``key:value`` selects series carrying that tag (``*`` is a wildcard in the value, as in
``resource_name:v1::sessionscontroller*``); a comma between filters, or ``AND``, means all of them; ``OR`` either;
``NOT`` / a leading ``!`` or ``-`` the negation; ``key IN (a,b)`` and ``key NOT IN (a,b)`` a set of values;
parentheses group. A bare word without a colon is a tag without a value (``host`` matches a series tagged
``host`` or ``host:<anything>``). Tags compare without regard to case, as Datadog lower-cases them on intake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

Tags = Mapping[str, str]
Predicate = Callable[[Tags], bool]

_TOKEN = re.compile(r"\s*(\(|\)|,|[^\s(),]+)")
_KEYWORDS = {"and", "or", "not", "in"}


class ScopeError(ValueError):
    """The scope is outside the filter grammar the evaluator knows."""


@dataclass(frozen=True)
class Scope:
    text: str
    matches: Predicate


def _tag(word: str) -> Predicate:
    key, sep, pattern = word.lower().partition(":")
    if not sep:
        return lambda tags: key in tags
    if "*" not in pattern:
        return lambda tags: tags.get(key) == pattern
    return lambda tags: key in tags and fnmatchcase(tags[key], pattern)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = [m.group(1) for m in _TOKEN.finditer(text)]
        if "".join(self.tokens).replace(" ", "") != re.sub(r"\s+", "", text):
            raise ScopeError(f"cannot read scope '{text}'")
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.lower() == word:
            self.i += 1
            return True
        return False

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            raise ScopeError(f"expected '{expected}'")
        self.i += 1

    def any_of(self) -> Predicate:
        parts = [self.all_of()]
        while self.keyword("or"):
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else (lambda tags: any(p(tags) for p in parts))

    def all_of(self) -> Predicate:
        parts = [self.negation()]
        while self.peek() == "," or (self.peek() or "").lower() == "and":
            self.i += 1
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else (lambda tags: all(p(tags) for p in parts))

    def negation(self) -> Predicate:
        if self.keyword("not"):
            inner = self.negation()
            return lambda tags: not inner(tags)
        return self.atom()

    def atom(self) -> Predicate:
        tok = self.peek()
        if tok is None:
            raise ScopeError("missing filter")
        if tok == "(":
            self.i += 1
            inner = self.any_of()
            self.take(")")
            return inner
        if tok in (")", ",") or tok.lower() in _KEYWORDS:
            raise ScopeError(f"unexpected '{tok}'")
        self.i += 1
        negated = tok[0] in "!-"
        word = tok[1:] if negated else tok
        if not word:
            raise ScopeError(f"unexpected '{tok}'")
        predicate = self._in_list(word) or _tag(word)
        if negated:
            return lambda tags: not predicate(tags)
        return predicate

    def _in_list(self, key: str) -> Predicate | None:
        start = self.i
        negated = self.keyword("not")
        if not self.keyword("in"):
            self.i = start
            return None
        self.take("(")
        values: set[str] = set()
        while True:
            tok = self.peek()
            if tok is None or tok in ("(", ")", ","):
                raise ScopeError(f"expected a value in the IN list of '{key}'")
            values.add(tok.lower())
            self.i += 1
            if self.peek() == ",":
                self.i += 1
                continue
            self.take(")")
            break
        name = key.lower()

        def member(tags: Tags) -> bool:
            return tags.get(name) in values

        return (lambda tags: not member(tags)) if negated else member


@lru_cache(maxsize=4096)
def parse_scope(text: str) -> Scope:
    """The predicate of a scope's text (the part between the braces); raises ``ScopeError``."""
    stripped = text.strip()
    if stripped in ("", "*"):
        return Scope(stripped or "*", lambda _tags: True)
    parser = _Parser(stripped)
    predicate = parser.any_of()
    if parser.peek() is not None:
        raise ScopeError(f"unexpected '{parser.peek()}' in scope '{stripped}'")
    return Scope(stripped, predicate)


def parse_tags(text: str) -> dict[str, str]:
    """``"env:prod,type:idme"`` → ``{"env": "prod", "type": "idme"}`` (a tag without value maps to "")."""
    out: dict[str, str] = {}
    for raw in text.split(","):
        part = raw.strip()
        if part:
            key, _, value = part.partition(":")
            out[key.strip().lower()] = value.strip().lower()
    return out
