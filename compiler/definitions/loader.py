"""Loading a definitions directory: files → documents → models → one Definitions.

All problems are collected, not just the first: a user fixing a definitions
set should see every error of a run at once. Reference checks run only when
every file is individually valid, because a broken team would otherwise echo
as "unknown team" on every service that names it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from compiler.definitions import models as m
from compiler.definitions import native
from compiler.definitions.errors_map import findings_from_validation
from compiler.definitions.findings import Finding, Location, finding
from compiler.definitions.references import check_references
from compiler.definitions.source import Document, ReadBudget, display_path, parse_file
from compiler.errors import DefinitionsError

YAML_SUFFIXES = (".yaml", ".yml")
IGNORED_SUFFIXES = (".md",)


@dataclass(frozen=True)
class Origin:
    """Where a top-level item was written: its document and its path in it."""

    document: Document
    loc: tuple[str | int, ...]

    def at(self, *more: str | int) -> Location:
        return self.document.locate((*self.loc, *more))

    def key_at(self, *more: str | int) -> Location:
        return self.document.locate_key((*self.loc, *more))


@dataclass
class Definitions:
    """A team's whole definition set, merged across files, references checked."""

    root: Path
    owner: str | None = None  # the ownership scope (until the project file names it)
    process: m.Process | None = None
    banners: m.BannerSettings | None = None
    teams: list[m.Team] = field(default_factory=list)
    schedules: list[m.Schedule] = field(default_factory=list)
    escalation_policies: list[m.EscalationPolicy] = field(default_factory=list)
    services: list[m.Service] = field(default_factory=list)
    slos: list[m.MetricSlo | m.TimeSliceSlo] = field(default_factory=list)
    monitors: list[m.Monitor] = field(default_factory=list)
    dependencies: list[m.Dependency] = field(default_factory=list)
    auth_methods: list[m.AuthMethod] = field(default_factory=list)
    features: list[m.Feature] = field(default_factory=list)
    maintenance_windows: list[m.MaintenanceWindow] = field(default_factory=list)
    datadog_monitors: list[native.DatadogMonitor] = field(default_factory=list)
    datadog_slos: list[native.DatadogSlo] = field(default_factory=list)
    datadog_downtimes: list[native.DatadogDowntime] = field(default_factory=list)
    datadog_service_definitions: list[native.DatadogServiceDefinition] = field(default_factory=list)
    pagerduty_schedules: list[native.PagerDutySchedule] = field(default_factory=list)
    pagerduty_escalation_policies: list[native.PagerDutyEscalationPolicy] = field(default_factory=list)
    pagerduty_services: list[native.PagerDutyService] = field(default_factory=list)
    pagerduty_teams: list[native.PagerDutyTeam] = field(default_factory=list)
    pagerduty_maintenance_windows: list[native.PagerDutyMaintenanceWindow] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    _origins: dict[int, Origin] = field(default_factory=dict, repr=False)

    def origin(self, item: BaseModel) -> Origin:
        return self._origins[id(item)]

    def record(self, item: BaseModel, origin: Origin) -> None:
        self._origins[id(item)] = origin

    def forget_origins(self) -> None:
        """Drop the YAML documents kept for ``file:line:col`` findings, once every check has run.

        They are about 10 KB per monitor; a plan of 30,000 monitors has no further use for them.
        """
        self._origins.clear()

    def release_compiled(self) -> None:
        """Drop the monitor definitions once compiled, for a run that only compares and applies from here.

        Plan and drift need the compiled monitors, never the definitions again; at
        about 2.5 KB of models per monitor they were a tenth of a 30,000-monitor
        plan's memory while the live state was read. The run's other checks (teams,
        SLO ids, banners) read the other kinds, which stay.
        """
        self.monitors = []
        self.datadog_monitors = []

    def items(self, kind: str) -> list[Any]:
        value = getattr(self, kind)
        assert isinstance(value, list)
        return value

    def counts(self) -> dict[str, int]:
        return {kind: len(self.items(kind)) for kind in m.LIST_KINDS}


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
    documents: list[tuple[Document, m.DefinitionsFile]] = []
    yaml_files = 0
    files: list[str] = []
    budget = ReadBudget()
    for path in _walk(root):
        if budget.exhausted:
            break
        shown = display_path(path)
        if path.suffix in IGNORED_SUFFIXES:
            continue
        if path.suffix not in YAML_SUFFIXES:
            findings.append(
                finding(
                    "D101",
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
                    finding(
                        "D107",
                        document.locate(()),
                        "a definitions document must be a mapping of kinds",
                        hint="top-level keys: " + ", ".join((*m.SINGLE_KINDS, *m.LIST_KINDS)),
                    )
                )
                continue
            try:
                validated = m.DefinitionsFile.model_validate(document.data)
            except ValidationError as exc:
                findings.extend(findings_from_validation(exc, document, m.DefinitionsFile))
                continue
            document.data = None  # the models hold it now; positions come from the text (memory at scale)
            documents.append((document, validated))

    if yaml_files == 0:
        findings.append(
            finding(
                "D108",
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
        findings.extend(native.check_native(definitions))
    result_defs = definitions if not any(f.severity == "error" for f in findings) else None
    return LoadResult(result_defs, _sorted(findings))


def _merge(definitions: Definitions, documents: list[tuple[Document, m.DefinitionsFile]]) -> list[Finding]:
    findings: list[Finding] = []
    first_single: dict[str, Origin] = {}
    for document, data in documents:
        for kind in m.SINGLE_KINDS:
            value = getattr(data, kind)
            if value is None:
                continue
            origin = Origin(document, (kind,))
            if kind in first_single:
                findings.append(
                    finding(
                        "D109",
                        origin.key_at(),
                        f"'{kind}' is defined more than once (first at {first_single[kind].key_at()})",
                        hint=f"keep a single '{kind}' section across all files",
                    )
                )
                continue
            first_single[kind] = origin
            setattr(definitions, kind, value)
            definitions.record(value, origin)
        for kind in m.LIST_KINDS:
            target = definitions.items(kind)
            for index, item in enumerate(getattr(data, kind)):
                target.append(item)
                definitions.record(item, Origin(document, (kind, index)))
    return findings


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
