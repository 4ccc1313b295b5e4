"""Every rule alertc can report, in one registry: ``alertc validate --explain ID`` reads it.

The rules are found, not listed: every ``Rule`` object of the family modules
(``files``, ``schema``, ``references``), the banner and SLO rules of
``catalog``, and the process-lint rules ``compiler.process_lint`` registers.
"""

from __future__ import annotations

from compiler.checks import files, references, schema
from compiler.checks.catalog import CATALOG
from compiler.checks.rule import Rule
from compiler.process_lint import RULES as PROCESS_RULES


def all_rules() -> dict[str, Rule]:
    """Every rule by id, sorted by id."""
    found = [r for module in (files, schema, references) for r in vars(module).values() if isinstance(r, Rule)]
    found += CATALOG.values()
    found += [Rule(r.id, r.severity, r.title, r.explanation) for r in PROCESS_RULES.values()]
    merged: dict[str, Rule] = {}
    for r in found:
        if r.id in merged:  # pragma: no cover - a programming error caught by every test run
            raise ValueError(f"rule id {r.id} is registered twice")
        merged[r.id] = r
    return dict(sorted(merged.items()))


def explain(rule_id: str) -> str:
    """The text ``--explain`` prints; KeyError for an id no rule has."""
    r = all_rules().get(rule_id.strip().upper())
    if r is None:
        raise KeyError(rule_id)
    return r.explain()
