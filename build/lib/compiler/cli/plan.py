"""``alertc plan``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import (
    DEFAULT_PLAN_FILE,
    EXIT_CHANGES,
    FORMAT_OPTION,
    announce,
    context,
    definitions_option,
    print_findings,
    target_options,
)
from compiler.definitions.loader import display_path
from compiler.render import RENDERERS
from compiler.targets import TargetOptions


@click.command()
@definitions_option
@click.option(
    "-o",
    "--out",
    "plan_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(DEFAULT_PLAN_FILE),
    show_default=True,
    help="Where to save the plan for 'alertc apply'.",
)
@FORMAT_OPTION
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when there are none.")
@target_options
def plan(
    definitions_dir: Path | None, plan_file: Path, output_format: str, detailed_exitcode: bool, target: TargetOptions
) -> None:
    """Show what would change in Datadog and PagerDuty, and save the plan.

    Compiles the definitions, reads live state in bulk, and diffs the two.
    New or changed monitors are checked with Datadog's validate endpoint.
    The target is --target (or alertc.yaml's default_target); without a
    project file and credentials, an interactive run uses the embedded sandbox.

    \b
    Exit codes: 0 ok (or no changes with --detailed-exitcode),
    2 changes (with --detailed-exitcode), 1 error.

    \b
    Example:
      alertc plan --target production --detailed-exitcode
      alertc plan --target sandbox --format markdown > plan.md   # a pull-request comment
    """
    ctx = context(target)
    result = app.plan(ctx, ctx.definitions_dir(definitions_dir), plan_file)
    print_findings(result.warnings)
    click.echo(RENDERERS[output_format](result.plan), nl=False)
    for conflict in result.plan.conflicts:
        announce(
            f"warning: {conflict.address}: a live object named {conflict.name!r} (id {conflict.live_id}) is not "
            "managed by alertc and was not taken over"
        )
    cost = f"{result.requests['datadog']} Datadog and {result.requests['pagerduty']} PagerDuty requests"
    announce(
        f"Saved {display_path(plan_file)} ({cost})."
        + (" Apply it with: alertc apply " + display_path(plan_file) if result.plan.has_changes else "")
    )
    if detailed_exitcode and result.plan.has_changes:
        raise SystemExit(EXIT_CHANGES)
