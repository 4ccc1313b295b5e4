"""``alertc init``: copy the starter repository shipped as package data into a directory.

The template tree under ``files/`` mirrors what is written; a path component
starting with ``dot-`` becomes ``.`` (``dot-gitignore`` → ``.gitignore``,
``dot-github/workflows`` → ``.github/workflows``), because dot-files are easy
to lose in packaging. Adding a file to the scaffold is adding it to ``files/``.
Nothing existing is ever overwritten: if any target file exists, nothing is written.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from compiler.errors import AlertcError

DOT_PREFIX = "dot-"


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


def scaffold(directory: Path) -> list[Path]:
    """Write the template into ``directory``; refuse, writing nothing, if any of its files exists."""
    templates = template_files()
    existing = sorted(str(rel) for rel in templates if (directory / rel).exists())
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
    return written
