"""``alertc import``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import context, progress_options, target_options
from compiler.definitions.source import display_path
from compiler.importer.select import ImportFilters
from compiler.progress import Verbosity
from compiler.targets import TargetOptions


@click.command("import")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Directory to write the native definitions to (one file per kind).")  # fmt: skip
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
def import_(out_dir: Path, owner: str | None, datadog_tags: tuple[str, ...], datadog_query: str | None,
            name_regex: str | None, pagerduty_services: tuple[str, ...], pagerduty_team: str | None,
            all_unmanaged: bool, target: TargetOptions, verbosity: Verbosity) -> None:  # fmt: skip
    """Write native definitions that adopt existing objects (read-only on the target).

    \b
    Example:
      alertc import --all-unmanaged -o definitions/imported && alertc validate && alertc plan
    """
    filters = ImportFilters(datadog_tags, None, name_regex, pagerduty_services, pagerduty_team, all_unmanaged)
    ctx = context(target, verbosity)
    result = app.import_definitions(ctx, filters, out_dir, owner=owner, datadog_query=datadog_query)
    for path, (kind, count) in zip(result.files, result.counts.items(), strict=True):
        ctx.announce(f"wrote {display_path(path)}: {count} {kind}")
    ctx.announce(f"Imported {sum(result.counts.values())} object(s). Next: alertc validate, then alertc plan.")
