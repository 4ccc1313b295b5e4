"""The run context and the check every use case starts from, without the application's heavy half.

A command reads the world once when it starts (the clock, the project file, the
environment, whether a person is at a terminal) into a ``RunContext``, and
loads, checks and compiles the definitions once (``check``). Both live here,
apart from the use cases in ``compiler.app``, because ``alertc validate`` (and
the pre-commit hooks) need nothing else: importing this module never loads the
API clients, the diff engine or the sandbox, so they start in a fraction of the
time. The session-opening methods import the client side when called.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.checks.findings import Finding
from compiler.checks.lint import lint
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import Definitions, LoadResult, load_definitions
from compiler.errors import AlertcError, DefinitionsError
from compiler.progress import Progress, silent
from compiler.project import Project, find_project, load_project
from compiler.restrictions import restrict_edits
from compiler.target_open import open_target
from compiler.targets import Target, TargetOptions, select_target, selected_datadog_site

if TYPE_CHECKING:
    from compiler.live import Session


class InvalidDefinitions(DefinitionsError):
    """The definitions have errors; ``findings`` holds every one of them (and the warnings)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = len(findings) - errors
        super().__init__(
            f"{errors} error{'s' if errors != 1 else ''}"
            + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
            + "; nothing was applied."
        )


def read_clock(environ: Mapping[str, str]) -> datetime:
    """The one place alertc reads the clock; ALERTC_NOW (ISO 8601) pins it for reproducible runs and tests."""
    pinned = environ.get("ALERTC_NOW", "").strip()
    if pinned:
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise AlertcError(f"ALERTC_NOW '{pinned}' is not an ISO 8601 date-time") from None
        if value.tzinfo is None:
            raise AlertcError(f"ALERTC_NOW '{pinned}' needs a UTC offset, e.g. 2026-11-22T12:00:00Z")
        return value
    return datetime.now(UTC).replace(microsecond=0)


def is_interactive(environ: Mapping[str, str]) -> bool:
    """A person at a terminal: standard input is a TTY and ``CI`` is not set."""
    return not environ.get("CI", "").strip() and sys.stdin.isatty()


@dataclass(frozen=True)
class RunContext:
    """Everything a use case needs from the world, read once when the command starts."""

    now: datetime
    target: TargetOptions = field(default_factory=TargetOptions)
    project: Project | None = None
    interactive: bool = False
    progress: Progress = field(default_factory=silent)  # notices, and the observer of the run's events
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @classmethod
    def create(cls, target: TargetOptions, progress: Progress, *, cwd: Path | None = None) -> RunContext:
        environ = dict(os.environ)
        found = find_project(cwd or Path.cwd())
        return cls(
            now=read_clock(environ),
            target=target,
            project=load_project(found) if found is not None else None,
            interactive=is_interactive(environ),
            progress=progress,
            environ=environ,
        )

    @property
    def clock_pinned(self) -> bool:
        """Whether ``now`` was pinned by ``ALERTC_NOW`` (the embedded sandbox then shares it)."""
        return bool(self.environ.get("ALERTC_NOW", "").strip())

    def announce(self, message: str) -> None:
        """A notice for the person running the command (silenced by ``-q``)."""
        self.progress.notice(message)

    @contextmanager
    def open_session(self, target: Target, *, read_only: bool = False) -> Iterator[Session]:
        """The providers of ``target``, reporting to the run's progress; the status line is cleared after."""
        try:
            from compiler.live import open_session  # noqa: PLC0415 - the clients load only for a command that reads

            with open_session(target, read_only=read_only, observer=self.progress) as session:
                yield session
        finally:
            self.progress.close()

    @contextmanager
    def open_target(self, *, writes: bool) -> Iterator[Target]:
        with open_target(
            self.environ,
            options=self.target,
            project=self.project,
            interactive=self.interactive,
            writes=writes,
            announce=self.announce,
            sandbox_now=self.now if self.clock_pinned else None,
        ) as target:
            yield target

    def datadog_site(self) -> str | None:
        """The selected target's Datadog site (compile writes site-specific links), without opening the target."""
        selection = select_target(self.project, self.target, self.environ, interactive=self.interactive)
        return selected_datadog_site(selection, self.target, self.environ)

    def definitions_dir(self, given: Path | None) -> Path:
        """``-d`` if given, else the project's ``definitions`` directory, else ``definitions/``."""
        if given is not None:
            return given
        if self.project is not None:
            configured = Path(self.project.config.definitions)
            return configured if configured.is_absolute() else _relative(self.project.root / configured)
        return Path("definitions")


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@dataclass
class Checked:
    """Definitions loaded, checked (references, then the banner, SLO and process-lint rules) and compiled once."""

    definitions: Definitions
    compiled: CompileResult
    warnings: list[Finding]


def _load_collector_paused(definitions_dir: Path) -> LoadResult:
    """Load with the cyclic collector paused, then freeze what was loaded out of its reach.

    Process-wide state, so decided here for the run rather than in the loader: the
    acyclic objects a large set loads (YAML nodes kept for positions) made every
    collection rescan them, doubling load and compile time of 10,000 monitors.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return load_definitions(definitions_dir)
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def check(
    ctx: RunContext, definitions_dir: Path, *, datadog_site: str | None = None, compile_at: datetime | None = None
) -> Checked:
    """Load, compile with the run's clock (for ``datadog_site``), and run every checker.

    ``compile_at`` compiles as of another time (apply: the plan's, to recompute what the plan was made
    from). Raises InvalidDefinitions on any error.
    """
    result = _load_collector_paused(definitions_dir)
    if result.definitions is None:
        raise InvalidDefinitions(result.findings)
    definitions = result.definitions
    was_enabled = gc.isenabled()
    gc.disable()  # compile and lint make acyclic strings, lists and dicts: reference counting frees them
    try:
        compiled = compile_definitions(definitions, now=compile_at or ctx.now, datadog_site=datadog_site)
        restrict_edits(compiled.resources, ctx.project.config.datadog_edit_role if ctx.project is not None else None)
        found = [*result.findings, *compiled.findings, *lint(definitions, ctx.now)]
    finally:
        if was_enabled:
            gc.enable()
    findings = sorted(dict.fromkeys(found), key=Finding.sort_key)
    if any(f.severity == "error" for f in findings):
        raise InvalidDefinitions(findings)
    return Checked(definitions, compiled, findings)
