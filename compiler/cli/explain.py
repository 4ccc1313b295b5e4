"""``alertc explain monitor``."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli.common import context, definitions_option, print_findings
from compiler.context import check
from compiler.errors import DefinitionsError
from compiler.notify.explain import monitor_table
from compiler.notify.template import TemplateError


@click.group("explain")
def explain() -> None:
    """Explain what compiled objects do.

    \b
    Example:
      alertc explain monitor ssoe-latency
    """


@explain.command("monitor")
@definitions_option
@click.argument("name")
def explain_monitor(definitions_dir: Path | None, name: str) -> None:
    """Who a monitor (or SLO alert) notifies on each transition, and what PagerDuty receives.

    \b
    Example:
      alertc explain monitor ssoe-latency
    """
    ctx = context()
    checked = check(ctx, ctx.definitions_dir(definitions_dir))
    print_findings(checked.warnings)
    try:
        click.echo(monitor_table(checked.compiled.resources, name, checked.compiled.banner_targets), nl=False)
    except KeyError as error:
        raise DefinitionsError(str(error.args[0])) from None
    except TemplateError as error:  # a native monitor's own message: Datadog's, not alertc's, to fix
        raise DefinitionsError(
            f"monitor '{name}': its message cannot be explained: {error}\n"
            "  hint: balance its {{#...}}/{{/...}} blocks in the definition's message"
        ) from None
