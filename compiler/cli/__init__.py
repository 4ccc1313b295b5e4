"""The ``alertc`` command line: one thin module per command over the application layer (``compiler.app``).

Commands parse options, call one use case, and print its result. All
user-facing failures are AlertcError subclasses mapped to exit code 1 here, so
no command has to remember to catch them and no user ever sees a traceback
for a mistake in their input.
"""

from __future__ import annotations

import os
import sys
import traceback

import click

from compiler import __version__
from compiler.app import InvalidDefinitions
from compiler.apply import EXIT_INTERRUPTED, ApplyInterrupted, PostStepFailed
from compiler.cli.alert_test import test
from compiler.cli.apply import apply
from compiler.cli.banners import banners
from compiler.cli.common import EXIT_ERROR, EXIT_OK, print_findings
from compiler.cli.docs import docs
from compiler.cli.drift import drift
from compiler.cli.explain import explain
from compiler.cli.import_ import import_
from compiler.cli.init import init
from compiler.cli.plan import plan
from compiler.cli.schema import schema
from compiler.cli.show import show
from compiler.cli.validate import validate
from compiler.errors import AlertcError

__all__ = ["cli", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="alertc")
def cli() -> None:
    """alertc compiles an incident-response process written as YAML into Datadog
    and PagerDuty objects, and plans and applies the difference.

    \b
    Exit codes: 0 ok / no changes, 1 error, 2 changes or drift found
    (where a command documents it).
    """


for _command in (validate, test, plan, show, apply, drift, import_, explain, banners, docs, schema, init):
    cli.add_command(_command)


def _register_optional_groups() -> None:
    """Command groups owned by other packages (the sandbox) are added when present."""
    try:
        from compiler.sandbox.cli import sandbox_group  # noqa: PLC0415 - optional group, loaded on start
    except ImportError:  # pragma: no cover - the sandbox ships with the package
        return
    cli.add_command(sandbox_group, name="sandbox")


_register_optional_groups()


SECRET_VARIABLES = ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN")


def redact_secrets(text: str) -> str:
    """Last line of defence: no credential from the environment is ever printed, whatever raised."""
    for name in SECRET_VARIABLES:
        value = os.environ.get(name, "").strip()
        if len(value) >= 4:
            text = text.replace(value, "****")
    return text


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every error becomes a message, never a traceback."""
    try:
        cli.main(args=argv, prog_name="alertc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C inside a command into Abort
            click.echo("interrupted", err=True)
            return EXIT_INTERRUPTED
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except InvalidDefinitions as exc:
        print_findings(exc.findings)
        click.echo(str(exc), err=True)
        return exc.exit_code
    except (ApplyInterrupted, PostStepFailed) as exc:  # the apply report is already printed; these follow it
        click.echo(redact_secrets(str(exc)), err=True)
        return exc.exit_code
    except AlertcError as exc:
        click.echo(redact_secrets(f"error: {exc}"), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get("ALERTC_DEBUG"):
            traceback.print_exc()
        click.echo(
            redact_secrets(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "  hint: this is a bug in alertc; rerun with ALERTC_DEBUG=1 for details and report it"
            ),
            err=True,
        )
        return EXIT_ERROR
    return EXIT_OK


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
