"""Compile steps are declared where they are written, and compile runs every one (no central list)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compiler.compile import compile_definitions, step
from compiler.compile.step import CompileContext, compile_step, declared_steps
from compiler.definitions import Definitions
from compiler.resources import Resource


def test_the_process_steps_are_declared_and_ordered_by_module_then_line() -> None:
    steps = declared_steps()
    names = [f"{s.__module__}.{s.__name__}" for s in steps]
    assert "compiler.compile.compiler.monitors" in names
    assert "compiler.compile.compiler.native" in names
    assert steps == sorted(steps, key=lambda s: (s.__module__, s.__code__.co_firstlineno))
    assert declared_steps() == steps  # discovering again finds the same steps once


def test_a_step_declared_in_any_compile_module_is_run(
    example_definitions: Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(step, "_DECLARED", list(step._DECLARED))

    @compile_step
    def one_more(d: Definitions, c: CompileContext) -> Iterator[Resource]:
        yield Resource("datadog", "monitor", f"extra-{len(d.services)}", {"name": c.process.time_zone})

    compiled = compile_definitions(example_definitions)
    assert f"datadog:monitor/extra-{len(example_definitions.services)}" in compiled.resources


def test_a_native_resource_never_displaces_a_compiled_one_whatever_the_step_order(
    example_definitions: Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that runs before the process steps may yield a native object on a compiled key: R316, kept out."""
    monkeypatch.setattr(step, "_DECLARED", list(step._DECLARED))

    def early(d: Definitions, c: CompileContext) -> Iterator[Resource]:
        yield Resource("datadog", "monitor", "sis-latency", {"name": "native copy"}, native=True)

    early.__module__ = "compiler.compile.aaa"
    compile_step(early)
    compiled = compile_definitions(example_definitions)
    assert [f.code for f in compiled.findings] == ["R316"]
    kept = compiled.resources.get("datadog:monitor/sis-latency")
    assert kept is not None and not kept.native
