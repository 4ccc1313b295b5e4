"""The ``alertc`` command line: one thin module per command over the application layer (``compiler.app``).

Commands parse options, call one use case, and print its result. All
user-facing failures are AlertcError subclasses mapped to exit code 1 here, so
no command has to remember to catch them and no user ever sees a traceback
for a mistake in their input.

Commands are loaded when they run: ``COMMANDS`` names each one's module, and
the group imports only the module of the command being run. ``alertc
--version`` then imports click and nothing of alertc's, and ``alertc validate``
(a pre-commit hook, run on every commit) never loads the API clients, the diff
engine or the sandbox. Adding a command is one line in ``COMMANDS``.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import click

from compiler import __version__
from compiler.errors import AlertcError

__all__ = ["COMMANDS", "cli", "main", "run"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130

# command name -> "module:attribute" of its click command (or group)
COMMANDS: dict[str, str] = {
    "validate": "compiler.cli.validate:validate",
    "test": "compiler.cli.alert_test:test",
    "plan": "compiler.cli.plan:plan",
    "show": "compiler.cli.show:show",
    "apply": "compiler.cli.apply:apply",
    "drift": "compiler.cli.drift:drift",
    "import": "compiler.cli.import_:import_",
    "export": "compiler.cli.export:export",
    "explain": "compiler.cli.explain:explain",
    "banners": "compiler.cli.banners:banners",
    "docs": "compiler.cli.docs:docs",
    "schema": "compiler.cli.schema:schema",
    "init": "compiler.cli.init:init",
    "rehearse": "compiler.cli.rehearse:rehearse",
    "sandbox": "compiler.sandbox.cli:sandbox_group",
}


class LazyGroup(click.Group):
    """A click group whose commands are imported by name when they are run (or listed by ``--help``)."""

    def __init__(self, *args: object, lazy: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = self.lazy[cmd_name].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
        self.add_command(command, cmd_name)
        return command


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="alertc")
def cli() -> None:
    """alertc compiles an incident-response process written as YAML into Datadog
    and PagerDuty objects, and plans and applies the difference.

    \b
    Exit codes: 0 ok / no changes, 1 error, 2 changes or drift found
    (where a command documents it).

    \b
    Shell completion (bash; zsh and fish alike, see README "Shell completion"):
      eval "$(_ALERTC_COMPLETE=bash_source alertc)"
    """


SECRET_VARIABLES = ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN")


def redact_secrets(text: str) -> str:
    """Last line of defence: no credential from the environment is ever printed, whatever raised."""
    for name in SECRET_VARIABLES:
        value = os.environ.get(name, "").strip()
        if len(value) >= 4:
            text = text.replace(value, "****")
    return text


def _raised(exc: BaseException, module: str, name: str) -> bool:
    """``isinstance(exc, module.name)`` without importing ``module``: if it was never imported, nothing raised it."""
    cls = getattr(sys.modules.get(module), name, None)
    return isinstance(cls, type) and isinstance(exc, cls)


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
    except AlertcError as exc:
        if _raised(exc, "compiler.context", "InvalidDefinitions"):
            for finding in getattr(exc, "findings", []):
                click.echo(finding.render(), err=True)
            click.echo(str(exc), err=True)
        elif _raised(exc, "compiler.apply", "ApplyInterrupted") or _raised(exc, "compiler.apply", "PostStepFailed"):
            click.echo(redact_secrets(str(exc)), err=True)  # the apply report is already printed; these follow it
        else:
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
