"""``alertc test``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app, app_live
from compiler.alerttest.report import FORMATS, render
from compiler.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    context,
    definitions_option,
    format_option,
    out_option,
    print_findings,
    target_options,
    write_output,
)
from compiler.targets import TargetOptions


@click.command("test")
@definitions_option
@click.option(
    "--run",
    "select",
    multiple=True,
    metavar="NAME",
    help="Only the tests whose name matches (a glob such as 'ssoe-*'; repeatable).",
)
@format_option(FORMATS, help="text for people; json; junit (JUnit XML for CI test reports).")
@out_option(
    "out_file", "Write the report to a file ('-': standard output).", default="-", long="--output", show_default=False
)
@click.option(
    "--live",
    is_flag=True,
    help="Play the tests against the target's live objects (read only) instead of the compiled definitions, "
    "and name the live object and field behind each failure.",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Print the timeline of passing tests too (failing tests always show theirs)."
)
@target_options
def test(
    definitions_dir: Path | None,
    select: tuple[str, ...],
    output_format: str,
    out_file: Path,
    live: bool,
    verbose: bool,
    target: TargetOptions,
) -> None:
    """Play the alert tests against the compiled alerting, and check what happens.

    Alert tests are files named *.alertc-test.yaml anywhere under the
    definitions directory. Each feeds metric series to the monitors and SLO
    alerts the definitions compile to, from a clock start, and checks at given
    times: monitor states, who is paged (PagerDuty escalation, on-call
    schedules), Slack notifications, the banner each sign-in method's users
    see, the incident-declaration prompt. Nothing is sent anywhere: the
    evaluation follows Datadog's and PagerDuty's documented behaviour, offline.
    Exits 0 when every test passes, 1 otherwise.

    With --live the same tests are played against the target's live objects
    (monitors, SLOs, downtimes, PagerDuty services, integrations, escalation
    policies, schedules, maintenance windows as they are in the account; read
    only), and each failure names the live object and field that causes it
    (a handle removed from a monitor's message, an escalation rule deleted).

    \b
    Example:
      alertc test                           # every test under definitions/
      alertc test -d examples/officeluv --run 'login-*'
      alertc test --format junit -o plans/alert-tests.xml
      alertc test --live --target production
    """
    ctx = context(target)
    directory = ctx.definitions_dir(definitions_dir)
    report = app_live.test_alerts_live(ctx, directory, select) if live else app.test_alerts(ctx, directory, select)
    if output_format == "text":
        print_findings(report.findings)
    write_output(out_file, render(report, output_format, verbose=verbose))
    raise SystemExit(EXIT_OK if report.ok else EXIT_ERROR)
