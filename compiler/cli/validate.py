"""``alertc validate``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.checks.process.coverage import uncovered_on_call
from compiler.checks.process.routing import paging_without_runbook
from compiler.checks.references import UNKNOWN_REFERENCE
from compiler.checks.registry import all_rules, explain
from compiler.checks.schema import UNKNOWN_FIELD
from compiler.cli.common import EXIT_ERROR, EXIT_OK, context, definitions_option, format_option, print_findings
from compiler.context import InvalidDefinitions, check
from compiler.definitions.source import display_path
from compiler.errors import DefinitionsError
from compiler.outputs.findings import FINDING_FORMATS, render_findings
from compiler.summary import render_summary


def _explain(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    try:
        click.echo(explain(value), nl=False)
    except KeyError:
        raise DefinitionsError(f"unknown rule '{value}'\n  hint: rules: {', '.join(all_rules())}") from None
    ctx.exit(EXIT_OK)


# The help names rules by their objects: a rule id is written once, in the rule (compiler/checks).
_HELP = f"""Check the definitions and report every problem as file:line:col.

    Besides the language and its references, this runs the process lint
    (rules {paging_without_runbook.id}... : paging monitors without runbooks, uncovered on-call time,
    severity that disagrees with impact, ...) and the downtime-banner checks.
    Exits 0 when the definitions are valid, 1 otherwise. Warnings are printed
    but do not fail.

    \b
    Example:
      alertc validate -d definitions
      alertc validate --summary     # also print what they compile to
      alertc validate --explain {uncovered_on_call.id}
      alertc validate --format github   # annotations in a GitHub Actions job
    """
_EXAMPLE_IDS = ", ".join(rule.id for rule in (UNKNOWN_FIELD, UNKNOWN_REFERENCE, paging_without_runbook))


@click.command(help=_HELP)
@definitions_option
@click.option("--summary", is_flag=True, help="Also print what the definitions say and compile to.")
@click.option(
    "--explain",
    metavar="RULE",
    callback=_explain,
    expose_value=False,
    is_eager=True,
    help=f"Explain a rule by the id printed with a finding (e.g. {_EXAMPLE_IDS}) and exit.",
)
@format_option(
    ["text", *FINDING_FORMATS],
    help="text; json; github (workflow annotations on the pull request); sarif (code scanning).",
)
def validate(definitions_dir: Path | None, summary: bool, output_format: str) -> None:
    """``alertc validate`` (its help is ``_HELP``)."""
    ctx = context()
    directory = ctx.definitions_dir(definitions_dir)
    if output_format != "text":
        try:
            findings, ok = check(ctx, directory).warnings, True
        except InvalidDefinitions as invalid:
            findings, ok = invalid.findings, False
        click.echo(render_findings(findings, output_format), nl=False)
        raise SystemExit(EXIT_OK if ok else EXIT_ERROR)
    checked = check(ctx, directory)
    print_findings(checked.warnings)
    definitions = checked.definitions
    click.echo(f"{display_path(directory)}: valid ({len(definitions.files)} files: {definitions.counts_text()})")
    if summary:
        click.echo(render_summary(definitions, checked.compiled.resources))
