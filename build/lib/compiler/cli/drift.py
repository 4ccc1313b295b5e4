"""``alertc drift``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import EXIT_CHANGES, FORMAT_OPTION, context, definitions_option, print_findings, target_options
from compiler.drift import DriftReport, render_drift_markdown, render_drift_text
from compiler.targets import TargetOptions

RENDERERS = {"text": render_drift_text, "markdown": render_drift_markdown, "json": DriftReport.to_json}


@click.command()
@definitions_option
@FORMAT_OPTION
@click.option(
    "-o", "--out", "report_file", type=click.Path(path_type=Path, dir_okay=False), help="Also save the JSON report."
)
@target_options
def drift(definitions_dir: Path | None, output_format: str, report_file: Path | None, target: TargetOptions) -> None:
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
    ctx = context(target)
    result = app.drift(ctx, ctx.definitions_dir(definitions_dir))
    print_findings(result.warnings)
    if report_file is not None:
        report_file.parent.mkdir(parents=True, exist_ok=True)
        report_file.write_text(result.report.to_json(), encoding="utf-8")
    click.echo(RENDERERS[output_format](result.report), nl=False)
    if result.report.has_drift:
        raise SystemExit(EXIT_CHANGES)
