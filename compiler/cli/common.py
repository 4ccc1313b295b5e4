"""What every command shares: the options, the run context, and printing findings.

Light on purpose (no plan, diff or client modules): ``alertc validate`` imports it.

Target options are gathered into one ``TargetOptions`` value, so commands pass
one argument to the application layer instead of threading four.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from compiler.checks.findings import Finding
from compiler.context import RunContext
from compiler.definitions.source import display_path
from compiler.errors import DefinitionsError
from compiler.progress import Progress, Verbosity, secret_masker
from compiler.targets import TargetOptions

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
DEFAULT_PLAN_FILE = "plans/latest.plan.json"
DEFAULT_BANNER_CONFIG = "plans/banner-config.json"

F = TypeVar("F", bound=Callable[..., Any])

definitions_option = click.option(
    "-d",
    "--definitions",
    "definitions_dir",
    type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
    default=None,
    help="Directory holding the definitions (*.yaml), searched recursively "
    "[default: the project file's 'definitions', else definitions/].",
)


def format_option(choices: Sequence[str], *, default: str = "text", help: str | None = None) -> Callable[[F], F]:
    """``--format`` (into ``output_format``), one of ``choices``, the default shown in ``--help``."""
    return click.option(
        "--format", "output_format", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


def out_option(
    name: str,
    help: str,
    *,
    default: str | Path | None = None,
    long: str = "--out",
    show_default: bool | None = None,
) -> Callable[[F], F]:
    """``-o/--out`` (into ``name``): a file, or ``-`` for standard output.

    ``long`` is the long name (``alertc test`` and ``rehearse`` say ``--output``, a report file, as
    promtool and pytest do); a default is shown in ``--help`` unless ``show_default`` says otherwise
    (those two name it in their help text instead).
    """
    return click.option(
        "-o",
        long,
        name,
        type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
        default=default,
        show_default=default is not None if show_default is None else show_default,
        help=help,
    )


FORMAT_OPTION = format_option(["text", "markdown", "json"], help="How to print the result.")


NO_COLOR_OPTION = click.option(
    "--no-color", is_flag=True, help="No colour, even on a terminal (NO_COLOR in the environment does the same)."
)


def announce(message: str) -> None:
    """Progress and notices go to standard error; results to standard output."""
    click.echo(message, err=True)


def print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        click.echo(finding.render(), err=True)


def context(target: TargetOptions | None = None, verbosity: Verbosity = "normal") -> RunContext:
    """The run context of a command; its progress goes to standard error at ``verbosity``."""
    progress = Progress(sys.stderr, verbosity=verbosity, redact=secret_masker(os.environ))
    return RunContext.create(target or TargetOptions(), progress)


def progress_options(fn: F) -> F:
    """Add ``-q/--quiet`` and ``-v/--verbose`` and hand the command one ``verbosity`` argument."""

    @functools.wraps(fn)
    def wrapper(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        if quiet and verbose:
            raise click.UsageError("-q/--quiet and -v/--verbose cannot be combined")
        verbosity: Verbosity = "quiet" if quiet else "verbose" if verbose else "normal"
        return fn(*args, verbosity=verbosity, **kwargs)

    verbose_option = click.option(
        "-v", "--verbose", is_flag=True, help="Also show every request (method and path), retry and rate-limit wait."
    )
    quiet_option = click.option(
        "-q", "--quiet", is_flag=True, help="No progress and no notices on standard error (warnings and errors only)."
    )
    decorated: Any = quiet_option(verbose_option(wrapper))
    return decorated  # type: ignore[no-any-return]


_TARGET_OPTIONS = [
    click.option(
        "--target",
        "target_name",
        envvar="ALERTC_TARGET",
        metavar="NAME",
        help="A target of alertc.yaml (e.g. production), or 'sandbox' for the embedded sandbox "
        "[default: the project's default_target].",
    ),
    click.option(
        "--datadog-url",
        envvar="ALERTC_DATADOG_URL",
        help="Datadog API base URL (a running sandbox); default from the target's site.",
    ),
    click.option(
        "--pagerduty-url",
        envvar="ALERTC_PAGERDUTY_URL",
        help="PagerDuty API base URL (a running sandbox); default https://api.pagerduty.com.",
    ),
    click.option(
        "--ca-file",
        envvar="ALERTC_CA_FILE",
        type=click.Path(path_type=Path, dir_okay=False),
        help="CA bundle to trust (a running sandbox's ca_file).",
    ),
    click.option(
        "--sandbox-state",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="State directory of the embedded sandbox [default: the target's state_dir, .sandbox].",
    ),
]


def target_options(fn: F) -> F:
    """Add the target options and hand the command one ``target: TargetOptions`` argument."""

    @functools.wraps(fn)
    def wrapper(
        *args: Any,
        target_name: str | None,
        datadog_url: str | None,
        pagerduty_url: str | None,
        ca_file: Path | None,
        sandbox_state: Path | None,
        **kwargs: Any,
    ) -> Any:
        target = TargetOptions(target_name, datadog_url, pagerduty_url, ca_file, sandbox_state)
        return fn(*args, target=target, **kwargs)

    decorated: Any = wrapper
    for option in reversed(_TARGET_OPTIONS):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def write_generated(path: Path, text: str, *, check: bool, regenerate: str) -> None:
    """Write a generated file, or with ``check`` fail when the committed one differs (for CI)."""
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            raise DefinitionsError(f"{display_path(path)} is out of date\n  hint: run '{regenerate}' and commit it")
        click.echo(f"{display_path(path)}: up to date")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {display_path(path)}")


def write_output(out_file: Path, text: str, notice: Callable[[str], None] = announce) -> None:
    """``-`` is standard output; anything else a file, announced on standard error (through ``notice``)."""
    if str(out_file) == "-":
        click.echo(text, nl=False)
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, encoding="utf-8")
    notice(f"wrote {display_path(out_file)}")
