"""What an OpenSLO import tells its user: errors (something was not imported) and warnings.

Each finding is a rule's (``compiler/checks/openslo.py``, explained by
``alertc validate --explain``). An *error* means a document, an SLO or an alerting tier was left out (an
unsupported data source, a calendar window, a dangling reference); the import
exits 1. A *warning* means something was imported with a default or lost a field
alertc has no place for. Either way the finding carries the position of what it
is about, so a reviewer can open the document at that line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from compiler.checks.rule import Rule
from compiler.definitions import Finding, Location

T = TypeVar("T")


class NotImported(Exception):
    """The object being mapped cannot be imported: a finding of ``rule`` at ``location`` (``also``: more reasons)."""

    def __init__(
        self,
        rule: Rule,
        location: Location,
        message: str,
        hint: str | None = None,
        *,
        also: Sequence[NotImported] = (),
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.location = location
        self.message = message
        self.hint = hint
        self.also = tuple(also)


class Attempts:
    """Runs the independent parts of one mapping, keeping every reason it fails, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[NotImported] = []

    def run(self, part: Callable[[], T]) -> T | None:
        try:
            return part()
        except NotImported as problem:
            self.problems.append(problem)
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            first, *rest = self.problems
            raise NotImported(first.rule, first.location, first.message, first.hint, also=[*first.also, *rest])


@dataclass
class Report:
    """The findings of one import, in the order they were made (sorted when shown)."""

    findings: list[Finding] = field(default_factory=list)

    def add(
        self, rule: Rule, location: Location | None, message: str, hint: str | None = None, *, where: str = ""
    ) -> None:
        """A finding of ``rule`` (an O6xx error: something was not imported; an O65x warning)."""
        self.findings.append(rule.finding(location, message, hint, where=where or None))

    def not_imported(self, problem: NotImported) -> None:
        for each in (problem, *problem.also):
            self.add(each.rule, each.location, each.message, each.hint)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def sorted(self) -> list[Finding]:
        return sorted(dict.fromkeys(self.findings), key=Finding.sort_key)
