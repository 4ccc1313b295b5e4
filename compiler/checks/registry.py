"""Every rule alertc can report, found where it is declared: ``alertc validate --explain ID`` reads it.

The rules are discovered, not listed: every ``Rule`` object a module of this
package declares (the families ``files``, ``schema``, ``references``,
``banners``, ``slos`` and ``process/*``). A rule id is written once, in its
rule object; two objects with one id are a programming error every test run
catches.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

import compiler.checks
from compiler.checks.context import SetRule
from compiler.checks.rule import Rule


def rules_of(module: ModuleType) -> list[Rule]:
    """The rules ``module`` declares, in the order it declares them."""
    return [value for value in vars(module).values() if isinstance(value, Rule)]


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule by id, sorted by id."""
    found: dict[str, Rule] = {}
    for info in pkgutil.walk_packages(compiler.checks.__path__, "compiler.checks."):
        for rule in rules_of(importlib.import_module(info.name)):
            if found.setdefault(rule.id, rule) is not rule:
                raise ValueError(f"rule id {rule.id} is declared twice")
    return dict(sorted(found.items()))


def set_rules() -> list[SetRule]:
    """The rules checked over a loaded definition set (banners, SLOs, process lint), by id."""
    return [rule for rule in all_rules().values() if isinstance(rule, SetRule)]


def explain(rule_id: str) -> str:
    """The text ``--explain`` prints; KeyError for an id no rule has."""
    rule = all_rules().get(rule_id.strip().upper())
    if rule is None:
        raise KeyError(rule_id)
    return rule.explain()
