"""``alertc apply``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import click

from compiler import app
from compiler.apply import ApplyReport, PostStepFailed
from compiler.cli.common import (
    DEFAULT_BANNER_CONFIG,
    EXIT_ERROR,
    NO_COLOR_OPTION,
    context,
    definitions_option,
    format_option,
    progress_options,
    target_options,
)
from compiler.cli.render import output
from compiler.definitions.source import display_path
from compiler.errors import PlanError
from compiler.outputs.apply_report import report_json, report_text
from compiler.plan import Plan
from compiler.progress import Verbosity
from compiler.targets import TargetOptions


def _confirm(yes: bool, no_color: bool, *, plan_to_stderr: bool) -> Callable[[Plan], bool]:
    def confirm(plan: Plan) -> bool:
        click.echo(output("text", no_color, err=plan_to_stderr).plan(plan), nl=False, err=plan_to_stderr)
        if yes:
            return True
        if not sys.stdin.isatty():
            raise PlanError("refusing to apply without confirmation\n  hint: pass --yes, or a plan file")
        click.confirm("Apply these changes?", abort=True, err=plan_to_stderr)
        return True

    return confirm


class _Reporter:
    """Prints the apply report when apply hands it over: before the post-step (text), or as one JSON
    document after it (``--format json``; also when the post-step fails); on Ctrl-C at once, either way."""

    def __init__(self, output_format: str) -> None:
        self.json = output_format == "json"
        self.pending: tuple[ApplyReport, Plan, Mapping[str, str]] | None = None

    def __call__(self, report: ApplyReport, plan: Plan, target: Mapping[str, str], interrupted: bool) -> None:
        if self.json and not interrupted:
            self.pending = (report, plan, target)
            return
        self.show(report, plan, target, None, interrupted=interrupted)

    def show(
        self, report: ApplyReport, plan: Plan, target: Mapping[str, str], written: str | None, *, interrupted: bool
    ) -> None:
        if self.json:
            click.echo(report_json(report, plan, dict(target), written, interrupted=interrupted), nl=False)
            return
        out, err = report_text(report, plan, target.get("name", "default"), interrupted=interrupted)
        click.echo(out, nl=False)
        click.echo(err, nl=False, err=True)

    def flush(self, written: str | None) -> None:
        if self.pending is not None:
            self.show(*self.pending, written, interrupted=False)
            self.pending = None


@click.command()
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@definitions_option
@click.option("--yes", is_flag=True, help="Apply without asking (when no plan file is given).")
@NO_COLOR_OPTION
@format_option(
    ["text", "json"], help="The apply report: text, or json (applied changes with their ids, failures, summary)."
)
@click.option("--allow-deletes", is_flag=True, help="Allow a plan that deletes more than 30% of managed objects.")
@click.option(
    "--banner-config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(DEFAULT_BANNER_CONFIG),
    show_default=True,
    help="Where to write the banner configuration (with live PagerDuty ids) after a successful apply.",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait for another apply against the same target to finish.",
)
@target_options
@progress_options
def apply(
    plan_file: Path | None,
    definitions_dir: Path | None,
    yes: bool,
    no_color: bool,
    output_format: str,
    allow_deletes: bool,
    banner_config: Path,
    lock_timeout: float,
    target: TargetOptions,
    verbosity: Verbosity,
) -> None:
    """Apply a reviewed plan (or plan, show and confirm).

    With PLAN_FILE, apply exactly that plan: it is refused, changing nothing,
    if it was made for another target, if any object it touches changed since
    it was made ("plan is stale"), or if it deletes more than 30% of at least
    10 managed objects without --allow-deletes. Without PLAN_FILE, make a
    plan, print it, and ask.

    \b
    Exit codes: 0 applied, 1 error or partial failure (the report says what
    was and was not applied; running again converges), 3 applied but the
    post-apply step failed (the banner configuration was not written), 130
    interrupted (the report says what was applied). After a successful apply
    the banner configuration the sign-in backend reads is written with the
    live PagerDuty ids (--banner-config). One apply runs per target at a time
    (--lock-timeout waits for the other).

    \b
    Example:
      alertc apply --target production plans/latest.plan.json
      alertc apply --target sandbox --yes    # plan and apply in one go
    """
    ctx = context(target, verbosity)
    reporter = _Reporter(output_format)
    try:
        result = app.apply(
            ctx,
            plan_file,
            ctx.definitions_dir(definitions_dir),
            allow_deletes=allow_deletes,
            banner_config=banner_config,
            confirm=_confirm(yes, no_color, plan_to_stderr=output_format == "json"),
            on_report=reporter,
            lock_timeout=lock_timeout,
        )
    except PostStepFailed:
        reporter.flush(None)
        raise
    written = display_path(result.banner_config) if result.banner_config is not None else None
    if written is not None:
        ctx.announce(f"wrote {written}")
    report = result.report or ApplyReport()  # nothing to apply: an empty report
    reporter.flush(written)
    if reporter.json and result.report is None:
        click.echo(report_json(report, result.plan, result.target, written), nl=False)
    if not report.ok:
        raise SystemExit(EXIT_ERROR)
