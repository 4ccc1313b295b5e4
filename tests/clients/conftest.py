"""Real third-party clients against an embedded sandbox: the legacy `datadog` library and its `dog` CLI,
and pdpyras. They are development extras (pyproject), not dependencies of alertc.

Every expected answer in these tests cites where it comes from: the vendor's documentation or a recording
of the real API (the datadogpy integration cassettes, datadog-api-client-python's public corpus).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from compiler.sandbox import RateLimitConfig, SandboxHandle, start_embedded

PINNED_NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    with start_embedded(tmp_path_factory.mktemp("clients"), rate_limits=limits, now=PINNED_NOW) as handle:
        yield handle
