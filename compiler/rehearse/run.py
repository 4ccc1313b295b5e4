"""One rehearsal from start to end: the scenario checked, a sandbox opened at its start (a fresh embedded one unless
a target is named), the definitions applied, the scenario played. The plan and apply themselves are the
application layer's (``app_live.rehearse`` hands them in as ``apply``), so this module imports nothing of it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from compiler.alerttest.scenario import duration_of, series_of, start_of
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import Definitions
from compiler.live import Session, read_live
from compiler.rehearse.admin import SandboxAdmin
from compiler.rehearse.play import Rehearsal, play
from compiler.rehearse.scenario import load_scenario, monitor_names
from compiler.targets import Target, TargetOptions

Apply = Callable[[Session, CompileResult, datetime], None]
OpenTarget = Callable[[TargetOptions], AbstractContextManager[Target]]
OpenSession = Callable[[Target], AbstractContextManager[Session]]


def rehearse(
    definitions: Definitions,
    scenario: Path,
    select: str | None,
    *,
    target: TargetOptions,
    owner: str | None,
    open_target: OpenTarget,
    open_session: OpenSession,
    apply: Apply,
) -> Rehearsal:
    """Raises ``ScenarioFindings`` for a scenario with problems, ``PlanError`` for a target that is no sandbox."""
    case = load_scenario(scenario, select, definitions, compile_definitions(definitions, now=None))
    start = start_of(case)
    compiled = compile_definitions(definitions, now=start)
    series = series_of(case)
    with _state(target) as options, open_target(options) as opened, open_session(opened) as session:
        admin = SandboxAdmin(opened)
        admin.check()
        admin.set_clock(start)
        apply(session, compiled, start)
        live = read_live(session, compiled.resources, owner=owner).managed()
        services = compiled.resources.by_kind("pagerduty", "service")
        return play(
            case,
            definitions,
            session,
            admin,
            series=series,
            start=start,
            duration=duration_of(case, series),
            monitor_keys=monitor_names(compiled.resources),
            service_ids={r.key: live[r.address].live_id for r in services if r.address in live},
        )


class _state(AbstractContextManager[TargetOptions]):
    """The named target as it is, or the embedded sandbox in a fresh temporary state directory."""

    def __init__(self, target: TargetOptions) -> None:
        self.target = target
        self.fresh: TemporaryDirectory[str] | None = None

    def __enter__(self) -> TargetOptions:
        if self.target.name:
            return self.target
        self.fresh = TemporaryDirectory(prefix="alertc-rehearse-")
        return TargetOptions("sandbox", sandbox_state=Path(self.fresh.name))

    def __exit__(self, *exc: object) -> None:
        if self.fresh is not None:
            self.fresh.cleanup()
