"""What the OpenSLO tests share: a definitions set to import into, and running an import on text."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from compiler.compile import compile_definitions
from compiler.definitions import Definitions, load_definitions
from compiler.openslo.context import ImportContext
from compiler.openslo.importer import OpenSloImport, import_documents
from compiler.openslo.run import OpenSloImportResult, import_openslo
from compiler.resources import Resource
from compiler.scaffold import template_files

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = Path(__file__).resolve().parent / "upstream"
EXAMPLE_SETS = {
    "identity": ROOT / "definitions",
    **{p.name: p for p in sorted((ROOT / "examples").iterdir()) if p.is_dir()},
}
NOW = dt.datetime.fromisoformat("2026-11-22T12:00:00+00:00")


def scaffold(directory: Path) -> Path:
    """``alertc init``'s repository in ``directory``; its definitions directory (team web, service api, sev1/sev2)."""
    for rel, content in template_files().items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return directory / "definitions"


def load(directory: Path) -> Definitions:
    result = load_definitions(directory)
    assert result.definitions is not None, "\n".join(f.render() for f in result.findings)
    return result.definitions


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run_import(definitions: Path, documents: list[Path], **options: str) -> OpenSloImport:
    """Map ``documents`` against the definitions in ``definitions`` (nothing written)."""
    context = ImportContext.from_definitions(load(definitions), set(), **options)
    return import_documents(documents, context)


def import_into(definitions: Path, documents: list[Path], **options: str) -> OpenSloImportResult:
    """Import ``documents`` into ``definitions/openslo`` as the command does."""
    return import_openslo(
        load(definitions),
        documents,
        definitions / "openslo",
        schema_file=definitions.parent / "schema" / "definitions.schema.json",
        **options,
    )


def rendered(result: OpenSloImport) -> list[str]:
    """The findings as the command prints them (first lines), paths as given."""
    return [f.render().splitlines()[0] for f in result.findings]


def compiled(directory: Path) -> tuple[list[Resource], list[str]]:
    """What the definitions compile to (every resource, sorted) and the findings compile makes."""
    result = compile_definitions(load(directory), now=NOW)
    return list(result.resources), sorted(f.render() for f in result.findings)


def without_slos(source: Path, target: Path) -> Path:
    """A copy of a definitions directory with every top-level ``slos:`` section cut out of its files."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or rel.parts[0] == "docs":
            continue
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        kept, cutting = [], False
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line[:1].isalpha():  # a top-level key starts a section
                cutting = line.startswith("slos:")
            if not cutting:
                kept.append(line)
        out.write_text("".join(kept), encoding="utf-8")
    return target
