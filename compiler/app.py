"""The use cases behind the commands: validate, plan, apply, drift, banners, docs, schema, test.

Each takes a ``RunContext`` (the clock read once, the target options and the
project file, whether the run is interactive, the progress reporter) and
returns a result object; printing and exit codes are the CLI's business. The
definitions are loaded, checked and compiled once per run, with the run's one
notion of time, so validate, plan and drift cannot disagree about what they mean.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from compiler import preflight
from compiler.alerttest.report import Report as AlertTestReport
from compiler.alerttest.runner import run_alert_tests
from compiler.apply import ApplyInterrupted, ApplyReport, PostStepFailed, apply_plan, race_settle_seconds
from compiler.banners.config import build_banner_config, render_banner_config
from compiler.banners.decide import Decision
from compiler.banners.formats import Format as BannerFormat
from compiler.banners.formats import render_format
from compiler.banners.status import Frontend, banner_status, read_live_banners
from compiler.checks.findings import Finding
from compiler.checks.lint import lint
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import Definitions, LoadResult, load_definitions
from compiler.docs import DOC_NAME, render_process_doc
from compiler.drift import DriftReport, make_drift_report
from compiler.engine import make_plan
from compiler.errors import AlertcError, DefinitionsError, PlanError
from compiler.importer.run import ImportResult, run_import
from compiler.importer.select import ImportFilters
from compiler.live import LiveState, Session, open_session, read_live
from compiler.plan import Plan, definitions_digest
from compiler.plan_file import load_plan
from compiler.plan_origin import Checkout, verify_plan_origin
from compiler.progress import Progress, silent
from compiler.project import Project, find_project, load_project
from compiler.resources import ResourceSet
from compiler.target_open import open_target
from compiler.targets import Target, TargetOptions, select_target, selected_datadog_site


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
    compiled = compile_definitions(definitions, now=compile_at or ctx.now, datadog_site=datadog_site)
    found = [*result.findings, *compiled.findings, *lint(definitions, ctx.now)]
    findings = sorted(dict.fromkeys(found), key=Finding.sort_key)
    if any(f.severity == "error" for f in findings):
        raise InvalidDefinitions(findings)
    return Checked(definitions, compiled, findings)


def test_alerts(ctx: RunContext, definitions_dir: Path, select: Sequence[str] = ()) -> AlertTestReport:
    """``alertc test``: the alert tests under the definitions, against what they compile to.

    Compiled without the run's clock (every maintenance window kept): a test sets its own clock, so it never
    depends on when it runs.
    """
    checked = check(ctx, definitions_dir)
    compiled = compile_definitions(checked.definitions, now=None)
    return run_alert_tests(checked.definitions, compiled, definitions_dir, select)


@dataclass
class PlanOutcome:
    plan: Plan
    desired: ResourceSet
    live: LiveState


def plan_in_session(
    definitions: Definitions,
    desired: ResourceSet,
    session: Session,
    *,
    now: datetime,
    owner: str | None = None,
    adopt_by_name: bool = False,
    read_only: bool = False,
) -> PlanOutcome:
    """One plan, in a straight line: (compiled) → seed → read live → preflight checks → diff → verdicts.

    ``desired`` is what the definitions compiled to, once for the run, with the run's clock.
    ``owner`` is the ownership scope (default: the definitions' ``owner``). The embedded sandbox
    is first given what the definitions reference outside alertc; the checks of those references
    look at what was read before Datadog is asked about any monitor (``compiler.preflight``).
    ``read_only`` (drift) seeds nothing and asks Datadog for no verdicts: its session refuses writes.
    """
    owner = owner if owner is not None else definitions.owner
    if not read_only:
        preflight.seed_embedded(definitions, session)  # unowned, as a real account has them
    live = read_live(session, desired, owner=owner)
    preflight.check(preflight.PlanInputs(definitions, desired, live, session, adopt_by_name))
    plan = make_plan(desired, live, session, now=now, validate=not read_only, adopt_by_name=adopt_by_name, owner=owner)
    return PlanOutcome(plan, desired, live)


@dataclass
class PlanResult:
    plan: Plan
    requests: dict[str, int]
    warnings: list[Finding]


def scope_owner(ctx: RunContext, definitions: Definitions | None = None) -> str | None:
    """The ownership scope: alertc.yaml's ``owner``, else the definitions' ``owner`` (they may not disagree)."""
    configured = ctx.project.config.owner if ctx.project is not None else None
    written = definitions.owner if definitions is not None else None
    if configured is not None and written is not None and configured != written:
        raise DefinitionsError(
            f"the definitions say owner '{written}' but {ctx.project.path if ctx.project else 'alertc.yaml'} says "
            f"'{configured}'\n  hint: name the scope once, in alertc.yaml"
        )
    return configured or written


def plan(ctx: RunContext, definitions_dir: Path, *, adopt_by_name: bool = False) -> PlanResult:
    """Plan against the selected target; the caller shows, checks and saves it (nothing is saved on failure)."""
    checked = check(ctx, definitions_dir, datadog_site=ctx.datadog_site())
    owner = scope_owner(ctx, checked.definitions)
    checked.definitions.forget_origins()  # every finding is made: free the YAML texts before the live read
    checked.definitions.release_compiled()  # and the monitor models: their compiled resources are what is compared
    with ctx.open_target(writes=False) as target, ctx.open_session(target) as session:
        outcome = plan_in_session(
            checked.definitions,
            checked.compiled.resources,
            session,
            now=ctx.now,
            owner=owner,
            adopt_by_name=adopt_by_name,
        )
        requests = dict(session.requests.counts)
    return PlanResult(outcome.plan, requests, checked.warnings)


ReportSink = Callable[[ApplyReport, Plan, Mapping[str, str], bool], None]  # report, plan, target, interrupted


@dataclass
class ApplyResult:
    plan: Plan
    report: ApplyReport | None  # None: nothing to apply
    target: dict[str, str]
    banner_config: Path | None = None


def apply(
    ctx: RunContext,
    plan_file: Path | None,
    definitions_dir: Path,
    *,
    allow_deletes: bool,
    banner_config: Path,
    confirm: Callable[[Plan], bool],
    on_report: ReportSink = lambda _report, _plan, _target, _interrupted: None,
    lock_timeout: float = 0.0,
) -> ApplyResult:
    """Apply a saved plan, or plan and ask ``confirm``; then write the banner configuration (the post-step).

    ``on_report`` gets the apply report before the post-step runs, so a failing post-step never hides
    what was applied; the post-step's own failure is ``PostStepFailed`` (exit 3).
    """
    reviewed = load_plan(plan_file) if plan_file is not None else None
    compile_at = _plan_time(reviewed) if reviewed is not None else None
    checked = check(ctx, definitions_dir, datadog_site=ctx.datadog_site(), compile_at=compile_at)
    with ctx.open_target(writes=True) as target, ctx.open_session(target) as session:
        current = target.describe()
        if reviewed is not None:
            refuse_other_target(reviewed, current)
            verify_plan_origin(reviewed, checkout(ctx, definitions_dir, checked))
        else:
            owner = scope_owner(ctx, checked.definitions)
            desired = checked.compiled.resources
            reviewed = plan_in_session(checked.definitions, desired, session, now=ctx.now, owner=owner).plan
            reviewed.raise_if_conflicts()
            if not reviewed.has_changes or not confirm(reviewed):
                return ApplyResult(reviewed, None, current)
        try:
            report = apply_plan(
                reviewed,
                session,
                now=ctx.now,
                allow_deletes=allow_deletes,
                lock_timeout=lock_timeout,
                settle_seconds=race_settle_seconds(ctx.environ),
            )
        except ApplyInterrupted as exc:
            on_report(exc.report, reviewed, current, True)
            raise
        on_report(report, reviewed, current, False)
        written = None
        if report.ok:
            try:
                written = write_banner_config(ctx, session, reviewed, checked, banner_config)
            except (AlertcError, OSError) as exc:
                raise PostStepFailed(target.redact(str(exc)), str(banner_config)) from None
    return ApplyResult(reviewed, report, current, written)


def _plan_time(plan: Plan) -> datetime:
    """When the plan was made: its definitions are compiled as of then to recompute its digest."""
    try:
        made = datetime.fromisoformat(plan.created_at)
    except ValueError:
        raise PlanError(f"the plan's created_at {plan.created_at!r} is not an ISO 8601 time") from None
    if made.tzinfo is None:
        raise PlanError(f"the plan's created_at {plan.created_at!r} has no UTC offset")
    return made


def checkout(ctx: RunContext, definitions_dir: Path, checked: Checked) -> Checkout:
    """The scope, definitions directory and compiled definitions of the checkout apply runs in."""
    project_file = str(ctx.project.path) if ctx.project is not None and ctx.project.config.owner else None
    owner = scope_owner(ctx, checked.definitions)
    return Checkout(owner, str(definitions_dir), checked.compiled.resources, project_file)


def write_banner_config(
    ctx: RunContext, session: Session, applied: Plan, checked: Checked | None, path: Path
) -> Path | None:
    """The apply post-step: the banner configuration with the live status-service ids, for the sign-in backend.

    Written only from the definitions the plan was made from (same digest), so
    a plan applied after the definitions moved on cannot publish a configuration
    that does not match what was applied.
    """
    if checked is None:
        return None
    definitions = checked.definitions
    if definitions.banners is None or not definitions.dependencies:
        return None
    if definitions_digest(checked.compiled.resources) != applied.definitions_digest:
        ctx.announce(
            "banner configuration not written: the definitions differ from the ones the plan was made from\n"
            "  hint: run 'alertc banners build -o FILE' once they are applied"
        )
        return None
    config = read_live_banners(definitions, session).config
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_banner_config(config), encoding="utf-8")
    return path


def refuse_other_target(plan: Plan, current: Mapping[str, str]) -> None:
    """A plan applies only to the target it was made for; the refusal names both."""
    if dict(plan.target) == dict(current):
        return
    made_for, now_at = plan.target.get("name", "(unnamed)"), current.get("name", "(unnamed)")
    if made_for == now_at:
        made_for, now_at = _describe(plan.target), _describe(current)
    raise PlanError(
        f"this plan was made for target '{made_for}', not for the selected target '{now_at}'; nothing was applied\n"
        f"  hint: apply it with --target {plan.target.get('name', 'NAME')}, or make a new plan against this target"
    )


def _describe(target: Mapping[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(target.items()))


@dataclass
class DriftResult:
    report: DriftReport
    warnings: list[Finding]


def drift(ctx: RunContext, definitions_dir: Path) -> DriftResult:
    checked = check(ctx, definitions_dir, datadog_site=ctx.datadog_site())
    owner = scope_owner(ctx, checked.definitions)
    checked.definitions.forget_origins()
    checked.definitions.release_compiled()
    with ctx.open_target(writes=False) as target, ctx.open_session(target, read_only=True) as session:
        outcome = plan_in_session(
            checked.definitions, checked.compiled.resources, session, now=ctx.now, owner=owner, read_only=True
        )
    return DriftResult(make_drift_report(outcome.plan, outcome.desired, outcome.live, now=ctx.now), checked.warnings)


def import_definitions(
    ctx: RunContext, filters: ImportFilters, out_dir: Path, *, owner: str | None, datadog_query: str | None
) -> ImportResult:
    """``alertc import``: read-only on the target; the scope (``--owner``, else alertc.yaml's) is never imported."""
    scope = owner or scope_owner(ctx)
    with ctx.open_target(writes=False) as target, ctx.open_session(target, read_only=True) as session:
        return run_import(session, filters, out_dir, owner=scope, datadog_query=datadog_query)


def banners_build(
    ctx: RunContext, definitions_dir: Path, *, template: bool, output_format: BannerFormat = "json"
) -> str:
    """The banner configuration in ``output_format``: ids from live PagerDuty, or placeholders with ``template``."""
    checked = check(ctx, definitions_dir)
    definitions = checked.definitions
    if definitions.banners is None:
        raise DefinitionsError("the definitions have no 'banners' section\n  hint: see definitions/banners.yaml")
    if template:
        return render_format(build_banner_config(definitions), output_format)
    with ctx.open_target(writes=False) as target, ctx.open_session(target, read_only=True) as session:
        config = read_live_banners(definitions, session).config
    return render_format(config, output_format)


def banners_status(
    ctx: RunContext, definitions_dir: Path, auth_method: str | None, frontend: Frontend = "intended"
) -> dict[str, Decision]:
    definitions = check(ctx, definitions_dir).definitions
    names = {method.name for method in definitions.auth_methods}
    if auth_method is not None and auth_method not in names:
        raise DefinitionsError(
            f"unknown auth method '{auth_method}'\n  hint: one of {', '.join(sorted(names)) or '(none defined)'}"
        )
    with ctx.open_target(writes=False) as target, ctx.open_session(target, read_only=True) as session:
        decisions = banner_status(definitions, session, now=ctx.now, frontend=frontend)
    if auth_method is not None:
        decisions = {auth_method: decisions[auth_method]}
    return decisions


def process_doc(ctx: RunContext, definitions_dir: Path, out_dir: Path) -> tuple[Path, str]:
    """Where the process document goes and its text."""
    definitions = check(ctx, definitions_dir).definitions
    return out_dir / DOC_NAME, render_process_doc(definitions)
