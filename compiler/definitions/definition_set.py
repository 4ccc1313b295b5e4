"""The table of definitions sections: ``Definitions``, one field per section, and what derives from it.

Each field is a section, declared in its module under ``models/`` (its model,
the word for one item, its reference check); the fields' order is the table's.
The table has two blocks: the process sections (``ProcessSections``, here) and
the native forms (``NativeSections``, in ``models/native.py`` beside their
models, so a native form is one module's edit).
From the table come the model of one definitions file (``DefinitionsFile``,
hence the JSON Schema), the top-level keys the loader knows (``SINGLE_KINDS``,
``LIST_KINDS``), the word for one item of each (``KIND_SINGULAR``) and the
reference checks (``check_references``). Adding a process section is writing
its module and adding its line here; adding a native form is its model, section
and field in ``models/native.py``.
"""

# ruff: noqa: RUF009 - a section's ``field()`` is ``dataclasses.field`` with the section in its metadata

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from compiler.checks.findings import Finding
from compiler.definitions.models.banners import (
    AUTH_METHODS,
    BANNER_SETTINGS,
    DEPENDENCIES,
    FEATURES,
    MAINTENANCE_WINDOWS,
    AuthMethod,
    BannerSettings,
    Dependency,
    Feature,
    MaintenanceWindow,
)
from compiler.definitions.models.monitors import MONITORS, Monitor
from compiler.definitions.models.native import NativeSections
from compiler.definitions.models.oncall import ESCALATION_POLICIES, SCHEDULES, EscalationPolicy, Schedule
from compiler.definitions.models.owner import OWNER
from compiler.definitions.models.process import PROCESS, Process
from compiler.definitions.models.services import SERVICES, Service
from compiler.definitions.models.slos import SLOS, MetricSlo, TimeSliceSlo
from compiler.definitions.models.teams import TEAMS, Team
from compiler.definitions.section import SECTION, Many, Origin, References, Section, Single


@dataclass(kw_only=True)
class ProcessSections:
    """The process sections' block of the table of sections, in its order."""

    owner: str | None = OWNER.field()  # the ownership scope (until the project file names it)
    process: Process | None = PROCESS.field()
    banners: BannerSettings | None = BANNER_SETTINGS.field()
    teams: list[Team] = TEAMS.field()
    schedules: list[Schedule] = SCHEDULES.field()
    escalation_policies: list[EscalationPolicy] = ESCALATION_POLICIES.field()
    services: list[Service] = SERVICES.field()
    slos: list[MetricSlo | TimeSliceSlo] = SLOS.field()
    monitors: list[Monitor] = MONITORS.field()
    dependencies: list[Dependency] = DEPENDENCIES.field()
    auth_methods: list[AuthMethod] = AUTH_METHODS.field()
    features: list[Feature] = FEATURES.field()
    maintenance_windows: list[MaintenanceWindow] = MAINTENANCE_WINDOWS.field()


@dataclass(kw_only=True)
class Definitions(NativeSections, ProcessSections):
    """A team's whole definition set, merged across files, references checked.

    Its sections are the fields of its two blocks, process sections first (``ProcessSections``),
    then the native forms (``models/native.NativeSections``, declared beside their models).
    """

    root: Path
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
        return {kind: len(self.items(kind)) for kind in LIST_KINDS}

    def counts_text(self) -> str:
        """``3 teams, 2 schedules, ...``: the sections that have items, in the table's order."""
        return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in self.counts().items() if n)


def _bound_sections() -> tuple[Section[Any], ...]:
    """The table's sections in order, each told its key (its field's name)."""
    sections: list[Section[Any]] = []
    for f in dataclasses.fields(Definitions):
        section = f.metadata.get(SECTION)
        if isinstance(section, Section):
            section.bind(f.name)
            sections.append(section)
    return tuple(sections)


SECTIONS = _bound_sections()
SINGLE_KINDS: tuple[str, ...] = tuple(s.key for s in SECTIONS if isinstance(s, Single))
LIST_KINDS: tuple[str, ...] = tuple(s.key for s in SECTIONS if isinstance(s, Many))
KIND_SINGULAR: dict[str, str] = {s.key: s.singular for s in SECTIONS if isinstance(s, Many)}

_FILE_FIELDS: dict[str, Any] = {s.key: s.file_field() for s in SECTIONS}
DefinitionsFile: type[BaseModel] = create_model(
    "DefinitionsFile",
    __config__=ConfigDict(
        extra="forbid",
        populate_by_name=False,
        validate_default=False,
        title="alertc definitions",
        json_schema_extra={"$comment": "Generated by `alertc schema`; do not edit by hand."},
    ),
    __doc__="One YAML document. Every kind is optional here; lists concatenate across files.",
    __module__=__name__,
    **_FILE_FIELDS,
)


def check_references(definitions: Definitions) -> list[Finding]:
    """Every finding that needs the whole set: unique names, then each section's own references."""
    refs = References(definitions)
    for section in SECTIONS:
        if isinstance(section, Many):
            refs.unique_names(section)
    for section in SECTIONS:
        if section.check is not None:
            section.check(refs)
    return refs.findings
