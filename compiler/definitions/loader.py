"""Loading a definitions directory: files → documents → models → one Definitions.

All problems are collected, not just the first: a user fixing a definitions
set should see every error of a run at once. Reference checks run only when
every file is individually valid, because a broken team would otherwise echo
as "unknown team" on every service that names it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from compiler.checks.files import (
    NO_DEFINITIONS_FILES,
    NOT_A_DEFINITIONS_FILE,
    NOT_A_MAPPING_OF_SECTIONS,
    SECTION_DEFINED_TWICE,
)
from compiler.checks.findings import Finding, Location
from compiler.definitions.definition_set import (
    LIST_KINDS,
    SINGLE_KINDS,
    Definitions,
    DefinitionsFile,
    check_references,
)
from compiler.definitions.errors_map import findings_from_validation
from compiler.definitions.section import Origin
from compiler.definitions.source import Document, ReadBudget, display_path, parse_file
from compiler.errors import DefinitionsError

YAML_SUFFIXES = (".yaml", ".yml")
IGNORED_SUFFIXES = (".md",)
ALERT_TEST_SUFFIXES = (".alertc-test.yaml", ".alertc-test.yml")  # alert tests live beside the definitions (alertc test)


@dataclass
class LoadResult:
    definitions: Definitions | None
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def load_definitions(root: Path) -> LoadResult:
    """Load and validate every definitions file under ``root``.

    Raises DefinitionsError only when there is nothing to load at all (the
    directory is missing); everything else is a finding. Loading has no
    process-wide side effects: pausing or freezing the garbage collector
    around it is the entry point's decision (see the CLI).
    """
    return _load(root)


def _load(root: Path) -> LoadResult:
    if not root.exists():
        raise DefinitionsError(
            f"{display_path(root)}: definitions directory does not exist\n"
            "  hint: pass the directory that holds your *.yaml files with -d/--definitions"
        )
    if not root.is_dir():
        raise DefinitionsError(f"{display_path(root)}: not a directory\n  hint: -d/--definitions takes a directory")

    findings: list[Finding] = []
    documents: list[tuple[Document, BaseModel]] = []
    yaml_files = 0
    files: list[str] = []
    budget = ReadBudget()
    for path in _walk(root):
        if budget.exhausted:
            break
        shown = display_path(path)
        if path.suffix in IGNORED_SUFFIXES or path.name.endswith(ALERT_TEST_SUFFIXES):
            continue
        if path.suffix not in YAML_SUFFIXES:
            findings.append(
                NOT_A_DEFINITIONS_FILE.finding(
                    Location(shown, 1, 1),
                    f"not a definitions file: '{path.name}' (expected a .yaml or .yml file)",
                    hint="move it out of the definitions directory, or rename it if it is YAML",
                )
            )
            continue
        yaml_files += 1
        files.append(shown)
        parsed = parse_file(path, shown, root, budget)
        findings.extend(parsed.findings)
        if parsed.findings:
            continue
        for document in parsed.documents:
            if document.data is None:
                continue
            if not isinstance(document.data, dict):
                findings.append(
                    NOT_A_MAPPING_OF_SECTIONS.finding(
                        document.locate(()),
                        "a definitions document must be a mapping of kinds",
                        hint="top-level keys: " + ", ".join((*SINGLE_KINDS, *LIST_KINDS)),
                    )
                )
                continue
            try:
                validated = DefinitionsFile.model_validate(document.data)
            except ValidationError as exc:
                findings.extend(findings_from_validation(exc, document, DefinitionsFile))
                continue
            document.data = None  # the models hold it now; positions come from the text (memory at scale)
            documents.append((document, validated))

    if yaml_files == 0:
        findings.append(
            NO_DEFINITIONS_FILES.finding(
                None,
                "no definitions files (*.yaml, *.yml) found",
                hint="create one, e.g. definitions/process.yaml; see the README for the layout",
                where=display_path(root),
            )
        )
    if findings:
        return LoadResult(None, _sorted(findings))

    definitions = Definitions(root=root, files=files)
    findings.extend(_merge(definitions, documents))
    if not findings:
        findings.extend(check_references(definitions))
    result_defs = definitions if not any(f.severity == "error" for f in findings) else None
    return LoadResult(result_defs, _sorted(findings))


def _merge(definitions: Definitions, documents: list[tuple[Document, BaseModel]]) -> list[Finding]:
    findings: list[Finding] = []
    first_single: dict[str, Origin] = {}
    for document, data in documents:
        for kind in SINGLE_KINDS:
            value = getattr(data, kind)
            if value is None:
                continue
            origin = Origin(document, (kind,))
            if kind in first_single:
                findings.append(
                    SECTION_DEFINED_TWICE.finding(
                        origin.key_at(),
                        f"'{kind}' is defined more than once (first at {first_single[kind].key_at()})",
                        hint=f"keep a single '{kind}' section across all files",
                    )
                )
                continue
            first_single[kind] = origin
            setattr(definitions, kind, value)
            definitions.record(value, origin)
        for kind in LIST_KINDS:
            target = definitions.items(kind)
            for index, item in enumerate(getattr(data, kind)):
                target.append(item)
                definitions.record(item, Origin(document, (kind, index)))
    return findings


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
