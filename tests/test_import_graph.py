"""No import cycles in ``compiler``, including cycles hidden behind function-level or type-checking imports.

The graph is built from the source with ``ast``: every ``import`` statement
anywhere in a module (top level, inside a function, or under ``if
TYPE_CHECKING:``) is an edge. A type-checking import never runs, but it is a
dependency all the same: a module that needs another's types to be checked
depends on it, and a cycle of them is a design that does not layer. A cycle is
reported with its modules in order. A second test imports every module in a
fresh interpreter, dependencies first, so a module that only works when
something else was imported before it fails too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import compiler

ROOT = Path(compiler.__file__).parent
PACKAGE = "compiler"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from pkg import mod`` depends on the module; ``from mod import name`` on the module holding it
            for alias in node.names:
                qualified = f"{node.module}.{alias.name}"
                found.add(qualified if qualified in MODULES else node.module)
        found |= _imports(node)
    return found


def _collected(tree: ast.Module) -> set[str]:
    """The modules a module imports by collecting packages: every module of the packages its top-level
    ``COLLECTS = ("compiler.x", ...)`` names (the kind registry, the sandbox's routers)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "COLLECTS" for t in node.targets):
            packages = ast.literal_eval(node.value)
            return {m for m in MODULES for p in packages if m.startswith(p + ".")}
    return set()


def import_graph() -> dict[str, set[str]]:
    """Module → the ``compiler`` modules it imports (at any depth of its code, or by collecting a package)."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {target for target in _imports(tree) | _collected(tree) if target in MODULES and target != name}
    return graph


def test_the_compiler_import_graph_has_no_cycle() -> None:
    try:
        order = list(TopologicalSorter(import_graph()).static_order())
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise AssertionError(f"import cycle: {cycle}") from None
    assert set(order) == set(MODULES)


def test_the_graph_sees_function_level_and_type_checking_imports() -> None:
    """The checker itself: an import inside a function, or under TYPE_CHECKING, is an edge like any other."""
    a = ast.parse("def f():\n    from compiler.b import x\n")
    b = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from compiler.a import y\n")
    c = ast.parse("import typing\nif typing.TYPE_CHECKING:\n    import compiler.a\nelse:\n    import compiler.c\n")
    assert _imports(a) == {"compiler.b"}
    assert _imports(b) == {"typing", "compiler.a"}
    assert _imports(c) == {"typing", "compiler.a", "compiler.c"}


def test_a_collected_package_counts_as_imported() -> None:
    """The kind registry imports its kinds by collecting their packages: the graph still sees each module."""
    assert "compiler.kinds.datadog.monitor" in import_graph()["compiler.kinds.registry"]
    assert _collected(ast.parse('COLLECTS = ("compiler.kinds.pagerduty",)')) >= {"compiler.kinds.pagerduty.team"}


def test_a_type_checking_import_back_is_reported_as_a_cycle() -> None:
    """The circle the definitions package once had (the loader's checks importing the loader for its types)."""
    graph = {
        "compiler.x.loader": {"compiler.x.references"},
        "compiler.x.references": _imports(
            ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from compiler.x.loader import D\n")
        )
        - {"typing"},
    }
    with pytest.raises(CycleError):
        list(TopologicalSorter(graph).static_order())


def test_every_module_imports_alone_in_dependency_order() -> None:
    """Each module, dependencies first, in one fresh interpreter: no import relies on an earlier accident."""
    order = [m for m in TopologicalSorter(import_graph()).static_order() if not m.endswith("__main__")]
    script = "import importlib\nfor name in " + repr(order) + ":\n    importlib.import_module(name)\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
