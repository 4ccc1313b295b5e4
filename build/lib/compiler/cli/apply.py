"""``alertc apply``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from compiler import app
from compiler.apply import ApplyReport
from compiler.cli.common import (
    DEFAULT_BANNER_CONFIG,
    EXIT_ERROR,
    announce,
    context,
    definitions_option,
    target_options,
)
from compiler.definitions.loader import display_path
from compiler.errors import PlanError
from compiler.plan import Plan
from compiler.render import render_text
from compiler.targets import TargetOptions


def _confirm(yes: bool) -> Callable[[Plan], bool]:
    def confirm(plan: Plan) -> bool:
        click.echo(render_text(plan), nl=False)
        if yes:
            return True
        if not sys.stdin.isatty():
            raise PlanError("refusing to apply without confirmation\n  hint: pass --yes, or a plan file")
        click.confirm("Apply these changes?", abort=True)
        return True

    return confirm


def _print_report(target_name: str, report: ApplyReport) -> None:
    click.echo(f"alertc apply to target '{target_name}'")
    for line in report.applied:
        click.echo(f"applied: {line}")
    for address in report.already_applied:
        click.echo(f"already applied: {address}")
    for address in report.adopted_after_lost_response:
        click.echo(f"found after a lost response (not duplicated): {address}")
    for address, reason in report.failed:
        click.echo(f"FAILED: {address}: {reason}", err=True)
    for address, reason in report.skipped:
        click.echo(f"not applied: {address}: {reason}", err=True)
    summary = f"Apply: {len(report.applied)} applied, {len(report.failed)} failed, {len(report.skipped)} not applied."
    click.echo(summary, err=not report.ok)


@click.command()
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@definitions_option
@click.option("--yes", is_flag=True, help="Apply without asking (when no plan file is given).")
@click.option("--allow-deletes", is_flag=True, help="Allow a plan that deletes more than 30% of managed objects.")
@click.option(
    "--banner-config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(DEFAULT_BANNER_CONFIG),
    show_default=True,
    help="Where to write the banner configuration (with live PagerDuty ids) after a successful apply.",
)
@target_options
def apply(
    plan_file: Path | None,
    definitions_dir: Path | None,
    yes: bool,
    allow_deletes: bool,
    banner_config: Path,
    target: TargetOptions,
) -> None:
    """Apply a reviewed plan (or plan, show and confirm).

    With PLAN_FILE, apply exactly that plan: it is refused, changing nothing,
    if it was made for another target, if any object it touches changed since
    it was made ("plan is stale"), or if it deletes more than 30% of at least
    10 managed objects without --allow-deletes. Without PLAN_FILE, make a
    plan, print it, and ask.

    \b
    Exit codes: 0 applied, 1 error or partial failure (the report says what
    was and was not applied; running again converges). After a successful
    apply the banner configuration the sign-in backend reads is written with
    the live PagerDuty ids (--banner-config).

    \b
    Example:
      alertc apply --target production plans/latest.plan.json
      alertc apply --target sandbox --yes    # plan and apply in one go
    """
    ctx = context(target)
    result = app.apply(
        ctx,
        plan_file,
        ctx.definitions_dir(definitions_dir),
        allow_deletes=allow_deletes,
        banner_config=banner_config,
        confirm=_confirm(yes),
    )
    if result.banner_config is not None:
        announce(f"wrote {display_path(result.banner_config)}")
    if result.report is None:
        return
    _print_report(result.target.get("name", "default"), result.report)
    if not result.report.ok:
        raise SystemExit(EXIT_ERROR)
