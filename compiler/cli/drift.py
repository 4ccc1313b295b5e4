"""``alertc drift``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import (
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
from compiler.progress import Verbosity
from compiler.targets import TargetOptions


@click.command()
@definitions_option
@FORMAT_OPTION
@NO_COLOR_OPTION
@out_option("report_file", "Also save the JSON report ('-': the JSON to standard output instead of the rendering).")
@target_options
@progress_options
def drift(
    definitions_dir: Path | None,
    output_format: str,
    no_color: bool,
    report_file: Path | None,
    target: TargetOptions,
    verbosity: Verbosity,
) -> None:
    """Report what differs between the definitions and live state (read-only).

    Reports objects changed outside alertc (field by field), objects missing,
    definitions not yet applied (told apart by the digest apply stores on each
    object), and live objects alertc does not manage. It cannot write: its
    clients refuse every non-GET request.

    \b
    Exit codes: 0 no drift, 2 drift, 1 error. Unmanaged objects are listed
    but are not drift.

    \b
    Example:
      alertc drift --target production --format markdown -o plans/drift.json
    """
    ctx = context(target, verbosity)
    result = app.drift(ctx, ctx.definitions_dir(definitions_dir))
    print_findings(result.warnings)
    if report_file is not None and str(report_file) == "-":
        click.echo(result.report.to_json(), nl=False)
    else:
        if report_file is not None:
            report_file.parent.mkdir(parents=True, exist_ok=True)
            report_file.write_text(result.report.to_json(), encoding="utf-8")
        click.echo(output(output_format, no_color).drift(result.report), nl=False)
    if result.report.has_drift:
        raise SystemExit(EXIT_CHANGES)
