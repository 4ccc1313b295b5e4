"""A rule: a stable id, a severity, a title and an explanation, and the findings it reports.

The ids are a contract with users (they appear in CI logs and in suppressions
people write down): never renumber one; retire it instead. Each id is written
once, in the rule object that carries it; code that reports a finding of the
rule uses the object, so a finding's id, severity and ``--explain`` text can
never disagree.

This module imports nothing from alertc but the finding itself, so the lowest
layers (the YAML reader) can report their rules without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.checks.findings import Finding, Location, Severity


@dataclass(frozen=True)
class Rule:
    """What a user needs to know about a rule (shown by ``alertc validate --explain ID``)."""

    id: str
    severity: Severity
    title: str
    explanation: str

    def finding(
        self, location: Location | None, message: str, hint: str | None = None, *, where: str | None = None
    ) -> Finding:
        """A finding of this rule at ``location`` (``where`` names the place when there is no location)."""
        return Finding(location, message, hint, self.severity, where, self.id)

    def explain(self) -> str:
        return f"{self.id} ({self.severity}): {self.title}\n\n{self.explanation}\n"
