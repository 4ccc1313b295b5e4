"""The ``alertc`` command line.

Commands stay thin: parse options, call one function, print its result. All
user-facing failures are AlertcError subclasses mapped to exit code 1 here, so
no command has to remember to catch them and no user ever sees a traceback
for a mistake in their input.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from compiler import __version__
from compiler.apply import ApplyReport, apply_plan
from compiler.banners.checks import check_banners
from compiler.banners.config import DEFAULT_SCHEMA_PATH as BANNER_SCHEMA_PATH
from compiler.banners.config import build_banner_config, render_banner_config
from compiler.banners.config import render_schema as render_banner_schema
from compiler.banners.decide import Decision, render_decisions
from compiler.banners.formats import FORMATS as BANNER_FORMATS
from compiler.banners.formats import Format as BannerFormat
from compiler.banners.formats import render_format as render_banner_format
from compiler.banners.status import (
    Frontend,
    banner_status,
    live_banner_config,
    read_definitions_state,
    resolve_banner_config,
)
from compiler.compile import CompileResult, compile_definitions
from compiler.definitions import load_definitions
from compiler.definitions.findings import Finding
from compiler.definitions.loader import Definitions, LoadResult
from compiler.definitions.schema import DEFAULT_SCHEMA_PATH, render_schema
from compiler.definitions.source import display_path
from compiler.docs import DOC_NAME, render_process_doc
from compiler.drift import make_drift_report
from compiler.engine import make_plan
from compiler.errors import AlertcError, DefinitionsError, PlanError
from compiler.live import open_session, read_live
from compiler.notify.explain import monitor_table
from compiler.outputs import FINDING_FORMATS, Output, output_for, render_findings
from compiler.outputs.color import use_color
from compiler.plan import Plan, live_resolver
from compiler.process_lint import RULES, explain, lint
from compiler.resources import ResourceSet
from compiler.summary import render_summary
from compiler.targets import DEFAULT_STATE_DIR, open_target

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
DEFAULT_PLAN_FILE = "plans/latest.plan.json"
DEFAULT_BANNER_CONFIG = "plans/banner-config.json"

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


def gather_findings(definitions_dir: Path) -> tuple[LoadResult, CompileResult | None]:
    """Load and compile definitions; every finding of every checker, sorted, in the LoadResult."""
    result = load_definitions(definitions_dir)
    if result.definitions is None:
        return result, None
    compiled = compile_definitions(result.definitions)
    found = [
        *result.findings,
        *compiled.findings,
        *check_banners(result.definitions),
        *lint(result.definitions, _now()),
    ]
    return LoadResult(result.definitions, sorted(dict.fromkeys(found), key=Finding.sort_key)), compiled


def load_or_fail(definitions_dir: Path) -> tuple[Definitions, CompileResult]:
    """Load and compile definitions, print findings, and stop with exit 1 if any is an error."""
    combined, compiled = gather_findings(definitions_dir)
    _report(combined)
    if not combined.ok or combined.definitions is None or compiled is None:
        raise SystemExit(EXIT_ERROR)
    return combined.definitions, compiled


def _explain(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    try:
        click.echo(explain(value), nl=False)
    except KeyError:
        raise DefinitionsError(f"unknown rule '{value}'\n  hint: rules: {', '.join(sorted(RULES))}") from None
    ctx.exit(EXIT_OK)


@cli.group("explain")
def explain_group() -> None:
    """Explain what compiled objects do.

    \b
    Example:
      alertc explain monitor ssoe-latency
    """


@explain_group.command("monitor")
@definitions_option
@click.argument("name")
def explain_monitor(definitions_dir: Path, name: str) -> None:
    """Who a monitor (or SLO alert) notifies on each transition, and what PagerDuty receives.

    \b
    Example:
      alertc explain monitor ssoe-latency
    """
    _definitions, compiled = load_or_fail(definitions_dir)
    try:
        click.echo(monitor_table(compiled.resources, name), nl=False)
    except KeyError as error:
        raise DefinitionsError(str(error.args[0])) from None


@cli.command()
@definitions_option
@click.option("--summary", is_flag=True, help="Also print what the definitions say and compile to.")
@click.option(
    "--explain",
    metavar="RULE",
    callback=_explain,
    expose_value=False,
    is_eager=True,
    help="Explain a process-lint rule (e.g. P101) and exit.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", *FINDING_FORMATS]),
    default="text",
    show_default=True,
    help="text; json; github (workflow annotations on the pull request); sarif (code scanning).",
)
def validate(definitions_dir: Path, summary: bool, output_format: str) -> None:
    """Check the definitions and report every problem as file:line:col.

    Besides the language and its references, this runs the process lint
    (rules P101... : paging monitors without runbooks, uncovered on-call time,
    severity that disagrees with impact, ...) and the downtime-banner checks.
    Exits 0 when the definitions are valid, 1 otherwise. Warnings are printed
    but do not fail.

    \b
    Example:
      alertc validate -d definitions
      alertc validate --summary     # also print what they compile to
      alertc validate --explain P103
      alertc validate --format github   # annotations in a GitHub Actions job
    """
    if output_format != "text":
        found, _ = gather_findings(definitions_dir)
        click.echo(render_findings(found.findings, output_format), nl=False)
        raise SystemExit(EXIT_OK if found.ok else EXIT_ERROR)
    definitions, compiled = load_or_fail(definitions_dir)
    counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in definitions.counts().items() if n)
    click.echo(f"{display_path(definitions_dir)}: valid ({len(definitions.files)} files: {counts})")
    if summary:
        click.echo(render_summary(definitions, compiled.resources))


def target_options(fn: Callable[..., None]) -> Callable[..., None]:
    """Options every command that talks to Datadog and PagerDuty shares."""
    options = [
        click.option(
            "--datadog-url",
            envvar="ALERTC_DATADOG_URL",
            help="Datadog API base URL (a running sandbox); default from DD_SITE.",
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
            default=DEFAULT_STATE_DIR,
            show_default=True,
            help="State directory of the embedded sandbox (used when no credentials are set).",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _announce(message: str) -> None:
    click.echo(message, err=True)


def _target(datadog_url: str | None, pagerduty_url: str | None, ca_file: Path | None, sandbox_state: Path) -> Any:
    return open_target(
        state_dir=sandbox_state,
        datadog_url=datadog_url,
        pagerduty_url=pagerduty_url,
        ca_file=ca_file,
        announce=_announce,
    )


def _now() -> datetime:
    """The one place alertc reads the clock; ALERTC_NOW (ISO 8601) pins it for reproducible runs and tests."""
    pinned = os.environ.get("ALERTC_NOW", "").strip()
    if pinned:
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise AlertcError(f"ALERTC_NOW '{pinned}' is not an ISO 8601 date-time") from None
        if value.tzinfo is None:
            raise AlertcError(f"ALERTC_NOW '{pinned}' needs a UTC offset, e.g. 2026-11-22T12:00:00Z")
        return value
    return datetime.now(UTC).replace(microsecond=0)


FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="How to print the result.",
)
NO_COLOR_OPTION = click.option(
    "--no-color", is_flag=True, help="No colour, even on a terminal (NO_COLOR in the environment does the same)."
)


def _output(output_format: str, no_color: bool, *, err: bool = False) -> Output:
    """The output class for --format, coloured only when the stream it goes to is a terminal."""
    return output_for(output_format, color=use_color(sys.stderr if err else sys.stdout, no_color=no_color))


@cli.command()
@definitions_option
@click.option(
    "-o",
    "--out",
    "plan_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=Path(DEFAULT_PLAN_FILE),
    show_default=True,
    help="Where to save the plan for 'alertc apply' ('-': the plan JSON to standard output, the rendering to stderr).",
)
@FORMAT_OPTION
@NO_COLOR_OPTION
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when there are none.")
@click.option("--allow-deletes", is_flag=True, help="Allow a plan that deletes more than 30% of managed objects.")
@target_options
def plan(
    definitions_dir: Path,
    plan_file: Path,
    output_format: str,
    no_color: bool,
    detailed_exitcode: bool,
    allow_deletes: bool,
    datadog_url: str | None,
    pagerduty_url: str | None,
    ca_file: Path | None,
    sandbox_state: Path,
) -> None:
    """Show what would change in Datadog and PagerDuty, and save the plan.

    Compiles the definitions, reads live state in bulk, and diffs the two.
    New or changed monitors are checked with Datadog's validate endpoint.
    Without credentials the embedded sandbox is the target.

    \b
    Exit codes: 0 ok (or no changes with --detailed-exitcode),
    2 changes (with --detailed-exitcode), 1 error.

    \b
    Example:
      alertc plan -d definitions --detailed-exitcode
      alertc plan --format markdown > plan.md   # for a pull-request comment
    """
    definitions, _ = load_or_fail(definitions_dir)
    with _target(datadog_url, pagerduty_url, ca_file, sandbox_state) as target, open_session(target) as session:
        outcome = make_plan(definitions, session, now=_now())
        requests = dict(session.requests.counts)
    result = outcome.plan
    to_stdout = str(plan_file) == "-"
    click.echo(_output(output_format, no_color, err=to_stdout).plan(result), nl=False, err=to_stdout)
    result.raise_if_unsafe(allow_deletes=allow_deletes)  # apply would refuse it: fail here, in CI, too
    if to_stdout:
        click.echo(result.to_json(), nl=False)
    else:
        result.save(plan_file)
    for conflict in result.conflicts:
        click.echo(
            f"warning: {conflict.address}: a live object named {conflict.name!r} (id {conflict.live_id}) is not "
            "managed by alertc and was not taken over",
            err=True,
        )
    cost = f"{requests['datadog']} Datadog and {requests['pagerduty']} PagerDuty requests"
    click.echo(
        f"Saved {'to standard output' if to_stdout else display_path(plan_file)} ({cost})."
        + (" Apply it with: alertc apply " + display_path(plan_file) if result.has_changes else ""),
        err=True,
    )
    if detailed_exitcode and result.has_changes:
        raise SystemExit(EXIT_CHANGES)


def _print_apply_report(report: ApplyReport) -> None:
    for line in report.applied:
        click.echo(f"applied: {line}")
    for address in report.already_applied:
        click.echo(f"already applied: {address}")
    for address in report.adopted_after_lost_response:
        click.echo(f"found after a lost response (not duplicated): {address}")
    for address, reason in report.failed:
        click.echo(f"FAILED: {address}: {reason}", err=True)
    for address, reason in report.skipped:
        click.echo(f"not applied: {address}: {reason}", err=True)
    summary = f"Apply: {len(report.applied)} applied, {len(report.failed)} failed, {len(report.skipped)} not applied."
    click.echo(summary, err=not report.ok)


@cli.command()
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@definitions_option
@click.option("--yes", is_flag=True, help="Apply without asking (when no plan file is given).")
@NO_COLOR_OPTION
@click.option("--allow-deletes", is_flag=True, help="Allow a plan that deletes more than 30% of managed objects.")
@click.option(
    "--banner-config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(DEFAULT_BANNER_CONFIG),
    show_default=True,
    help="Where to write the banner configuration (with live PagerDuty ids) after a successful apply.",
)
@target_options
def apply(
    plan_file: Path | None,
    definitions_dir: Path,
    yes: bool,
    no_color: bool,
    allow_deletes: bool,
    banner_config: Path,
    datadog_url: str | None,
    pagerduty_url: str | None,
    ca_file: Path | None,
    sandbox_state: Path,
) -> None:
    """Apply a reviewed plan (or plan, show and confirm).

    With PLAN_FILE, apply exactly that plan: it is refused, changing nothing,
    if any object it touches changed since it was made ("plan is stale"), or
    if it deletes more than 30% of at least 10 managed objects without
    --allow-deletes. Without PLAN_FILE, make a plan, print it, and ask.

    \b
    Exit codes: 0 applied, 1 error or partial failure (the report says what
    was and was not applied; running again converges). After a successful
    apply the banner configuration the sign-in backend reads is written with
    the live PagerDuty ids (--banner-config).

    \b
    Example:
      alertc apply plans/latest.plan.json
      alertc apply --yes              # plan and apply in one go
    """
    with _target(datadog_url, pagerduty_url, ca_file, sandbox_state) as target, open_session(target) as session:
        if plan_file is not None:
            reviewed = Plan.load(plan_file)
        else:
            definitions, _ = load_or_fail(definitions_dir)
            reviewed = make_plan(definitions, session, now=_now()).plan
            click.echo(_output("text", no_color).plan(reviewed), nl=False)
            if not reviewed.has_changes:
                return
            if not yes:
                if not sys.stdin.isatty():
                    raise PlanError("refusing to apply without confirmation\n  hint: pass --yes, or a plan file")
                click.confirm("Apply these changes?", abort=True)
        report = apply_plan(reviewed, session, now=_now(), allow_deletes=allow_deletes)
        if report.ok and reviewed.banner_config is not None:
            live = read_live(session, ResourceSet())
            config = resolve_banner_config(reviewed.banner_config, live_resolver(live.managed(), live.lookups()))
            banner_config.parent.mkdir(parents=True, exist_ok=True)
            banner_config.write_text(render_banner_config(config), encoding="utf-8")
            click.echo(f"wrote {display_path(banner_config)}", err=True)
    _print_apply_report(report)
    if not report.ok:
        raise SystemExit(EXIT_ERROR)


@cli.command()
@definitions_option
@FORMAT_OPTION
@NO_COLOR_OPTION
@click.option(
    "-o",
    "--out",
    "report_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Also save the JSON report ('-': the JSON to standard output instead of the rendering).",
)
@target_options
def drift(
    definitions_dir: Path,
    output_format: str,
    no_color: bool,
    report_file: Path | None,
    datadog_url: str | None,
    pagerduty_url: str | None,
    ca_file: Path | None,
    sandbox_state: Path,
) -> None:
    """Report what differs between the definitions and live state (read-only).

    Reports objects changed outside alertc (field by field), objects missing,
    definitions not yet applied (told apart by the digest apply stores on each
    object), and live objects alertc does not manage. It cannot write: its
    clients refuse every non-GET request.

    \b
    Exit codes: 0 no drift, 2 drift, 1 error. Unmanaged objects are listed
    but are not drift.

    \b
    Example:
      alertc drift --format markdown -o plans/drift.json
    """
    definitions, _ = load_or_fail(definitions_dir)
    with (
        _target(datadog_url, pagerduty_url, ca_file, sandbox_state) as target,
        open_session(target, read_only=True) as session,
    ):
        report = make_drift_report(definitions, session, now=_now())
    if report_file is not None and str(report_file) == "-":
        click.echo(report.to_json(), nl=False)
    else:
        if report_file is not None:
            report_file.parent.mkdir(parents=True, exist_ok=True)
            report_file.write_text(report.to_json(), encoding="utf-8")
        click.echo(_output(output_format, no_color).drift(report), nl=False)
    if report.has_drift:
        raise SystemExit(EXIT_CHANGES)


@cli.command()
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@FORMAT_OPTION
@NO_COLOR_OPTION
def show(plan_file: Path, output_format: str, no_color: bool) -> None:
    """Print a saved plan (from 'alertc plan -o') without reading live state.

    \b
    Example:
      alertc show plans/latest.plan.json
      alertc show plan.json --format markdown > comment.md
    """
    click.echo(_output(output_format, no_color).plan(Plan.load(plan_file)), nl=False)


@cli.group()
def banners() -> None:
    """Downtime banners: the configuration the sign-in page consumes, and what its users see now.

    \b
    Example:
      alertc banners status --auth-method sis
      alertc banners build -o plans/banner-config.json
    """


@banners.command("build")
@definitions_option
@click.option(
    "-o",
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="Where to write the JSON ('-' for standard output).",
)
@click.option("--template", is_flag=True, help="Leave the PagerDuty ids as placeholders (no live read).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(BANNER_FORMATS),
    default="json",
    show_default=True,
    help="json (the artifact), vets-api (maintenance__services__<key>=<id> lines), vets-api-yaml "
    "(the maintenance: settings block), vets-website (ES module of per-method dependency lists).",
)
@target_options
def banners_build(
    definitions_dir: Path,
    out_file: Path,
    template: bool,
    output_format: BannerFormat,
    datadog_url: str | None,
    pagerduty_url: str | None,
    ca_file: Path | None,
    sandbox_state: Path,
) -> None:
    """Write the banner configuration: banner key → PagerDuty status service id, the keys each
    auth method depends on, the banner texts and the maintenance lead time.

    Its JSON Schema is schema/banner-config.schema.json. Without --template the
    ids are read from live PagerDuty; a key whose status service does not exist
    yet is an error (the backend rejects its whole maintenance query on one
    unknown id).

    \b
    Example:
      alertc banners build -o plans/banner-config.json
      alertc banners build --template
      alertc banners build --format vets-api
    """
    definitions, _ = load_or_fail(definitions_dir)
    if definitions.banners is None:
        raise DefinitionsError("the definitions have no 'banners' section\n  hint: see definitions/banners.yaml")
    if template:
        config = build_banner_config(definitions)
    else:
        with (
            _target(datadog_url, pagerduty_url, ca_file, sandbox_state) as target,
            open_session(target, read_only=True) as session,
        ):
            state = read_definitions_state(definitions, session)
        config = live_banner_config(definitions, state)
    text = render_banner_format(config, output_format)
    if str(out_file) == "-":
        click.echo(text, nl=False)
    else:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text, encoding="utf-8")
        click.echo(f"wrote {display_path(out_file)}", err=True)


@banners.command("status")
@definitions_option
@click.option("--auth-method", help="Only this auth method (e.g. sis or ssoe).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--frontend",
    type=click.Choice(["current", "intended"]),
    default="intended",
    show_default=True,
    help="current: today's vets-website rules (one list for everyone); intended: the per-method rules.",
)
@target_options
def banners_status(
    definitions_dir: Path,
    auth_method: str | None,
    output_format: str,
    frontend: Frontend,
    datadog_url: str | None,
    pagerduty_url: str | None,
    ca_file: Path | None,
    sandbox_state: Path,
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
    definitions, _ = load_or_fail(definitions_dir)
    names = {method.name for method in definitions.auth_methods}
    if auth_method is not None and auth_method not in names:
        raise DefinitionsError(
            f"unknown auth method '{auth_method}'\n  hint: one of {', '.join(sorted(names)) or '(none defined)'}"
        )
    with (
        _target(datadog_url, pagerduty_url, ca_file, sandbox_state) as target,
        open_session(target, read_only=True) as session,
    ):
        decisions = banner_status(definitions, session, now=_now(), frontend=frontend)
    if auth_method is not None:
        decisions = {auth_method: decisions[auth_method]}
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


@cli.command()
@definitions_option
@click.option(
    "-o",
    "--out-dir",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("docs"),
    show_default=True,
    help="Directory for the rendered document.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the committed document differs from the definitions (CI).")
def docs(definitions_dir: Path, out_dir: Path, check: bool) -> None:
    """Render the incident-response process document (Markdown) from the definitions.

    Severity and priority tables with response times, when to declare an
    incident and how often to post updates, on-call and escalation with
    coverage, services, SLOs with their burn-rate alerts, monitors per service
    with runbooks, and the downtime-banner matrix. Deterministic, so it can be
    committed beside the definitions and checked in CI.

    \b
    Example:
      alertc docs                 # writes docs/process.md
      alertc docs --check
    """
    definitions, _ = load_or_fail(definitions_dir)
    write_generated(out_dir / DOC_NAME, render_process_doc(definitions), check=check, regenerate="alertc docs")


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


SCHEMAS = {
    "definitions": (DEFAULT_SCHEMA_PATH, render_schema),
    "banner-config": (BANNER_SCHEMA_PATH, render_banner_schema),
}


@cli.command()
@click.argument("which", type=click.Choice(sorted(SCHEMAS)), default="definitions")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Where to write the schema ('-' for standard output); default schema/<which>.schema.json.",
)
@click.option("--check", is_flag=True, help="Exit 1 if the file differs from the generated schema (for CI).")
def schema(which: str, output: Path | None, check: bool) -> None:
    """Write a JSON Schema: of the definitions language (default), or of the banner configuration.

    Editors with yaml-language-server autocomplete and flag errors as you type
    when a definitions file starts with
    '# yaml-language-server: $schema=../schema/definitions.schema.json'.

    \b
    Example:
      alertc schema                 # writes schema/definitions.schema.json
      alertc schema banner-config   # writes schema/banner-config.schema.json
      alertc schema --check         # in CI: fail if it is out of date
    """
    default_path, render = SCHEMAS[which]
    text = render()
    if output is not None and str(output) == "-":
        click.echo(text, nl=False)
        return
    write_generated(output or Path(default_path), text, check=check, regenerate=f"alertc schema {which}")


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
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except AlertcError as exc:
        click.echo(redact_secrets(f"error: {exc}"), err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
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


if __name__ == "__main__":  # pragma: no cover
    main()
