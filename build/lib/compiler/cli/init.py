"""``alertc init``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.definitions.loader import display_path
from compiler.scaffold import scaffold


@click.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False), default=Path("."))
def init(directory: Path) -> None:
    """Start a definitions repository: alertc.yaml, a minimal complete definitions set, .gitignore, README.

    The definitions (one team, schedule, escalation policy, service, SLO and
    two monitors) validate and plan as they are. Existing files are never
    overwritten: if any file init would write exists, nothing is written.

    \b
    Example:
      alertc init my-alerting && cd my-alerting
      alertc validate && alertc plan --target sandbox
    """
    written = scaffold(directory)
    for path in written:
        click.echo(f"created {display_path(path)}")
    where = "" if directory.resolve() == Path.cwd().resolve() else f"cd {display_path(directory)} && "
    click.echo(f"Next: {where}alertc validate && alertc plan --target sandbox  (see README.md)")
