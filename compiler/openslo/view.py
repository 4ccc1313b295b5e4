"""Reading an OpenSLO document while remembering what was read, so nothing is dropped silently.

The importer reads each object through a ``View``: every key it looks at is
marked, with its whole value (``get``) or as a container it walks into
(``child``/``items``). Afterwards ``unread`` lists every key nobody marked, each
with its ``file:line:col``: those are the fields alertc has no meaning for, and
each becomes a finding instead of vanishing from the import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from compiler.definitions import Location
from compiler.definitions.source import Document

Path = tuple[str | int, ...]


@dataclass(eq=False)
class Usage:
    """What the importer read of one document: paths read whole, and containers walked into."""

    whole: set[Path] = field(default_factory=set)
    entered: set[Path] = field(default_factory=set)


@dataclass(eq=False)
class View:
    """A mapping at ``loc`` inside ``document``; reads through it are recorded in ``usage``."""

    document: Document
    loc: Path
    data: dict[str, Any]
    usage: Usage

    def get(self, key: str) -> Any:
        """The value under ``key`` (None when absent), marked as read with everything below it."""
        if key in self.data:
            self.usage.whole.add((*self.loc, key))
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def child(self, key: str) -> View | None:
        """The mapping under ``key`` as a view (None when absent or not a mapping); its own keys stay unread."""
        value = self.data.get(key)
        if not isinstance(value, dict):
            return None
        self.usage.entered.add((*self.loc, key))
        return View(self.document, (*self.loc, key), value, self.usage)

    def items(self, key: str) -> list[View | Any]:
        """The list under ``key``: each mapping as a view, anything else as it is (empty when absent)."""
        value = self.data.get(key)
        if not isinstance(value, list):
            return []
        self.usage.entered.add((*self.loc, key))
        out: list[View | Any] = []
        for index, item in enumerate(value):
            path = (*self.loc, key, index)
            if isinstance(item, dict):
                self.usage.entered.add(path)
                out.append(View(self.document, path, item, self.usage))
            else:
                self.usage.whole.add(path)
                out.append(item)
        return out

    def consume(self, *keys: str) -> None:
        """Mark ``keys`` as read without using them (their meaning is carried elsewhere)."""
        for key in keys:
            if key in self.data:
                self.usage.whole.add((*self.loc, key))

    def consume_at(self, *more: str | int) -> None:
        """Mark the value at a deeper path as read, with everything below it (an inline object left out whole)."""
        self.usage.whole.add((*self.loc, *more))

    def at(self, *more: str | int) -> Location:
        """Where a value (or, if absent, the deepest mapping on its way) is written."""
        return self.document.locate((*self.loc, *more))

    def key_at(self, key: str) -> Location:
        """Where the key itself is written (for a field that is there but should not be)."""
        return self.document.locate_key((*self.loc, key))

    def field_name(self, *more: str | int) -> str:
        """``spec.objectives[0].target``: the path of a value as a user finds it in the object."""
        return dotted((*self.loc, *more))

    def unread(self) -> Iterator[tuple[str, Location]]:
        """Every key under this view that nothing read: its dotted name and its position."""
        stack: list[tuple[Path, Any]] = [(self.loc, self.data)]
        while stack:
            path, value = stack.pop()
            entries: list[tuple[str | int, Any]]
            if isinstance(value, dict):
                entries = list(value.items())
            elif isinstance(value, list):
                entries = list(enumerate(value))
            else:
                continue
            for key, item in reversed(entries):
                here = (*path, key)
                if here in self.usage.whole:
                    continue
                if here in self.usage.entered:
                    stack.append((here, item))
                    continue
                name = dotted(here)
                location = self.document.locate_key(here) if isinstance(key, str) else self.document.locate(here)
                yield name, location


def dotted(path: Path) -> str:
    """A path as ``spec.objectives[0].target``; the index of an object in a list document is left out."""
    parts = path[1:] if path and isinstance(path[0], int) else path
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + part
    return text
