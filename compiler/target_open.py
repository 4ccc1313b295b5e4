"""Opening the selected target for one run: a live account as it is, the embedded sandbox started and stopped.

Apart from ``compiler.targets`` (what a target is, which one is selected) because only
this module reaches the sandbox's code: the engine holds a ``Target`` and never does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from compiler.project import LiveTarget, Project, SandboxTarget
from compiler.targets import (
    Secret,
    Selection,
    Target,
    TargetOptions,
    live_target,
    select_target,
    target_from_environment,
)

Announce = Callable[[str], None]


@contextmanager
def open_target(
    environ: Mapping[str, str] | None = None,
    *,
    options: TargetOptions | None = None,
    project: Project | None = None,
    interactive: bool = True,
    writes: bool = True,
    announce: Announce | None = None,
    state_dir: Path | None = None,
    sandbox_now: datetime | None = None,
) -> Iterator[Target]:
    """Yield the selected target, starting (and stopping) the embedded sandbox when it is the one.

    ``sandbox_now``: the run's pinned clock (``ALERTC_NOW``), which the embedded sandbox then shares, so a
    pinned run sees the same world whatever the date (a maintenance window stays in the future).
    """
    env = os.environ if environ is None else environ
    options = options or TargetOptions()
    if state_dir is not None:
        options = replace(options, sandbox_state=state_dir)
    selection = select_target(project, options, env, interactive=interactive)
    if isinstance(selection.config, LiveTarget):
        if selection.name == "default":
            target = target_from_environment(
                env,
                datadog_url=options.datadog_url,
                pagerduty_url=options.pagerduty_url,
                ca_file=options.ca_file,
                writes=writes,
            )
            assert target is not None  # select_target saw credentials or URLs
        else:
            target = live_target(selection.name, selection.config, env, options, writes=writes)
        yield target
        return
    yield from _embedded(selection, options, project, announce, sandbox_now)


def _embedded(
    selection: Selection,
    options: TargetOptions,
    project: Project | None,
    announce: Announce | None,
    now: datetime | None,
) -> Iterator[Target]:
    from compiler.sandbox import start_embedded  # noqa: PLC0415 - loaded only for the sandbox (startup time)

    assert isinstance(selection.config, SandboxTarget)
    state_dir = options.sandbox_state
    if state_dir is None:
        configured = Path(selection.config.state_dir)
        state_dir = configured if project is None or configured.is_absolute() else project.root / configured
        if state_dir.is_absolute() and state_dir.is_relative_to(Path.cwd()):
            state_dir = state_dir.relative_to(Path.cwd())
    handle = start_embedded(state_dir, now=now)
    try:
        if announce is not None:
            if selection.fallback:
                announce(
                    f"No Datadog/PagerDuty credentials set: using the embedded sandbox (state in {state_dir}/). "
                    "Set DD_API_KEY, DD_APP_KEY, PAGERDUTY_TOKEN and PAGERDUTY_FROM to target real accounts."
                )
            else:
                announce(f"Target '{selection.name}': the embedded sandbox (state in {state_dir}/).")
        creds = handle.credentials
        yield Target(
            mode="embedded",
            datadog_url=handle.datadog_url,
            datadog_api_key=Secret(creds["datadog_api_key"]),
            datadog_app_key=Secret(creds["datadog_app_key"]),
            pagerduty_url=handle.pagerduty_url,
            pagerduty_token=Secret(creds["pagerduty_token"]),
            pagerduty_from=creds["pagerduty_from"],
            ca_file=handle.ca_file,
            name=selection.name,
            state_dir=state_dir,
        )
    finally:
        handle.stop()
