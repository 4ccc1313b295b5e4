"""``alertc plan``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import (
    DEFAULT_PLAN_FILE,
    EXIT_CHANGES,
    FORMAT_OPTION,
    NO_COLOR_OPTION,
    context,
    definitions_option,
    out_option,
    print_findings,
    progress_options,
    target_options,
)
from compiler.cli.render import output
from compiler.definitions.source import display_path
from compiler.progress import Verbosity
from compiler.targets import TargetOptions


@click.command()
@definitions_option
@out_option(
    "plan_file",
    "Where to save the plan for 'alertc apply' ('-': the plan JSON to standard output, the rendering to stderr).",
    default=Path(DEFAULT_PLAN_FILE),
)
@FORMAT_OPTION
@NO_COLOR_OPTION
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when there are none.")
@click.option("--allow-deletes", is_flag=True, help="Allow a plan that deletes more than 30% of managed objects.")
@click.option("--allow-conflicts", is_flag=True, help="Save a plan with conflicts (they are still listed).")
@click.option("--adopt-by-name", is_flag=True, help="Adopt unowned objects a definition's name and kind match.")
@target_options
@progress_options
def plan(
    definitions_dir: Path | None,
    plan_file: Path,
    output_format: str,
    no_color: bool,
    detailed_exitcode: bool,
    allow_deletes: bool,
    allow_conflicts: bool,
    adopt_by_name: bool,
    target: TargetOptions,
    verbosity: Verbosity,
) -> None:
    """Show what would change in Datadog and PagerDuty, and save the plan.

    Compiles the definitions, reads live state in bulk, and diffs the two.
    New or changed monitors are checked with Datadog's validate endpoint.
    The target is --target (or alertc.yaml's default_target); without a
    project file and credentials, an interactive run uses the embedded sandbox.

    \b
    Exit codes: 0 ok (or no changes with --detailed-exitcode),
    2 changes (with --detailed-exitcode), 1 error or conflicts (a definition
    colliding with an object this scope does not own; --allow-conflicts).

    \b
    Example:
      alertc plan --target production --detailed-exitcode
      alertc plan --target sandbox --format markdown > plan.md   # a pull-request comment
    """
    ctx = context(target, verbosity)
    to_stdout = str(plan_file) == "-"
    result = app.plan(ctx, ctx.definitions_dir(definitions_dir), adopt_by_name=adopt_by_name)
    print_findings(result.warnings)
    click.echo(output(output_format, no_color, err=to_stdout).plan(result.plan), nl=False, err=to_stdout)
    result.plan.raise_if_unsafe(allow_deletes=allow_deletes)  # apply would refuse it: fail here, in CI, too
    result.plan.raise_if_conflicts(allow_conflicts=allow_conflicts)
    if to_stdout:
        click.echo(result.plan.to_json(), nl=False)
    else:
        result.plan.save(plan_file)
    for conflict in result.plan.conflicts:
        ctx.progress.warn(f"warning: conflict (allowed): {conflict.describe()}")
    name = result.plan.target.get("name", "default")
    cost = f"{result.requests['datadog']} Datadog and {result.requests['pagerduty']} PagerDuty requests"
    ctx.announce(
        f"Saved {'to standard output' if to_stdout else display_path(plan_file)} ({cost})."
        + (f" Apply it with: alertc apply --target {name} {display_path(plan_file)}" if result.plan.has_changes else "")
    )
    if detailed_exitcode and result.plan.has_changes:
        raise SystemExit(EXIT_CHANGES)
