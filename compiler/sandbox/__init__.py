"""A local Datadog + PagerDuty API server with the real services' behaviour.

Entry points: `start_embedded` (in-process, background thread, ephemeral port)
and `alertc sandbox serve` (see `cli.py`). Nothing here imports the rest of
`compiler`: the sandbox stands in for the vendors and must not share the
product's assumptions.
"""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from compiler.sandbox.admin import admin_headers
from compiler.sandbox.datadog import restrictions
from compiler.sandbox.faults import FaultConfig
from compiler.sandbox.ratelimit import Limit, RateLimitConfig
from compiler.sandbox.routing import Request, Response
from compiler.sandbox.server import AUTO, Sandbox
from compiler.sandbox.tls import client_context

__all__ = ["FaultConfig", "Limit", "RateLimitConfig", "SandboxHandle", "client_context", "start_embedded"]


@dataclass
class SandboxHandle:
    datadog_url: str
    pagerduty_url: str
    events_url: str
    ca_file: Path | None
    credentials: dict[str, str]
    admin_url: str
    _sandbox: Sandbox = field(repr=False)

    def stop(self) -> None:
        self._sandbox.stop()

    def set_faults(self, faults: FaultConfig, seed: int | None = None) -> None:
        self._sandbox.set_faults(faults, seed)

    def reset(self) -> None:
        self._sandbox.reset()

    def dump(self) -> dict[str, Any]:
        return self._sandbox.store.dump()

    def load(self, state: dict[str, Any]) -> None:
        self._sandbox.store.load(state)

    def admin_headers(self) -> dict[str, str]:
        """Headers the admin API (`admin_url`) requires: the sandbox's own credentials."""
        return admin_headers(self.credentials)

    def add_principal(self, name: str, roles: list[str]) -> dict[str, Any]:
        """A Datadog service account holding ``roles`` (by name) with its own key pair (``api_key``,
        ``app_key``, ``user_id``, ``roles`` as ids): a second team's credentials on the same account."""
        return restrictions.add_principal(self._sandbox.store, name, roles)

    def set_clock(self, when: dt.datetime) -> None:
        """Freeze the sandbox's clock at ``when`` (kept in its state; the admin API can advance it)."""
        self._sandbox.world.clock.set(when)

    def stats(self) -> dict[str, Any]:
        return self._sandbox.stats.snapshot()

    def reset_stats(self) -> None:
        self._sandbox.stats.reset()

    def observe(self, callback: Callable[[Request, Response], None] | None) -> None:
        self._sandbox.observer = callback

    def call(self, method: str, target: str, headers: dict[str, str], body: bytes | None) -> tuple[int, bytes]:
        """Answer one request in process, past the network but through the same gate, faults and handlers:
        for callers that send thousands of requests (the replay harness) and test the API, not TLS."""
        req = Request.parse(method, target, {k.lower(): v for k, v in headers.items()}, body or b"")
        resp, _ = self._sandbox.handle(req)
        if resp is None:
            raise ConnectionError(f"{method} {target}: the connection was dropped (an injected fault)")
        return resp.status, resp.encode()

    def ssl_context(self) -> ssl.SSLContext:
        assert self.ca_file is not None
        return client_context(self.ca_file)

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_embedded(
    state_dir: Path,
    *,
    faults: FaultConfig | None = None,
    rate_limits: RateLimitConfig | None = None,
    seed: int = 0,
    spec_dir: Path | str | None = AUTO,
    now: dt.datetime | None = None,
) -> SandboxHandle:
    """Start a sandbox on an ephemeral port in a background thread.

    ``now`` fixes its clock for this process only (alertc's pinned ``ALERTC_NOW``), without writing
    the state: a later sandbox on the same state reads its own clock again.
    """
    clock = None if now is None else (lambda: now)
    sandbox = Sandbox(
        Path(state_dir), faults=faults, rate_limits=rate_limits, seed=seed, spec_dir=spec_dir, clock=clock
    )
    sandbox.start()
    return SandboxHandle(
        datadog_url=sandbox.base_url,
        pagerduty_url=sandbox.base_url,
        events_url=sandbox.base_url,
        ca_file=sandbox.ca_file,
        credentials=dict(sandbox.credentials),
        admin_url=sandbox.base_url + "/_sandbox",
        _sandbox=sandbox,
    )
