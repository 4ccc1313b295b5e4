"""Every third-party package ``compiler/`` imports is a declared runtime dependency of alertc.

An installed alertc (pip/pipx/uv, no extras) must not fail with ModuleNotFoundError
because a package only the dev extra brings was imported somewhere.
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _imported_top_level_names() -> dict[str, str]:
    """Top-level module name → one file importing it, for every absolute import under compiler/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "compiler").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_every_third_party_import_is_a_runtime_dependency() -> None:
    runtime = {
        _normalized(Requirement(text).name)
        for text in requires("alertc") or []
        if "extra ==" not in (str(Requirement(text).marker) if Requirement(text).marker else "")
    }
    distributions = packages_distributions()
    undeclared: list[str] = []
    for module, where in sorted(_imported_top_level_names().items()):
        if module in sys.stdlib_module_names or module in {"compiler", "__future__"}:
            continue
        dists = {_normalized(d) for d in distributions.get(module, [module])}
        if not dists & runtime:
            undeclared.append(f"{module} ({where}; distribution {', '.join(sorted(dists))})")
    assert undeclared == [], "imported but not a runtime dependency in pyproject.toml: " + "; ".join(undeclared)
