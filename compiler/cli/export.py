"""``alertc export``: definitions written in another tool's format (OpenSLO v1)."""

from __future__ import annotations

from pathlib import Path

import click

from compiler import app
from compiler.cli.common import context, definitions_option
from compiler.definitions.source import display_path
from compiler.openslo.export import FILES
from compiler.openslo.files import render_openslo, write_openslo


@click.group()
def export() -> None:
    """Write the definitions in another tool's format.

    \b
    Example:
      alertc export openslo -o openslo/
    """


@export.command("openslo")
@definitions_option
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("openslo"),
    show_default=True,
    help="Directory for the OpenSLO files (one per kind), or '-' for one stream on standard output.",
)
def export_openslo(definitions_dir: Path | None, out_dir: Path) -> None:
    """Write every SLO as OpenSLO v1 documents: Service, SLI, SLO, and per burn-rate tier an
    AlertCondition and AlertPolicy, with AlertNotificationTargets for the Slack and PagerDuty routes.

    The documents validate against the OpenSLO v1 schema, are the same bytes for
    the same definitions, and 'alertc import --openslo' reads them back into
    definitions that compile to the same Datadog SLOs and burn-rate alerts.

    \b
    Example:
      alertc export openslo -o openslo/
      alertc import --openslo openslo/ -o definitions/openslo   # the way back
    """
    ctx = context()
    documents = app.export_openslo(ctx, ctx.definitions_dir(definitions_dir))
    if str(out_dir) == "-":
        click.echo(render_openslo([d for kind in FILES for d in documents[kind]]), nl=False)
        return
    for path in write_openslo(out_dir, documents):
        kind = next(k for k, name in FILES.items() if name == path.name)
        ctx.announce(f"wrote {display_path(path)}: {len(documents[kind])} {kind}")
