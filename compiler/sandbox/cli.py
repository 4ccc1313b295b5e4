"""`alertc sandbox serve|reset|dump|load|clock`.

`serve` prints one JSON line first (URLs, CA file, accepted credentials) so a
parent process can read where and how to connect before anything else.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Any

import click

from compiler.sandbox.clock import Clock
from compiler.sandbox.faults import FaultConfig
from compiler.sandbox.store import Store

DEFAULT_STATE = ".sandbox"


@click.group("sandbox")
def sandbox_group() -> None:
    """A local Datadog + PagerDuty API server (the default target without credentials).

    \b
    Example:
      alertc sandbox serve --port 0 --state .sandbox
    """


@sandbox_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, show_default=True, type=int, help="0 picks a free port")
@click.option("--state", "state", default=DEFAULT_STATE, show_default=True, type=click.Path(path_type=Path))
@click.option("--seed", default=0, type=int, help="Seed of the injected faults (deterministic runs).")
@click.option(
    "--faults",
    "faults_json",
    default=None,
    help='Faults as JSON, e.g. \'{"latency_ms": 50, "error_rate": 0.05, "burst_429_rate": 0.02, '
    '"lost_response_rate": 0.1}\'.',
)
def serve(host: str, port: int, state: Path, seed: int, faults_json: str | None) -> None:
    """Serve both APIs over HTTPS until interrupted.

    The first line on standard output is one JSON object: datadog_url,
    pagerduty_url, events_url, ca_file, and the credentials it accepts.

    \b
    Example:
      alertc sandbox serve --port 0 --state .sandbox | head -1
    """
    from compiler.sandbox.server import Sandbox  # noqa: PLC0415 - loaded when the command runs (startup time)

    faults = FaultConfig.from_dict(json.loads(faults_json)) if faults_json else None
    try:
        sandbox = Sandbox(state, host=host, port=port, faults=faults, seed=seed)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(json.dumps(sandbox.info()))
    sys.stdout.flush()

    def _stop(*_: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.store.close()


def _state_option(fn: Any) -> Any:
    return click.option("--state", "state", default=DEFAULT_STATE, show_default=True, type=click.Path(path_type=Path))(
        fn
    )


@sandbox_group.command("reset")
@_state_option
def reset(state: Path) -> None:
    """Forget every object (credentials and the CA are kept).

    \b
    Example:
      alertc sandbox reset --state .sandbox
    """
    from compiler.sandbox.faults import FaultInjector  # noqa: PLC0415 - loaded when the command runs (startup time)
    from compiler.sandbox.pagerduty import directory  # noqa: PLC0415 - loaded when the command runs (startup time)
    from compiler.sandbox.ratelimit import RateLimiter  # noqa: PLC0415 - loaded when the command runs (startup time)
    from compiler.sandbox.world import World  # noqa: PLC0415 - loaded when the command runs (startup time)

    store = Store(state)
    creds = {k: v for k, v in store.dump()["meta"].items() if k.startswith("cred:")}
    with store.transaction():
        store.clear()
        for k, v in creds.items():
            store.meta_set(k, v)
    directory.seed(World(store, RateLimiter(), FaultInjector(None, 0), 0))
    store.close()
    click.echo(f"reset {state}")


@sandbox_group.command("dump")
@_state_option
def dump(state: Path) -> None:
    """Print the whole state as JSON.

    \b
    Example:
      alertc sandbox dump --state .sandbox > world.json
    """
    store = Store(state)
    click.echo(json.dumps(store.dump(), indent=2))
    store.close()


@sandbox_group.command("load")
@_state_option
@click.argument("source", type=click.File("r"), default="-")
def load(state: Path, source: Any) -> None:
    """Replace the state with a dump (from SOURCE, or standard input).

    \b
    Example:
      alertc sandbox load --state .sandbox world.json
    """
    store = Store(state)
    try:
        store.load(json.load(source))
    except (ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"cannot load state: {exc}") from exc
    finally:
        store.close()
    click.echo(f"loaded into {state}")


@sandbox_group.command("clock")
@_state_option
@click.option("--set", "set_to", default=None, metavar="TIME", help="Freeze the clock at an ISO 8601 time.")
@click.option("--advance", default=None, metavar="DURATION", help="Move the clock forward: seconds, 90s, 15m, 2h, 1d.")
@click.option("--reset", "reset_clock", is_flag=True, help="Back to real time.")
def clock(state: Path, set_to: str | None, advance: str | None, reset_clock: bool) -> None:
    """Show or move the sandbox's clock (downtime and maintenance-window status follow it).

    A sandbox serving the same state directory sees the change at once.

    \b
    Example:
      alertc sandbox clock --state .sandbox --set 2026-01-05T09:00:00Z
      alertc sandbox clock --state .sandbox --advance 2h
    """
    chosen = [k for k, v in (("--set", set_to), ("--advance", advance), ("--reset", reset_clock)) if v]
    if len(chosen) > 1:
        raise click.UsageError(f"give one of --set, --advance, --reset (got {', '.join(chosen)})")
    command: dict[str, Any] = (
        {"set": set_to} if set_to else {"advance": advance} if advance else {"reset": True} if reset_clock else {}
    )
    store = Store(state)
    try:
        shown = Clock(store).apply(command) if command else Clock(store).describe()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        store.close()
    click.echo(json.dumps(shown))
