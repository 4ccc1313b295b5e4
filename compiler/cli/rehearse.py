"""``alertc rehearse``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app_live
from compiler.cli.common import context, definitions_option, format_option, out_option, target_options, write_output
from compiler.rehearse.report import render_markdown, render_text
from compiler.targets import TargetOptions


@click.command()
@click.argument("scenario", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@definitions_option
@click.option(
    "--run", "select", metavar="NAME", help="The test of the scenario file to play (needed when it has several)."
)
@format_option(
    ["text", "markdown"],
    help="text: the timeline; markdown: a report with a Mermaid sequence diagram GitHub renders.",
)
@out_option(
    "out_file",
    "Write the timeline or report to a file ('-': standard output).",
    default="-",
    long="--output",
    show_default=False,
)
@target_options
def rehearse(
    scenario: Path,
    definitions_dir: Path | None,
    select: str | None,
    output_format: str,
    out_file: Path,
    target: TargetOptions,
) -> None:
    """Play an outage on a sandbox and print the timeline the team would live.

    Applies the definitions to a fresh embedded sandbox (or, with --target, to
    a sandbox target such as 'sandbox' of alertc.yaml) whose clock stands at the
    scenario's start, then plays the scenario minute by minute through the
    real APIs: its series into Datadog's metric intake, its acknowledgements
    into PagerDuty. The sandbox evaluates the monitors and pages people; the
    timeline shows each notification (Slack, PagerDuty), each page with its
    urgency and reason (triggered, escalated), the incident-declaration prompt,
    the banner each sign-in method's users see, and the resolution. The
    scenario is an alert-test file (alertc test's format), so a rehearsal can
    become a test. Never runs against a live account.

    \b
    Example:
      alertc rehearse definitions/tests/ssoe.alertc-test.yaml --run ssoe-down-20-minutes
      alertc rehearse scenario.yaml --format markdown -o plans/rehearsal.md
    """
    ctx = context(target)
    played = app_live.rehearse(ctx, ctx.definitions_dir(definitions_dir), scenario, select)
    text = render_markdown(played) if output_format == "markdown" else render_text(played)
    write_output(out_file, text)
