"""Compile steps: each compile module declares what it adds to the desired state, and compile runs them all.

A step is a pure function ``(definitions, context) -> resources``, marked with
``@compile_step`` in the module that writes it. ``compile_definitions`` imports
every module of ``compiler.compile`` and runs every declared step, so a new
kind's compile module is the whole of its compile side: no central list names
it. Steps run in a fixed order (module name, then position in the module); the
resources of all steps form one set, whatever the order, and native resources
are added after the process-derived ones, so a native key that collides with a
compiled one is reported on the native definition, never the other way round.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from compiler.compile.messages import MessageContext
from compiler.definitions import Definitions
from compiler.definitions import models as m
from compiler.resources import Resource


@dataclass(frozen=True)
class CompileContext:
    """What every step may read besides the definitions: computed once per compile, never from the clock."""

    process: m.Process
    messages: MessageContext
    now: datetime | None  # the plan's time (maintenance windows already ended are left alone)
    datadog_site: str | None  # the target's site, for links
    teams: Mapping[str, m.Team]
    services: Mapping[str, m.Service]


Step = Callable[[Definitions, CompileContext], Iterable[Resource]]

_DECLARED: list[Step] = []


def compile_step(step: Step) -> Step:
    """Declare ``step`` (a module-level function): ``compile_definitions`` runs it."""
    _DECLARED.append(step)
    return step


def declared_steps() -> list[Step]:
    """Every step of every compile module, in a fixed order (module name, then line)."""
    package = importlib.import_module(__package__ or "compiler.compile")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return sorted(_DECLARED, key=lambda s: (s.__module__, s.__code__.co_firstlineno))
