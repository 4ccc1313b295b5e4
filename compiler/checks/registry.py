"""Every rule alertc can report, in one registry: ``alertc validate --explain ID`` reads it.

The definitions rules (D, R, B, S) are catalogued in ``compiler.checks.catalog``;
the process-lint rules (P) register themselves next to their checks in
``compiler.process_lint``. This module merges the two, so there is one list
to explain from and for the tests to hold every id to a good/bad pair.
"""

from __future__ import annotations

from compiler.checks.catalog import CATALOG, RuleInfo
from compiler.process_lint import RULES as PROCESS_RULES


def all_rules() -> dict[str, RuleInfo]:
    """Every rule by id, sorted by id (read at call time: process-lint rules register on import)."""
    merged: dict[str, RuleInfo] = dict(CATALOG)
    for rule_id, r in PROCESS_RULES.items():
        if rule_id in merged:  # pragma: no cover - a programming error caught by every test run
            raise ValueError(f"rule id {rule_id} is registered twice")
        merged[rule_id] = RuleInfo(r.id, r.severity, r.title, r.explanation)
    return dict(sorted(merged.items()))


def explain(rule_id: str) -> str:
    """The text ``--explain`` prints; KeyError for an id no rule has."""
    r = all_rules().get(rule_id.strip().upper())
    if r is None:
        raise KeyError(rule_id)
    return f"{r.id} ({r.severity}): {r.title}\n\n{r.explanation}\n"
