"""Issue 21 item 3: the engine reaches no module of ``compile/``, ``banners/``, ``preflight/`` or the sandbox.

``make_plan`` (``compiler.engine``) and the live read (``compiler.live``) work on
compiled Resources and live objects only: compiling, the banner artifact, the
checks of what the definitions reference outside alertc and the embedded
sandbox's seeding are the application layer's (``compiler.app``), around the plan.
The graph is read from the source with ``ast``: every import anywhere in a module
counts (top level, inside a function, under ``TYPE_CHECKING``), followed transitively.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import compiler

ROOT = Path(compiler.__file__).parent
ENGINE = ("compiler.engine", "compiler.live")
OFF_LIMITS = ("compiler.compile", "compiler.banners", "compiler.preflight", "compiler.sandbox")


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in ROOT.rglob("*.py")}


def imports_of(tree: ast.AST) -> set[str]:
    """Every ``compiler`` module a module's code names in an import statement, wherever it stands."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                qualified = f"{node.module}.{alias.name}"
                found.add(qualified if qualified in MODULES else node.module)
    modules = {name for name in found if name in MODULES}
    # importing a.b.c runs the packages a and a.b first
    return modules | {parent for name in modules for parent in _parents(name) if parent in MODULES}


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def reach(start: str) -> dict[str, str]:
    """Every module ``start`` imports, directly or not, each with the module that first imports it."""
    graph = {name: imports_of(ast.parse(path.read_text(encoding="utf-8"))) for name, path in MODULES.items()}
    via: dict[str, str] = {}
    todo = [start]
    while todo:
        current = todo.pop()
        for target in sorted(graph[current]):
            if target not in via and target != start:
                via[target] = current
                todo.append(target)
    return via


def _chain(via: dict[str, str], start: str, end: str) -> str:
    chain = [end]
    while chain[-1] != start:
        chain.append(via[chain[-1]])
    return " -> ".join(reversed(chain))


def _inside(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("start", ENGINE)
def test_the_engine_reaches_no_compile_banners_preflight_or_sandbox_module(start: str) -> None:
    via = reach(start)
    reached = sorted(name for name in via if _inside(name, OFF_LIMITS))
    assert reached == [], "\n".join(_chain(via, start, name) for name in reached)


def test_the_application_layer_does_reach_them() -> None:
    """The check sees real edges: the use cases compile, check outside references and open the sandbox."""
    via = reach("compiler.app")
    assert {"compiler.compile", "compiler.preflight", "compiler.banners.status", "compiler.sandbox"} <= set(via)


def test_an_import_anywhere_in_a_module_counts() -> None:
    code = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from compiler.plan import Plan\n"
        "def f():\n    import compiler.sandbox\n"
    )
    assert imports_of(ast.parse(code)) == {"compiler", "compiler.plan", "compiler.sandbox"}
