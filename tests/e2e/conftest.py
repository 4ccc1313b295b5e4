"""End-to-end: the CLI, in-process, against a sandbox the test controls (faults, out-of-band edits).

The CLI reaches the sandbox exactly as it would reach a real account: through
credentials in the environment and base URLs, with the product's own client
configuration. The test keeps a handle on the sandbox to inject faults and to
play the colleague who edits things by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pagerduty
import pytest
from datadog_api_client import ApiClient, Configuration

from bench.chaos_sandbox import add_referenced
from compiler.cli import run
from compiler.sandbox import RateLimitConfig, SandboxHandle, start_embedded

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "definitions"
PINNED_NOW = "2026-11-22T12:00:00+00:00"  # before the example maintenance window, whatever today is
# alertc's clock (ALERTC_NOW) and the sandbox's clock are pinned to the same instant: the sandbox judges
# "in the future" (downtimes, maintenance windows) by its own clock, which otherwise is the machine's.


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class World:
    handle: SandboxHandle
    capsys: pytest.CaptureFixture[str]
    tmp: Path
    definitions: Path | None = None  # of the last ``plan``: apply verifies a plan against its checkout

    def alertc(self, *args: str) -> Result:
        """One CLI run; an ``apply`` without ``-d`` gets the last ``plan``'s definitions (as its checkout would)."""
        if args[:1] == ("apply",) and self.definitions and "-d" not in args and "--definitions" not in args:
            args = (*args, "-d", str(self.definitions))
        self.capsys.readouterr()
        code = run(list(args))
        out, err = self.capsys.readouterr()
        return Result(code, out, err)

    def plan(self, *extra: str, definitions: Path = EXAMPLES) -> Result:
        self.definitions = definitions
        return self.alertc("plan", "-d", str(definitions), "-o", str(self.tmp / "p.json"), *extra)

    def apply(self, *extra: str) -> Result:
        return self.alertc("apply", str(self.tmp / "p.json"), *extra)

    def datadog(self) -> ApiClient:
        creds = self.handle.credentials
        config = Configuration(
            host=self.handle.datadog_url,
            api_key={"apiKeyAuth": creds["datadog_api_key"], "appKeyAuth": creds["datadog_app_key"]},
            ssl_ca_cert=str(self.handle.ca_file),
        )
        return ApiClient(config)

    def pagerduty(self) -> pagerduty.RestApiV2Client:
        assert self.handle.ca_file is not None
        return pagerduty.RestApiV2Client(
            self.handle.credentials["pagerduty_token"],
            default_from=self.handle.credentials["pagerduty_from"],
            base_url=self.handle.pagerduty_url,
            verify=ssl.create_default_context(cafile=str(self.handle.ca_file)),
        )


@pytest.fixture()
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[World]:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    with start_embedded(tmp_path / "sandbox", rate_limits=limits) as handle:
        handle.set_clock(dt.datetime.fromisoformat(PINNED_NOW))
        creds = handle.credentials
        monkeypatch.setenv("DD_API_KEY", creds["datadog_api_key"])
        monkeypatch.setenv("DD_APP_KEY", creds["datadog_app_key"])
        monkeypatch.setenv("PAGERDUTY_TOKEN", creds["pagerduty_token"])
        monkeypatch.setenv("PAGERDUTY_FROM", creds["pagerduty_from"])
        monkeypatch.setenv("ALERTC_DATADOG_URL", handle.datadog_url)
        monkeypatch.setenv("ALERTC_PAGERDUTY_URL", handle.pagerduty_url)
        monkeypatch.setenv("ALERTC_CA_FILE", str(handle.ca_file))
        monkeypatch.setenv("ALERTC_NOW", PINNED_NOW)
        # one apply at a time here: the look again after creates need not wait for a racing run
        # (the races are tests/e2e/test_concurrent_apply.py and make chaos, at the default settle time)
        monkeypatch.setenv("ALERTC_RACE_SETTLE_SECONDS", "0")
        w = World(handle, capsys, tmp_path)
        _add_people(w)
        _add_referenced()
        yield w


def _add_referenced() -> None:
    """A real account has the PagerDuty team the example joins, the status services it references by id and the
    Datadog handles reaching them (issue 12); add them, unowned, as the embedded sandbox's plan does for itself."""
    add_referenced(EXAMPLES, os.environ)


def _add_people(w: World) -> None:
    """A real account has its people; add the example team's to the sandbox account."""
    pd = w.pagerduty()
    for i in range(1, 5):
        pd.rpost(
            "users", json={"user": {"type": "user", "name": f"E{i}", "email": f"identity-engineer-{i}@example.com"}}
        )
    pd.rpost("users", json={"user": {"type": "user", "name": "Lead", "email": "identity-lead@example.com"}})
    pd.rpost("users", json={"user": {"type": "user", "name": "PM", "email": "identity-product@example.com"}})
