"""``alertc schema``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from compiler.alerttest.model import DEFAULT_SCHEMA_PATH as ALERT_TEST_SCHEMA_PATH
from compiler.alerttest.model import render_schema as render_alert_test_schema
from compiler.banners.config import DEFAULT_SCHEMA_PATH as BANNER_SCHEMA_PATH
from compiler.banners.config import render_schema as render_banner_schema
from compiler.cli.common import write_generated
from compiler.definitions.schema import DEFAULT_SCHEMA_PATH, render_schema
from compiler.project import DEFAULT_SCHEMA_PATH as PROJECT_SCHEMA_PATH
from compiler.project import render_schema as render_project_schema

SCHEMAS: dict[str, tuple[str, Callable[[], str]]] = {
    "definitions": (DEFAULT_SCHEMA_PATH, render_schema),
    "banner-config": (BANNER_SCHEMA_PATH, render_banner_schema),
    "project": (PROJECT_SCHEMA_PATH, render_project_schema),
    "alert-test": (ALERT_TEST_SCHEMA_PATH, render_alert_test_schema),
}


@click.command()
@click.argument("which", type=click.Choice(sorted(SCHEMAS)), default="definitions")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Where to write the schema ('-' for standard output); default schema/<which>.schema.json.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the file differs from the generated schema (for CI).")
def schema(which: str, output: Path | None, check: bool) -> None:
    """Write a JSON Schema: of the definitions language (default), the banner configuration, alertc.yaml, or the
    alert-test files (*.alertc-test.yaml).

    Editors with yaml-language-server autocomplete and flag errors as you type
    when a definitions file starts with
    '# yaml-language-server: $schema=../schema/definitions.schema.json'.

    \b
    Example:
      alertc schema                 # writes schema/definitions.schema.json
      alertc schema banner-config   # writes schema/banner-config.schema.json
      alertc schema project         # writes schema/project.schema.json (alertc.yaml)
      alertc schema alert-test      # writes schema/alert-test.schema.json (alert tests)
      alertc schema --check         # in CI: fail if it is out of date
    """
    default_path, render = SCHEMAS[which]
    text = render()
    if output is not None and str(output) == "-":
        click.echo(text, nl=False)
        return
    write_generated(output or Path(default_path), text, check=check, regenerate=f"alertc schema {which}")
