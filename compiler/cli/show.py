"""``alertc show``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli.common import FORMAT_OPTION, NO_COLOR_OPTION
from compiler.cli.render import output
from compiler.plan_file import load_plan


@click.command()
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@FORMAT_OPTION
@NO_COLOR_OPTION
def show(plan_file: Path, output_format: str, no_color: bool) -> None:
    """Print a saved plan (from 'alertc plan -o') without reading live state.

    \b
    Example:
      alertc show plans/latest.plan.json
      alertc show plan.json --format markdown > comment.md
    """
    click.echo(output(output_format, no_color).plan(load_plan(plan_file)), nl=False)
