"""``alertc docs``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import context, definitions_option, write_generated


@click.command()
@definitions_option
@click.option(
    "-o",
    "--out-dir",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("docs"),
    show_default=True,
    help="Directory for the rendered document.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the committed document differs from the definitions (CI).")
def docs(definitions_dir: Path | None, out_dir: Path, check: bool) -> None:
    """Render the incident-response process document (Markdown) from the definitions.

    Severity and priority tables with response times, when to declare an
    incident and how often to post updates, on-call and escalation with
    coverage, services, SLOs with their burn-rate alerts, monitors per service
    with runbooks, and the downtime-banner matrix. Deterministic, so it can be
    committed beside the definitions and checked in CI.

    \b
    Example:
      alertc docs                 # writes docs/process.md
      alertc docs --check
    """
    ctx = context()
    path, text = app.process_doc(ctx, ctx.definitions_dir(definitions_dir), out_dir)
    write_generated(path, text, check=check, regenerate="alertc docs")
