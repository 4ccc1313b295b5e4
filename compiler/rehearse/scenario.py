"""A rehearsal's scenario: one test of an alert-test file (``alertc test``'s format, so a rehearsal can become a
test), with its names checked against the definitions as ``alertc test`` checks them."""

from __future__ import annotations

from pathlib import Path

from compiler.alerttest.compiled import compiled_world
from compiler.alerttest.load import Case, check_references, load_tests
from compiler.checks.findings import Finding
from compiler.compile.compiler import CompileResult
from compiler.definitions import Definitions
from compiler.errors import DefinitionsError
from compiler.kinds import all_kinds
from compiler.kinds.datadog.monitor import MONITORS_FAMILY
from compiler.resources import ResourceSet


class ScenarioFindings(DefinitionsError):
    """The scenario file has problems, each a finding with its ``file:line:col``."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("the scenario has problems")
        self.findings = findings


def load_scenario(path: Path, select: str | None, definitions: Definitions, compiled: CompileResult) -> Case:
    """The scenario's test (``select`` by name; a file of one test needs none)."""
    loaded = load_tests(path)
    findings = [*loaded.findings, *loaded.duplicates]
    if not findings and loaded.cases:
        findings = check_references(loaded.cases, definitions, compiled_world(definitions, compiled))
    if findings:
        raise ScenarioFindings(findings)
    names = [c.test.name for c in loaded.cases]
    chosen = [c for c in loaded.cases if select is None or c.test.name == select]
    if not loaded.cases:
        raise DefinitionsError(f"{path}: no test in the scenario file")
    if select is None and len(chosen) > 1:
        raise DefinitionsError(f"{path} holds {len(names)} tests; choose one with --run NAME: {', '.join(names)}")
    if not chosen:
        raise DefinitionsError(f"{path}: no test named '{select}'; the file has {', '.join(names)}")
    return chosen[0]


def monitor_names(resources: ResourceSet) -> dict[str, str]:
    """Monitor name in Datadog → its definitions name (how a team names it)."""
    return {
        str(r.body.get("name")): r.key
        for kind in all_kinds()
        if kind.api_family == MONITORS_FAMILY
        for r in resources.by_kind(kind.provider, kind.kind)
    }
