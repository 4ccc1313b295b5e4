"""``alertc banners build|status``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from compiler import app
from compiler.banners.decide import Decision, render_decisions
from compiler.banners.formats import FORMATS as BANNER_FORMATS
from compiler.banners.formats import Format as BannerFormat
from compiler.banners.status import Frontend
from compiler.cli.common import (
    context,
    definitions_option,
    format_option,
    out_option,
    progress_options,
    target_options,
    write_output,
)
from compiler.progress import Verbosity
from compiler.targets import TargetOptions


@click.group()
def banners() -> None:
    """Downtime banners: the configuration the sign-in page consumes, and what its users see now.

    \b
    Example:
      alertc banners status --auth-method sis
      alertc banners build -o plans/banner-config.json
    """


@banners.command("build")
@definitions_option
@out_option("out_file", "Where to write the JSON ('-' for standard output).", default="-")
@click.option("--template", is_flag=True, help="Leave the PagerDuty ids as placeholders (no live read).")
@format_option(
    BANNER_FORMATS,
    default="json",
    help="json (the artifact), vets-api (maintenance__services__<key>=<id> lines), vets-api-yaml "
    "(the maintenance: settings block), vets-website (ES module of per-method dependency lists).",
)
@target_options
@progress_options
def banners_build(
    definitions_dir: Path | None,
    out_file: Path,
    template: bool,
    output_format: BannerFormat,
    target: TargetOptions,
    verbosity: Verbosity,
) -> None:
    """Write the banner configuration: banner key → PagerDuty status service id, the keys each
    auth method depends on, the banner texts and the maintenance lead time.

    Its JSON Schema is schema/banner-config.schema.json. Without --template the
    ids are read from live PagerDuty; a key whose status service does not exist
    yet is an error (the backend rejects its whole maintenance query on one
    unknown id).

    \b
    Example:
      alertc banners build --target production -o plans/banner-config.json
      alertc banners build --template
      alertc banners build --format vets-api
    """
    ctx = context(target, verbosity)
    directory = ctx.definitions_dir(definitions_dir)
    text = app.banners_build(ctx, directory, template=template, output_format=output_format)
    write_output(out_file, text, ctx.announce)


@banners.command("status")
@definitions_option
@click.option("--auth-method", help="Only this auth method (e.g. sis or ssoe).")
@format_option(["text", "json"])
@click.option(
    "--frontend",
    type=click.Choice(["current", "intended"]),
    default="intended",
    show_default=True,
    help="current: today's vets-website rules (one list for everyone); intended: the per-method rules.",
)
@target_options
@progress_options
def banners_status(
    definitions_dir: Path | None,
    auth_method: str | None,
    output_format: str,
    frontend: Frontend,
    target: TargetOptions,
    verbosity: Verbosity,
) -> None:
    """Show, per auth method, the banner its users see now and why (read-only).

    Reads the live status services, their open incidents and their open and
    upcoming maintenance windows from PagerDuty, as the sign-in backend does,
    and applies the banner rules: one key down shows its banner, several show
    the several-services banner, maintenance shows from the lead time on.

    \b
    Example:
      alertc banners status --auth-method sis --format json
      alertc banners status --frontend current
    """
    ctx = context(target, verbosity)
    decisions = app.banners_status(ctx, ctx.definitions_dir(definitions_dir), auth_method, frontend)
    if output_format == "json":
        payload = {name: _decision_json(decision) for name, decision in decisions.items()}
        click.echo(json.dumps(payload, indent=2, sort_keys=True, default=str))
    else:
        click.echo(render_decisions(decisions), nl=False)


def _decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "banner": decision.banner,
        "key": decision.key,
        "headline": decision.text.headline if decision.text else None,
        "body": decision.text.body if decision.text else None,
        "reason": decision.reason,
        "unknown_keys": list(decision.unknown_keys),
    }
