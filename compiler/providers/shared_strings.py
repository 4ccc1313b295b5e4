"""Live strings equal to a desired one share its object instead of holding a second copy.

A monitor's message is most of its size (about 2.5 KB in the process's
monitors), and an unchanged monitor's live message is character for character
the compiled one. A plan holds both, for every object, while it compares them:
at 30,000 monitors the live copies alone were about 100 MB. Tags are short but
many (nine per monitor, most of them repeated across every monitor of a team).
Each listed item's long top-level strings, and the strings of its top-level
lists, are swapped for the desired bodies' identical string as its page is
decoded, so the duplicate is freed at once. Equality is what matters to every
reader, so nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MIN_LENGTH = 64  # shorter strings cost less than the table entry that would share them


class SharedStrings:
    """The desired bodies' long top-level strings and the strings of their top-level lists, by value."""

    def __init__(self, bodies: Iterable[Mapping[str, Any]] = ()) -> None:
        self._table: dict[str, str] = {}
        for body in bodies:
            for value in body.values():
                if isinstance(value, str) and len(value) >= MIN_LENGTH:
                    self._table.setdefault(value, value)
                elif isinstance(value, list):
                    for element in value:
                        if isinstance(element, str):
                            self._table.setdefault(element, element)

    def __len__(self) -> int:
        return len(self._table)

    def share(self, item: Any) -> Any:
        """``item`` (a listed JSON object) with its long top-level strings, and the strings of its
        top-level lists, replaced by the shared ones."""
        if not self._table or not isinstance(item, dict):
            return item
        table = self._table
        for key, value in item.items():
            if type(value) is str:
                if len(value) >= MIN_LENGTH:
                    item[key] = table.get(value, value)
            elif type(value) is list:
                value[:] = [table.get(e, e) if type(e) is str else e for e in value]
        return item
