"""The ``alertc`` command line.

Commands stay thin: parse options, call one function, print its result. All
user-facing failures are AlertcError subclasses mapped to exit code 1 here, so
no command has to remember to catch them and no user ever sees a traceback
for a mistake in their input.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from compiler import __version__
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import load_definitions
from compiler.definitions.loader import Definitions, LoadResult, display_path
from compiler.definitions.schema import DEFAULT_SCHEMA_PATH, render_schema
from compiler.errors import AlertcError, DefinitionsError
from compiler.summary import render_summary

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2

definitions_option = click.option(
    "-d",
    "--definitions",
    "definitions_dir",
    type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
    default=Path("definitions"),
    show_default=True,
    help="Directory holding the definitions (*.yaml), searched recursively.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="alertc")
def cli() -> None:
    """alertc compiles an incident-response process written as YAML into Datadog
    and PagerDuty objects, and plans and applies the difference.

    \b
    Exit codes: 0 ok / no changes, 1 error, 2 changes or drift found
    (where a command documents it).
    """


def _report(result: LoadResult) -> None:
    for finding in result.findings:
        click.echo(finding.render(), err=True)
    errors, warnings = len(result.errors), len(result.findings) - len(result.errors)
    if errors:
        click.echo(
            f"{errors} error{'s' if errors != 1 else ''}"
            + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
            + "; nothing was applied.",
            err=True,
        )


def load_or_fail(definitions_dir: Path) -> tuple[Definitions, CompileResult]:
    """Load and compile definitions, print findings, and stop with exit 1 if any is an error."""
    result = load_definitions(definitions_dir)
    if result.definitions is None:
        _report(result)
        raise SystemExit(EXIT_ERROR)
    compiled = compile_definitions(result.definitions)
    combined = LoadResult(result.definitions, [*result.findings, *compiled.findings])
    _report(combined)
    if not combined.ok:
        raise SystemExit(EXIT_ERROR)
    return result.definitions, compiled


@cli.command()
@definitions_option
def validate(definitions_dir: Path) -> None:
    """Check the definitions and report every problem as file:line:col.

    Exits 0 when the definitions are valid, 1 otherwise. Warnings are printed
    but do not fail.

    \b
    Example:
      alertc validate -d definitions
    """
    definitions, _ = load_or_fail(definitions_dir)
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in definitions.counts().items() if n)
    click.echo(f"{display_path(definitions_dir)}: valid ({len(definitions.files)} files: {counts})")


@cli.command()
@definitions_option
def plan(definitions_dir: Path) -> None:
    """Show what the definitions compile to and what would change.

    The live-state engine (diff against Datadog and PagerDuty) is not yet
    available: for now this validates the definitions and prints the compiled
    summary. Exits 0 when valid, 1 on errors.

    \b
    Example:
      alertc plan -d definitions
    """
    definitions, compiled = load_or_fail(definitions_dir)
    click.echo(render_summary(definitions, compiled.resources))


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(DEFAULT_SCHEMA_PATH),
    show_default=True,
    help="Where to write the schema; '-' for standard output.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the file differs from the generated schema (for CI).")
def schema(output: Path, check: bool) -> None:
    """Write the JSON Schema of the definitions language.

    Editors with yaml-language-server autocomplete and flag errors as you type
    when a definitions file starts with
    '# yaml-language-server: $schema=../schema/definitions.schema.json'.

    \b
    Example:
      alertc schema                 # writes schema/definitions.schema.json
      alertc schema --check         # in CI: fail if it is out of date
    """
    text = render_schema()
    if str(output) == "-":
        click.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            raise DefinitionsError(
                f"{display_path(output)}: schema is out of date\n  hint: run 'alertc schema' (or 'make schema')"
            )
        click.echo(f"{display_path(output)}: up to date")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {display_path(output)}")


def _register_optional_groups() -> None:
    """Command groups owned by other packages (the sandbox) are added when present."""
    try:
        from compiler.sandbox.cli import sandbox_group
    except ImportError:  # pragma: no cover - the sandbox ships with the package
        return
    cli.add_command(sandbox_group, name="sandbox")


_register_optional_groups()


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes a message, never a traceback."""
    try:
        cli.main(args=argv, prog_name="alertc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except AlertcError as exc:
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:
        if os.environ.get("ALERTC_DEBUG"):
            traceback.print_exc()
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in alertc; rerun with ALERTC_DEBUG=1 for details and report it",
            err=True,
        )
        return EXIT_ERROR
    return EXIT_OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


if __name__ == "__main__":  # pragma: no cover
    main()
