"""Running the rules checked over a loaded definition set: the banner chain, SLO burn-rate tiers, process lint.

One ``LintContext`` per call: what several rules share is computed once, and
nothing of the set outlives the call.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from compiler.checks.context import LintContext, SetRule
from compiler.checks.findings import Finding
from compiler.checks.registry import set_rules
from compiler.definitions import Definitions


def lint(definitions: Definitions, now: datetime, rules: Iterable[SetRule] | None = None) -> list[Finding]:
    """Every finding of ``rules`` (all set rules, by id) on validated definitions (references resolved)."""
    if definitions.process is None:
        return []
    ctx = LintContext(definitions, now)
    return [finding for rule in (set_rules() if rules is None else rules) for finding in rule.findings(ctx)]
