"""Findings: what validation reports, each pinned to a place a user can open.

A finding is data; rendering it as ``file:line:col: message`` plus an indented
hint is the CLI's one output format for definition problems, so editors and CI
annotations can both parse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a definitions file (``file`` as the user should see it)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """One problem in the definitions.

    ``location`` is None only for problems that belong to no file (an empty
    definitions directory, a kind that must be defined somewhere but is not).
    """

    location: Location | None
    message: str
    hint: str | None = None
    severity: Severity = "error"
    where: str | None = None
    code: str | None = None  # the id of the rule reported (compiler/checks), explained by `alertc validate --explain`

    def render(self) -> str:
        prefix = str(self.location) if self.location is not None else (self.where or "definitions")
        message = f"[{self.code}] {self.message}" if self.code else self.message
        text = f"{prefix}: {message}"
        if self.severity == "warning":
            text = f"{prefix}: warning: {message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        if self.location is None:
            return ("", 0, 0, self.message)
        return (self.location.file, self.location.line, self.location.column, self.message)
