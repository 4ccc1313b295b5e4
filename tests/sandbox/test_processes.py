"""Two processes on one state directory agree, and a restart keeps the world."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.sandbox import SandboxHandle
from compiler.sandbox.cli import sandbox_group
from tests.sandbox.conftest import datadog_client, pagerduty_client

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def serve(state: Path) -> Iterator[dict[str, Any]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "compiler.sandbox", "serve", "--port", "0", "--state", str(state)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        yield info
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _handle(info: dict[str, Any]) -> SandboxHandle:
    creds = {k: info[k] for k in ("datadog_api_key", "datadog_app_key", "pagerduty_token")}
    return SandboxHandle(
        info["datadog_url"],
        info["pagerduty_url"],
        info["events_url"],
        Path(info["ca_file"]),
        {**creds, "pagerduty_from": "sandbox-admin@example.com"},
        "",
        None,
    )  # type: ignore[arg-type]


def test_standalone_prints_connection_info_and_persists(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with serve(state) as info:
        assert set(info) >= {
            "datadog_url",
            "pagerduty_url",
            "events_url",
            "ca_file",
            "datadog_api_key",
            "datadog_app_key",
            "pagerduty_token",
        }
        assert info["datadog_url"].startswith("https://127.0.0.1:")
        with datadog_client(_handle(info)) as client:
            created = MonitorsApi(client).create_monitor(
                body={"name": "cross-process", "type": "metric alert", "query": "avg(last_5m):avg:a{*} > 1"}
            )
        pd = pagerduty_client(_handle(info))
        team = pd.rpost("teams", json={"team": {"type": "team", "name": "Persisted"}})
    with serve(state) as info2:  # a restart keeps the world and the credentials
        assert info2["datadog_api_key"] == info["datadog_api_key"]
        with datadog_client(_handle(info2)) as client:
            assert MonitorsApi(client).get_monitor(created.id).name == "cross-process"
        assert pagerduty_client(_handle(info2)).rget(f"teams/{team['id']}")["name"] == "Persisted"
        runner = CliRunner()
        dumped = runner.invoke(sandbox_group, ["dump", "--state", str(state)])
        assert dumped.exit_code == 0 and "cross-process" in dumped.output
    dump_file = tmp_path / "dump.json"
    dump_file.write_text(dumped.output)
    assert runner.invoke(sandbox_group, ["reset", "--state", str(state)]).exit_code == 0
    assert "cross-process" not in runner.invoke(sandbox_group, ["dump", "--state", str(state)]).output
    assert runner.invoke(sandbox_group, ["load", "--state", str(state), str(dump_file)]).exit_code == 0
    assert "cross-process" in runner.invoke(sandbox_group, ["dump", "--state", str(state)]).output
