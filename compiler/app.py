"""The use cases behind the commands: validate, plan, apply, drift, banners, docs, schema, test.

Each takes a ``RunContext`` (the clock read once, the target options and the
project file, whether the run is interactive, the progress reporter) and
returns a result object; printing and exit codes are the CLI's business. The
definitions are loaded, checked and compiled once per run, with the run's one
notion of time, so validate, plan and drift cannot disagree about what they mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
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
from compiler.compile import compile_definitions
from compiler.context import Checked, InvalidDefinitions, RunContext, check
from compiler.definitions import Definitions, load_definitions
from compiler.definitions.schema import DEFAULT_SCHEMA_PATH
from compiler.docs import DOC_NAME, render_process_doc
from compiler.drift import DriftReport, make_drift_report
from compiler.engine import make_plan
from compiler.errors import AlertcError, DefinitionsError, PlanError
from compiler.importer.run import ImportResult, run_import
from compiler.importer.select import ImportFilters
from compiler.live import LiveState, Session, read_live
from compiler.openslo import run as openslo
from compiler.plan import Plan, definitions_digest
from compiler.plan_file import load_plan
from compiler.plan_origin import Checkout, verify_plan_origin
from compiler.resources import ResourceSet


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
    if reviewed is not None:
        ctx = on_the_plans_target(ctx, reviewed)
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


def on_the_plans_target(ctx: RunContext, plan: Plan) -> RunContext:
    """``apply PLAN`` goes to the target the plan names; a ``--target`` (or ALERTC_TARGET) naming another is refused.

    A plan made without a project file against credentials in the environment is for target ``default``,
    which is chosen by those same rules again, not by name.
    """
    made_for = plan.target.get("name")
    given = ctx.target.name
    if given is not None and made_for is not None and given != made_for:
        raise PlanError(
            f"this plan was made for target '{made_for}', not for the selected target '{given}' (--target or "
            f"ALERTC_TARGET); nothing was applied\n  hint: apply takes the plan's target: drop --target, or make a "
            f"new plan against '{given}'"
        )
    if given is None and made_for is not None and made_for != "default":
        return replace(ctx, target=replace(ctx.target, name=made_for))
    return ctx


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
    schema = (ctx.project.root if ctx.project is not None else Path.cwd()) / DEFAULT_SCHEMA_PATH
    with ctx.open_target(writes=False) as target, ctx.open_session(target, read_only=True) as session:
        return run_import(session, filters, out_dir, owner=scope, datadog_query=datadog_query, schema=schema)


def import_openslo(ctx: RunContext, paths: list[Path], definitions_dir: Path, out_dir: Path,
                   **options: str | None) -> openslo.OpenSloImportResult:  # fmt: skip
    """``alertc import --openslo`` (no target; options team, environment); validated if it lands in the definitions."""
    loaded = load_definitions(definitions_dir)
    if loaded.definitions is None:
        raise InvalidDefinitions(loaded.findings)
    schema = openslo.schema_file(definitions_dir, ctx.project.root if ctx.project is not None else None)
    result = openslo.import_openslo(loaded.definitions, paths, out_dir, schema_file=schema, **options)
    if result.files and out_dir.resolve().is_relative_to(definitions_dir.resolve()):
        try:
            check(ctx, definitions_dir)
        except InvalidDefinitions as invalid:
            result.validation = [f for f in invalid.findings if f.severity == "error"]
    return result


def export_openslo(ctx: RunContext, definitions_dir: Path) -> openslo.Documents:
    """``alertc export openslo``: the SLOs of valid definitions as OpenSLO v1 documents, by kind."""
    return openslo.export_openslo(check(ctx, definitions_dir).definitions)


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
