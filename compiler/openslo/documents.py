"""OpenSLO files → objects: the envelope of every document checked, with positions.

Files are read by the definitions loader's reader (``compiler.definitions.source``),
so the same limits hold: only regular files, at most 5 MB each and 50 MB in all
(refused from ``stat``, before a byte is read), no aliases, bounded nesting, YAML 1.2
scalars. A file may hold several documents, and a document one object or a list of
objects (the OpenSLO SDK's form). Each object needs ``apiVersion`` ``openslo/v1``
(or ``openslo/v1alpha`` for SLO and Service), a known ``kind``, ``metadata.name``
and a ``spec`` mapping; objects of one kind need distinct names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from compiler.checks import openslo as rules
from compiler.definitions.source import ReadBudget, display_path, parse_file
from compiler.openslo import vocabulary as v
from compiler.openslo.report import Report
from compiler.openslo.view import Usage, View

SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(eq=False)
class OpenSloObject:
    """One top-level OpenSLO object: its version (``v1``/``v1alpha``), kind, name and the view it is read through."""

    version: str
    kind: str
    name: str
    view: View
    used: bool = False

    @property
    def spec(self) -> View:
        spec = self.view.child("spec")
        assert spec is not None  # checked when the object was read
        return spec

    @property
    def metadata(self) -> View:
        metadata = self.view.child("metadata")
        assert metadata is not None
        return metadata

    def is_a(self, kind: str) -> bool:
        """Whether this is an OpenSLO object of ``kind`` (SLO, SLI, ...; not an alertc resource kind)."""
        return self.kind == kind

    def describe(self) -> str:
        return f"{self.kind} '{self.name}'"


@dataclass
class Catalog:
    """Every object read, by kind and name, in reading order."""

    objects: list[OpenSloObject] = field(default_factory=list)
    by_name: dict[tuple[str, str], OpenSloObject] = field(default_factory=dict)
    documents: int = 0

    def find(self, kind: str, name: object) -> OpenSloObject | None:
        return self.by_name.get((kind, name)) if isinstance(name, str) else None

    def of_kind(self, kind: str) -> list[OpenSloObject]:
        return [o for o in self.objects if o.kind == kind]


def _files(path: Path) -> Iterator[Path]:
    for directory, subdirectories, names in os.walk(path):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and name.endswith(SUFFIXES):
                yield Path(directory) / name


def read_catalog(paths: list[Path], report: Report) -> Catalog:
    """Every object of the files and directories given (directories searched for *.yaml, *.yml, *.json)."""
    catalog = Catalog()
    budget = ReadBudget()
    for given in paths:
        shown = display_path(given)
        if given.is_dir():
            files = list(_files(given))
            if not files:
                report.add(
                    rules.NOTHING_TO_READ,
                    None,
                    "no OpenSLO files (*.yaml, *.yml, *.json) in this directory",
                    where=shown,
                )
            for path in files:
                _read_file(path, given, budget, catalog, report)
        elif given.exists() or given.is_symlink():
            _read_file(given, given.parent, budget, catalog, report)
        else:
            report.add(rules.NOTHING_TO_READ, None, "no such file or directory", where=shown)
    return catalog


def _read_file(path: Path, root: Path, budget: ReadBudget, catalog: Catalog, report: Report) -> None:
    parsed = parse_file(path, display_path(path), root, budget)
    report.findings.extend(parsed.findings)
    if parsed.findings:
        return
    for document in parsed.documents:
        catalog.documents += 1
        usage = Usage()
        data = document.data
        if data is None:
            continue
        if isinstance(data, dict):
            _read_object(View(document, (), data, usage), catalog, report)
        elif isinstance(data, list):
            for index, item in enumerate(data):
                if isinstance(item, dict):
                    _read_object(View(document, (index,), item, usage), catalog, report)
                else:
                    report.add(
                        rules.NOT_AN_OBJECT,
                        document.locate((index,)),
                        "not an OpenSLO object: expected a mapping",
                        _SHAPE,
                    )
        else:
            report.add(
                rules.NOT_AN_OBJECT,
                document.locate(()),
                "not an OpenSLO document: expected a mapping or a list of them",
                _SHAPE,
            )


_SHAPE = "an OpenSLO object has apiVersion, kind, metadata and spec"


def _read_object(view: View, catalog: Catalog, report: Report) -> None:
    api_version = view.get("apiVersion")
    kind = view.get("kind")
    if api_version not in (v.API_V1, v.API_V1ALPHA):
        supported = f"alertc reads apiVersion {v.API_V1} (and {v.API_V1ALPHA} SLO and Service documents)"
        if not view.has("apiVersion"):
            report.add(rules.NOT_AN_OBJECT, view.at(), "not an OpenSLO object: apiVersion is missing", supported)
        else:
            draft = isinstance(api_version, str) and "v2" in api_version
            report.add(
                rules.UNSUPPORTED_KIND,
                view.at("apiVersion"),
                f"apiVersion {api_version!r} is not supported",
                supported + ("; v2alpha is a draft of the next version" if draft else ""),
            )
        return
    version = api_version.removeprefix("openslo/")
    kinds = v.V1_KINDS if version == "v1" else v.V1ALPHA_KINDS
    if kind not in kinds:
        report.add(
            rules.UNSUPPORTED_KIND,
            view.at("kind") if view.has("kind") else view.at(),
            f"kind {kind!r} is not an {api_version} kind" if kind is not None else "kind is missing",
            "one of: " + ", ".join(kinds),
        )
        return
    metadata = view.child("metadata")
    name = metadata.get("name") if metadata is not None else None
    if not isinstance(name, str) or not name:
        report.add(
            rules.NOT_AN_OBJECT,
            view.at("metadata"),
            f"{kind}: metadata.name is missing",
            "every OpenSLO object is named",
        )
        return
    spec = view.child("spec")
    if spec is None:
        report.add(
            rules.NOT_AN_OBJECT,
            view.at("spec") if view.has("spec") else view.at(),
            f"{kind} '{name}': " + ("spec must be a mapping" if view.has("spec") else "spec is missing"),
            f"an OpenSLO {kind} keeps its fields under spec",
        )
        return
    earlier = catalog.by_name.get((kind, name))
    if earlier is not None:
        report.add(
            rules.NAME_CONFLICT,
            metadata.at("name") if metadata is not None else view.at(),
            f"{kind} '{name}' is defined twice (first at {earlier.view.at()}); this one is not imported",
            "object names are unique per kind",
        )
        return
    found = OpenSloObject(version, kind, name, view)
    catalog.objects.append(found)
    catalog.by_name[(kind, name)] = found
