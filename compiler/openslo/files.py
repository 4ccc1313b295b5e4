"""Writing what the two directions make: definitions files for import, OpenSLO files for export.

Import writes ``services.yaml`` (new services only) and ``slos.yaml`` with the
``$schema`` header editors read; a file an earlier import wrote that this one has
nothing for is removed, so the directory always says what the last import said.
Export writes one multi-document file per OpenSLO kind (see ``export.FILES``),
or the whole stream to standard output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compiler.importer.write import dump_yaml
from compiler.openslo.export import FILES

IMPORT_FILES = ("services", "slos")
IMPORT_MARK = "# Written by 'alertc import --openslo'"
EXPORT_HEADER = "# OpenSLO v1 (https://github.com/OpenSLO/OpenSLO), written by 'alertc export openslo'.\n"


def import_paths(out_dir: Path) -> list[Path]:
    """The files an OpenSLO import writes into ``out_dir``."""
    return [out_dir / f"{kind}.yaml" for kind in IMPORT_FILES]


def render_definitions(kind: str, items: list[dict[str, Any]], schema_ref: str) -> str:
    return (
        f"# yaml-language-server: $schema={schema_ref}\n"
        f"{IMPORT_MARK} from OpenSLO documents: review, then 'alertc validate' and 'alertc plan'.\n"
        + dump_yaml({kind: items})
    )


def write_definitions(out_dir: Path, sections: dict[str, list[dict[str, Any]]], schema_ref: str) -> list[Path]:
    """Write each non-empty section to ``<section>.yaml``; remove this importer's earlier files left empty."""
    written = []
    for kind in IMPORT_FILES:
        path = out_dir / f"{kind}.yaml"
        items = sections.get(kind) or []
        if items:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(render_definitions(kind, items, schema_ref), encoding="utf-8")
            written.append(path)
        elif path.is_file() and _written_by_import(path):
            path.unlink()
    return written


def _written_by_import(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return any(line.startswith(IMPORT_MARK) for line in (handle.readline(), handle.readline()))


def render_openslo(documents: list[dict[str, Any]]) -> str:
    """Objects as one YAML stream, a document each."""
    return EXPORT_HEADER + "".join("---\n" + dump_yaml(document) for document in documents)


def write_openslo(out_dir: Path, documents: dict[str, list[dict[str, Any]]]) -> list[Path]:
    """One file per kind (every kind, so a kind left with no objects leaves no stale file behind)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in FILES.items():
        path = out_dir / name
        path.write_text(render_openslo(documents.get(kind, [])), encoding="utf-8")
        written.append(path)
    return written
