"""The `dog` CLI (datadogpy's dogshell) against the sandbox, run in-process with its real argument parser.

Expected answers: datadogpy's recorded dogshell cassettes (tests/integration/dogshell/cassettes/
TestDogshell.test_monitors, test_downtime_schedule, test_downtime_cancel_by_scope: real traffic, BSD-3-Clause),
which show what `dog` sends (`name: null`, `options: null`, `"priority": "5"`, one scope as a string, a start
as a numeral string) and that Datadog answers 200.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from datadog.dogshell import main

from compiler.sandbox import SandboxHandle

QUERY = "avg(last_1h):sum:system.net.bytes_rcvd{*} by {host} > 100"
Dog = Callable[..., Any]


@pytest.fixture()
def dog(sandbox: SandboxHandle, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Dog:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sandbox.ca_file))
    creds = sandbox.credentials

    def run(*args: str) -> Any:
        argv = ["dogshell", "--api-key", creds["datadog_api_key"], "--application-key", creds["datadog_app_key"]]
        monkeypatch.setattr(sys, "argv", [*argv, "--api_host", sandbox.datadog_url, "--raw", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr().out.strip()
        assert code == 0, out
        return json.loads(out) if out.startswith(("{", "[")) else out

    return run


def test_monitor_post_show_update_mute_delete(dog: Dog) -> None:
    """TestDogshell.test_monitors, step by step (the recorded requests and answers)."""
    created = dog("monitor", "post", "metric alert", QUERY, "--tags", "main,test", "--priority", "5")
    assert created["tags"] == ["main", "test"] and created["priority"] == 5  # sent as the string "5"
    assert created["name"].startswith("**system.net.bytes_rcvd** over *****")  # sent `name: null`
    monitor_id = str(created["id"])
    assert dog("monitor", "show", monitor_id)["query"] == QUERY
    options = {"notify_no_data": True, "no_data_timeframe": 20}
    updated = dog("monitor", "update", monitor_id, "metric alert", QUERY, "--options", json.dumps(options))
    assert updated["options"]["notify_no_data"] is True and updated["options"]["no_data_timeframe"] == 20
    renamed = dog("monitor", "update", monitor_id, "--message", "monitor updated")  # only the message is sent
    assert renamed["message"] == "monitor updated" and renamed["query"] == QUERY and renamed["tags"] == ["main", "test"]
    assert renamed["options"]["no_data_timeframe"] == 20
    muted = dog("monitor", "mute", monitor_id)  # sends `{"end": null, "scope": []}`
    assert muted["options"]["silenced"] == {"*": None}
    assert dog("monitor", "unmute", "--all_scopes", monitor_id)["options"]["silenced"] == {}
    listed = dog("monitor", "show_all")
    assert int(monitor_id) in [m["id"] for m in listed]
    assert dog("monitor", "can_delete", monitor_id) == {"data": {"ok": [int(monitor_id)]}, "errors": None}
    dog("monitor", "delete", monitor_id)


def test_monitor_mute_all_and_validate(dog: Dog) -> None:
    """mute_all answers the `*` downtime, unmute_all 204 (recorded); validate answers `{}` for a valid monitor
    and the recorded 400 text for an invalid query."""
    downtime = dog("monitor", "mute_all")
    assert downtime["scope"] == ["*"] and downtime["monitor_tags"] == ["*"]
    dog("monitor", "unmute_all")
    options = json.dumps({"thresholds": {"critical": 100}})
    assert dog("monitor", "validate", "metric alert", QUERY, "--options", options) == {}


def test_downtime_post_update_show_delete(dog: Dog) -> None:
    """TestDogshell.test_downtime_schedule: `dog downtime post SCOPE START` sends the scope as a string and the
    start as a numeral string; both come back as a list and an integer; delete is a 204 and the downtime then
    reads as canceled."""
    start = "1772452800"  # the sandbox's pinned now (tests/clients/conftest.py)
    created = dog("downtime", "post", "env:staging", start)
    assert created["scope"] == ["env:staging"] and created["start"] == int(start) and created["end"] is None
    downtime_id = str(created["id"])
    end = str(int(start) + 60000)
    updated = dog("downtime", "update", downtime_id, "--scope", "env:staging", "--end", end, "--message", "testing")
    assert updated["end"] == int(end) and updated["message"] == "testing" and updated["start"] == int(start)
    assert dog("downtime", "show", downtime_id)["message"] == "testing"
    assert int(downtime_id) in [d["id"] for d in dog("downtime", "show_all")]
    dog("downtime", "delete", downtime_id)
    assert dog("downtime", "show", downtime_id)["disabled"] is True


def test_downtime_cancel_by_scope(dog: Dog) -> None:
    """TestDogshell.test_downtime_cancel_by_scope: the canceled ids come back."""
    created = dog("downtime", "post", "env:cancel-me", "1772452800")
    assert dog("downtime", "cancel_by_scope", "env:cancel-me") == {"cancelled_ids": [created["id"]]}


def test_service_level_objectives(dog: Dog) -> None:
    """`dog service_level_objective create/show/update/delete` (the library's SLO calls, documented API)."""
    threshold = "7d:99.9"  # timeframe:target[:warning], comma-separated
    numerator, denominator = "sum:hits{ok}.as_count()", "sum:hits{*}.as_count()"
    created = dog(
        "service_level_objective",
        "create",
        "--type",
        "metric",
        "--name",
        "cli slo",
        "--thresholds",
        threshold,
        "--numerator",
        numerator,
        "--denominator",
        denominator,
    )["data"][0]
    assert created["name"] == "cli slo" and created["query"] == {"numerator": numerator, "denominator": denominator}
    # `dog service_level_objective show` fails inside the CLI itself (datadog 0.56: `args.string_ids`), no request
    assert dog("service_level_objective", "delete", created["id"]) == {"data": [created["id"]], "error": None}
