"""``alertc init``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.definitions.source import display_path
from compiler.scaffold import scaffold
from compiler.scaffold.install_source import REQUIREMENTS_PATH, from_option, installed_source


@click.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option(
    "--install-from",
    "install_from",
    metavar="SOURCE",
    help="Where the CI workflows install alertc from: git+https://HOST/ORG/alertc@<commit id>, "
    "https://…/alertc-X.whl#sha256=<hash>, or alertc==X.Y.Z with --index-url "
    "[default: the source this alertc was installed from, when CI can reach it].",
)
@click.option("--index-url", metavar="URL", help="The package index that serves alertc (with alertc==X.Y.Z).")
def init(directory: Path, install_from: str | None, index_url: str | None) -> None:
    """Start a definitions repository that passes its own checks from the first commit.

    Writes alertc.yaml, a minimal complete definitions set (one team, schedule,
    escalation policy, service, SLO and two monitors) that validates and plans
    as it is, the JSON Schemas its YAML files point at (schema/), the process
    document rendered from it (docs/process.md), the GitHub Actions workflows
    (plan on pull requests, apply on merge, drift on a schedule) with the one
    pinned source they install alertc from (.github/alertc-requirements.txt),
    the pre-commit hooks, .gitignore and a README. Existing files are never
    overwritten: if any file init would write exists, nothing is written.

    \b
    Example:
      alertc init my-alerting && cd my-alerting
      alertc validate && alertc plan --target sandbox
      alertc init --install-from git+https://github.com/acme/alertc@<40-hex commit id>
      alertc import --openslo ../slos -o definitions/openslo   # SLOs kept as OpenSLO
    """
    if index_url and not install_from:
        raise click.UsageError("--index-url goes with --install-from alertc==X.Y.Z")
    source = from_option(install_from, index_url=index_url) if install_from else installed_source()
    written = scaffold(directory, source)
    for path in written:
        click.echo(f"created {display_path(path)}")
    if not source.pinned:
        click.echo(
            f"note: the CI workflows do not know where to install alertc from ({source.origin}): write one "
            f"exact source into {display_path(directory / REQUIREMENTS_PATH)} (its comments show the forms), "
            "or run init with --install-from",
            err=True,
        )
    where = "" if directory.resolve() == Path.cwd().resolve() else f"cd {display_path(directory)} && "
    click.echo(f"Next: {where}alertc validate && alertc plan --target sandbox  (see README.md)")
    click.echo("SLOs already kept as OpenSLO documents? alertc import --openslo DIR -o definitions/openslo")
