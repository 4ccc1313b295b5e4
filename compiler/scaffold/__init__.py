"""``alertc init``: a whole definitions repository, every check of it green from the first commit.

Static files come from the template tree under ``files/``, which mirrors what
is written; a path component starting with ``dot-`` becomes ``.``
(``dot-gitignore`` → ``.gitignore``, ``dot-github/workflows`` →
``.github/workflows``), because dot-files are easy to lose in packaging.
Adding a static file to the scaffold is adding it to ``files/``.

Some files are made by the alertc that runs ``init``, so they match it exactly:
the JSON Schemas under ``schema/`` (the ``$schema`` headers of the YAML files
point at them), the process document ``docs/process.md`` rendered from the
scaffolded definitions, and ``.github/alertc-requirements.txt``, the one pinned
source the workflows install alertc from. The pre-commit hooks
(``.pre-commit-config.yaml``) check that schemas and document stay current.

Nothing existing is ever overwritten: if any target file exists, nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from compiler import __version__
from compiler.alerttest.model import DEFAULT_SCHEMA_PATH as ALERT_TEST_SCHEMA
from compiler.alerttest.model import render_schema as render_alert_test_schema
from compiler.definitions import load_definitions
from compiler.definitions.schema import DEFAULT_SCHEMA_PATH as DEFINITIONS_SCHEMA
from compiler.definitions.schema import render_schema as render_definitions_schema
from compiler.docs import DOC_NAME, render_process_doc
from compiler.errors import AlertcError
from compiler.project import DEFAULT_SCHEMA_PATH as PROJECT_SCHEMA
from compiler.project import render_schema as render_project_schema
from compiler.scaffold.install_source import REQUIREMENTS_PATH, InstallSource, installed_source, render_requirements

DOT_PREFIX = "dot-"
DOCS_PATH = PurePosixPath("docs") / DOC_NAME


class ScaffoldError(AlertcError):
    """``alertc init`` would overwrite something."""


def _target_name(component: str) -> str:
    return "." + component.removeprefix(DOT_PREFIX) if component.startswith(DOT_PREFIX) else component


def template_files() -> dict[PurePosixPath, bytes]:
    """Destination path (relative, dot- mapped) → content, for every file of the template tree."""
    out: dict[PurePosixPath, bytes] = {}

    def walk(node: Traversable, parts: tuple[str, ...]) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            here = (*parts, _target_name(child.name))
            if child.is_dir():
                walk(child, here)
            else:
                out[PurePosixPath(*here)] = child.read_bytes()

    walk(files("compiler.scaffold") / "files", ())
    return out


def generated_files(install: InstallSource) -> dict[PurePosixPath, Callable[[Path], str]]:
    """Files made at init time: destination → how to make it from the directory written so far."""
    return {
        PurePosixPath(DEFINITIONS_SCHEMA): lambda _root: render_definitions_schema(),
        PurePosixPath(PROJECT_SCHEMA): lambda _root: render_project_schema(),
        PurePosixPath(ALERT_TEST_SCHEMA): lambda _root: render_alert_test_schema(),
        PurePosixPath(REQUIREMENTS_PATH): lambda _root: render_requirements(install, __version__),
        DOCS_PATH: _process_doc,
    }


def _process_doc(root: Path) -> str:
    loaded = load_definitions(root / "definitions")
    if loaded.definitions is None:  # the scaffold's own definitions: a bug, not a user error
        raise AlertcError("the scaffolded definitions do not load: " + loaded.findings[0].render())
    return render_process_doc(loaded.definitions)


def scaffold(directory: Path, install: InstallSource | None = None) -> list[Path]:
    """Write the repository into ``directory``; refuse, writing nothing, if any of its files exists.

    ``install`` is where the workflows install alertc from; by default the source this alertc came from.
    """
    if install is None:
        install = installed_source()
    templates = template_files()
    generated = generated_files(install)
    existing = sorted(str(rel) for rel in [*templates, *generated] if (directory / rel).exists())
    if existing:
        raise ScaffoldError(
            f"{directory}: {', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
            "nothing was written\n"
            "  hint: alertc init never overwrites files; choose an empty directory, or move these away"
        )
    written: list[Path] = []
    for rel, content in sorted(templates.items()):
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    for rel, make in generated.items():  # after the templates: the document is rendered from them
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(directory), encoding="utf-8")
        written.append(path)
    return sorted(written)
