"""Issue 21 item 3: the engine reaches no module of ``compile/``, ``banners/``, ``preflight/`` or the sandbox.

``make_plan`` (``compiler.engine``) and the live read (``compiler.live``) work on
compiled Resources and live objects only: compiling, the banner artifact, the
checks of what the definitions reference outside alertc and the embedded
sandbox's seeding are the application layer's (``compiler.app``), around the plan.
The graph is the import-cycle test's (``tests/test_import_graph.py``: imports at
any depth of a module's code), followed transitively; importing ``a.b.c`` also
runs the packages ``a`` and ``a.b``, so those count as reached too.
"""

from __future__ import annotations

import pytest

from tests.test_import_graph import MODULES, import_graph

ENGINE = ("compiler.engine", "compiler.live")
OFF_LIMITS = ("compiler.compile", "compiler.banners", "compiler.preflight", "compiler.sandbox")


def _packages(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))} & set(MODULES)


def reach(start: str) -> dict[str, str]:
    """Every module ``start`` imports, directly or not, each with the module that first imports it."""
    graph = import_graph()
    via: dict[str, str] = {}
    todo = [start]
    while todo:
        current = todo.pop()
        for target in sorted(graph[current] | _packages(current)):
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
