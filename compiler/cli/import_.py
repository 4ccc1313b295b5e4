"""``alertc import``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    context,
    definitions_option,
    print_findings,
    progress_options,
    target_options,
)
from compiler.context import RunContext
from compiler.definitions.source import display_path
from compiler.importer.select import ImportFilters
from compiler.openslo.run import OpenSloImportResult
from compiler.progress import Verbosity
from compiler.targets import TargetOptions


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[FILE|DIR]...")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Directory to write the native definitions to (one file per kind).")  # fmt: skip
@click.option("--openslo", is_flag=True,
              help="Import the OpenSLO v1 documents FILE|DIR... as services and slos (reads no target).")  # fmt: skip
@definitions_option
@click.option("--team", help="With --openslo: the team of new services their labels do not name.")
@click.option("--environment", help="With --openslo: the environment of new services their labels do not name.")
@click.option("--owner", help="The importing scope (default: alertc.yaml's owner); no scope's objects are imported.")
@click.option("--datadog-tag", "datadog_tags", multiple=True, help="Datadog objects with this tag (repeat: all).")
@click.option("--datadog-query", help="Monitors Datadog's monitor search finds, e.g. 'tag:\"team:identity\"'.")
@click.option("--name-regex", help="Only objects whose name matches (alone: every object whose name matches).")
@click.option("--pagerduty-service", "pagerduty_services", multiple=True, metavar="ID",
              help="A PagerDuty service (repeatable), with its escalation policy and schedules.")  # fmt: skip
@click.option("--pagerduty-team", metavar="ID", help="PagerDuty services, policies and schedules of this team.")
@click.option("--all-unmanaged", is_flag=True, help="Every object no alertc scope owns.")
@target_options
@progress_options
def import_(paths: tuple[Path, ...], out_dir: Path, openslo: bool, definitions_dir: Path | None,
            team: str | None, environment: str | None, owner: str | None, datadog_tags: tuple[str, ...],
            datadog_query: str | None, name_regex: str | None, pagerduty_services: tuple[str, ...],
            pagerduty_team: str | None, all_unmanaged: bool, target: TargetOptions,
            verbosity: Verbosity) -> None:  # fmt: skip
    """Write native definitions that adopt existing objects (read-only on the target),
    or, with --openslo, definitions from OpenSLO documents.

    \b
    Examples:
      alertc import --all-unmanaged -o definitions/imported && alertc validate && alertc plan
      alertc import --openslo slos/ -o definitions/openslo --team web
    """
    if openslo or paths:
        live = bool(owner or datadog_tags or datadog_query or name_regex or pagerduty_services or pagerduty_team)
        if not openslo or not paths or live or all_unmanaged:
            raise click.UsageError("give --openslo and the OpenSLO files or directories, without live filters")
        ctx = context(target, verbosity)
        imported = app.import_openslo(ctx, list(paths), ctx.definitions_dir(definitions_dir), out_dir, team=team,
                                      environment=environment)  # fmt: skip
        raise SystemExit(report_openslo_import(ctx, imported))
    if definitions_dir or team or environment:
        raise click.UsageError("-d/--definitions, --team and --environment go with --openslo")
    filters = ImportFilters(datadog_tags, None, name_regex, pagerduty_services, pagerduty_team, all_unmanaged)
    ctx = context(target, verbosity)
    result = app.import_definitions(ctx, filters, out_dir, owner=owner, datadog_query=datadog_query)
    for path, (kind, count) in zip(result.files, result.counts.items(), strict=True):
        ctx.announce(f"wrote {display_path(path)}: {count} {kind}")
    ctx.announce(f"Imported {sum(result.counts.values())} object(s). Next: alertc validate, then alertc plan.")


def report_openslo_import(ctx: RunContext, result: OpenSloImportResult) -> int:
    """Print the findings and what was written; exit 1 when anything was not imported or does not validate."""
    outcome = result.outcome
    print_findings([*outcome.findings, *result.validation])
    for path in result.files:
        ctx.announce(f"wrote {display_path(path)}")
    errors, warnings = outcome.errors, len(outcome.findings) - outcome.errors
    ctx.announce(
        f"Imported {len(outcome.slos)} SLO(s) and {len(outcome.services)} new service(s) from {outcome.objects} "
        f"OpenSLO object(s): {errors} error(s) (not imported), {warnings} warning(s)."
    )
    if result.validation:
        ctx.announce("The written definitions do not validate (above): fix them, then 'alertc validate'.")
    elif result.files:
        ctx.announce("Next: alertc validate, then alertc plan.")
    return EXIT_ERROR if errors or result.validation else EXIT_OK
