"""Finding and reading alert-test files: ``*.alertc-test.yaml`` anywhere under the definitions directory.

Read with the definitions' YAML reader (every position known, YAML 1.2, bounded), validated against the model, then
checked against the compiled alerting: every monitor, service, sign-in method, banner and person a test names must
exist. Every problem is a finding with ``file:line:col``, all at once.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from compiler.alerttest.model import AlertTest, AlertTestFile
from compiler.checks.alert_tests import (
    DUPLICATE_TEST,
    UNKNOWN_BANNER,
    UNKNOWN_MONITOR,
    UNKNOWN_PERSON,
    UNKNOWN_SERVICE,
)
from compiler.checks.findings import Finding, Location
from compiler.checks.rule import Rule
from compiler.definitions import Definitions
from compiler.definitions.errors_map import findings_from_validation
from compiler.definitions.loader import ALERT_TEST_SUFFIXES
from compiler.definitions.source import Document, ReadBudget, display_path, parse_file
from compiler.evaluate.world import World

BANNER_WORDS = ("none", "maintenance", "multiple_services")


@dataclass(frozen=True)
class Case:
    """One test, with the file it was written in (positions for its findings and failures)."""

    test: AlertTest
    document: Document
    index: int  # position in the file's ``tests``
    defaults: AlertTestFile

    def at(self, *path: str | int) -> Location:
        return self.document.locate(("tests", self.index, *path))

    def key_at(self, *path: str | int) -> Location:
        """The position of the key that ends ``path`` (a monitor or service named as a mapping key)."""
        return self.document.locate_key(("tests", self.index, *path))


@dataclass
class Loaded:
    cases: list[Case] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # files that cannot be read or do not fit the format
    duplicates: list[Finding] = field(default_factory=list)  # test names used twice
    files: list[str] = field(default_factory=list)


def is_test_file(name: str) -> bool:
    return name.endswith(ALERT_TEST_SUFFIXES)


def test_files(root: Path) -> Iterator[Path]:
    if root.is_file():  # one file named on the command line (``alertc rehearse SCENARIO``)
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if is_test_file(name) and not name.startswith("."):
                yield Path(dirpath) / name


def load_tests(root: Path) -> Loaded:
    loaded = Loaded()
    budget = ReadBudget()
    for path in test_files(root):
        shown = display_path(path)
        loaded.files.append(shown)
        parsed = parse_file(path, shown, root, budget)
        loaded.findings.extend(parsed.findings)
        for document in parsed.documents:
            if document.data is None:
                continue
            try:
                content = AlertTestFile.model_validate(document.data)
            except ValidationError as exc:
                loaded.findings.extend(findings_from_validation(exc, document, AlertTestFile))
                continue
            loaded.cases.extend(Case(t, document, i, content) for i, t in enumerate(content.tests))
    seen: dict[str, Case] = {}
    for case in loaded.cases:
        first = seen.setdefault(case.test.name, case)
        if first is not case:
            loaded.duplicates.append(
                DUPLICATE_TEST.finding(
                    case.at("name"),
                    f"test '{case.test.name}' is defined twice (first at {first.at('name')})",
                    "test names are unique across the test files",
                )
            )
    return loaded


def _suggest(value: str, known: Iterable[str]) -> str:
    choices = sorted(known)
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    shown = ", ".join(choices[:12]) + (", ..." if len(choices) > 12 else "")
    return f"known: {shown}" if choices else "none is defined"


def check_references(cases: list[Case], definitions: Definitions, world: World) -> list[Finding]:
    """Every name a test uses must exist in the compiled alerting."""
    monitors = set(world.monitors)
    services = {s.key for s in world.services.values()}
    methods = {a.name for a in definitions.auth_methods}
    shown = {*BANNER_WORDS, *(d.key for d in definitions.dependencies)}
    people = {*world.people.values(), *(m.email for t in definitions.teams for m in t.members)}
    out: list[Finding] = []

    def need(value: str | None, known: set[str], what: str, rule: Rule, location: Location) -> None:
        if value is not None and value not in known:
            out.append(rule.finding(location, f"no {what} '{value}'", _suggest(value, known)))

    for case in cases:
        test = case.test
        for i, ack in enumerate(test.acknowledgements):
            need(ack.service, services, "PagerDuty service", UNKNOWN_SERVICE, case.at("acknowledgements", i, "service"))
            need(ack.by, people, "person", UNKNOWN_PERSON, case.at("acknowledgements", i, "by"))
        for j, expect in enumerate(test.expect):
            for name in expect.monitors:
                need(
                    name, monitors, "monitor or SLO alert", UNKNOWN_MONITOR, case.key_at("expect", j, "monitors", name)
                )
            for name in expect.incidents:
                need(name, services, "PagerDuty service", UNKNOWN_SERVICE, case.key_at("expect", j, "incidents", name))
            for method, banner in expect.banners.items():
                need(method, methods, "sign-in method", UNKNOWN_BANNER, case.key_at("expect", j, "banners", method))
                need(banner, shown, "banner", UNKNOWN_BANNER, case.at("expect", j, "banners", method))
            events = {
                "pages": expect.pages,
                "slack": expect.slack,
                "pagerduty": expect.pagerduty,
                "declaration_prompts": expect.declaration_prompts,
            }
            for field_name, items in events.items():
                for k, item in enumerate(items or []):
                    for attr, known, what, code in (
                        ("monitor", monitors, "monitor or SLO alert", UNKNOWN_MONITOR),
                        ("service", services, "PagerDuty service", UNKNOWN_SERVICE),
                        ("person", people, "person", UNKNOWN_PERSON),
                    ):
                        where = case.at("expect", j, field_name, k, attr)
                        need(getattr(item, attr, None), known, what, code, where)
    return out
