"""The two commands' pipelines, below the application layer: import into a directory, export to documents."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.definitions import Definitions, Finding
from compiler.errors import AlertcError
from compiler.openslo.context import ImportContext
from compiler.openslo.export import export_documents
from compiler.openslo.files import import_paths, write_definitions
from compiler.openslo.importer import OpenSloImport, import_documents
from compiler.openslo.schema import problems

Documents = dict[str, list[dict[str, Any]]]  # OpenSLO documents by kind


def schema_file(definitions_dir: Path, project_root: Path | None) -> Path:
    """The definitions JSON schema written files point at: the project's ``schema/`` when the definitions are in the
    project, else the one beside the definitions directory."""
    here = definitions_dir.resolve()
    inside = project_root is not None and here.is_relative_to(project_root.resolve())
    root = project_root.resolve() if project_root is not None and inside else here.parent
    return (root / "schema" / "definitions.schema.json").resolve()


@dataclass
class OpenSloImportResult:
    """An import's definitions, findings and files; ``validation`` holds the errors of validating the result."""

    outcome: OpenSloImport
    files: list[Path]
    validation: list[Finding] = field(default_factory=list)


def import_openslo(
    definitions: Definitions,
    paths: list[Path],
    out_dir: Path,
    *,
    schema_file: Path,
    team: str | None = None,
    environment: str | None = None,
) -> OpenSloImportResult:
    """Import ``paths`` into ``out_dir`` for the existing ``definitions``; nothing is written if nothing maps."""
    context = ImportContext.from_definitions(
        definitions, {p.resolve() for p in import_paths(out_dir)}, team=team, environment=environment
    )
    if team is not None and team not in context.teams:
        raise AlertcError(
            f"--team '{team}' is not a team of the definitions\n  hint: one of {', '.join(context.teams)}"
        )
    if environment is not None and environment not in context.environments:
        raise AlertcError(
            f"--environment '{environment}' is not an environment of the process's tiers\n"
            f"  hint: one of {', '.join(context.environments)}"
        )
    outcome = import_documents(paths, context)
    if not outcome.services and not outcome.slos:
        return OpenSloImportResult(outcome, [])  # an earlier import's files stay as they are
    sections = {"services": outcome.services, "slos": outcome.slos}
    files = write_definitions(out_dir, sections, os.path.relpath(schema_file, out_dir.resolve()))
    return OpenSloImportResult(outcome, files)


def export_openslo(definitions: Definitions) -> Documents:
    """The OpenSLO documents of ``definitions``, each checked against the OpenSLO v1 schema.

    An invalid document is a bug in the exporter, never the user's: it stops the
    export instead of writing something other OpenSLO tools would refuse.
    """
    documents = export_documents(definitions)
    for objects in documents.values():
        for document in objects:
            found = problems(document)
            if found:
                raise RuntimeError(
                    f"the OpenSLO {document['kind']} '{document['metadata']['name']}' does not validate: "
                    + "; ".join(found)
                )
    return documents
