"""The use cases that play alert scenarios against what is live: ``alertc test --live`` and ``alertc rehearse``.

Beside ``app.py`` (whose run context, checks and plan they use) so that each module keeps one size and concern.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from compiler.alerttest.live import live_banner_ids, live_worlds
from compiler.alerttest.report import Report as AlertTestReport
from compiler.alerttest.runner import run_alert_tests_live
from compiler.app import plan_in_session, scope_owner
from compiler.apply import apply_plan
from compiler.compile import CompileResult
from compiler.context import InvalidDefinitions, RunContext, check
from compiler.live import Session, read_live
from compiler.rehearse.play import Rehearsal
from compiler.rehearse.run import rehearse as run_rehearsal
from compiler.rehearse.scenario import ScenarioFindings
from compiler.target_open import open_target
from compiler.targets import Target, TargetOptions


def test_alerts_live(ctx: RunContext, definitions_dir: Path, select: Sequence[str] = ()) -> AlertTestReport:
    """``alertc test --live``: the same tests against the target's live objects, read only (a read-only session).

    Compiled with the run's clock, like the plan whose live read it shares; a failure that the definitions do not
    have is explained by the live objects and fields that cause it (``compiler.alerttest.causes``).
    """
    checked = check(ctx, definitions_dir, datadog_site=ctx.datadog_site())
    owner = scope_owner(ctx, checked.definitions)
    compiled = checked.compiled
    with ctx.open_target(writes=False) as target, ctx.open_session(target, read_only=True) as session:
        state = read_live(session, compiled.resources, owner=owner)
    worlds = live_worlds(checked.definitions, compiled, state, now=ctx.now)
    banner_ids = live_banner_ids(checked.definitions, state)
    return run_alert_tests_live(checked.definitions, compiled, definitions_dir, worlds, banner_ids, select)


def rehearse(ctx: RunContext, definitions_dir: Path, scenario: Path, select: str | None = None) -> Rehearsal:
    """``alertc rehearse``: the definitions applied to a sandbox at the scenario's start (``compiler.rehearse.run``),
    the scenario played on it. Refuses any target that is not a sandbox: a rehearsal pages people."""
    checked = check(ctx, definitions_dir)
    owner = scope_owner(ctx, checked.definitions)

    def apply(session: Session, compiled: CompileResult, now: datetime) -> None:
        outcome = plan_in_session(checked.definitions, compiled.resources, session, now=now, owner=owner)
        outcome.plan.raise_if_conflicts()
        apply_plan(outcome.plan, session, now=now, allow_deletes=True)

    def target(options: TargetOptions) -> AbstractContextManager[Target]:
        return open_target(ctx.environ, options=options, project=ctx.project, writes=True)

    try:
        return run_rehearsal(
            checked.definitions,
            scenario,
            select,
            target=ctx.target,
            owner=owner,
            open_target=target,
            open_session=ctx.open_session,
            apply=apply,
        )
    except ScenarioFindings as exc:
        raise InvalidDefinitions(exc.findings) from None
