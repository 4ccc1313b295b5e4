"""A scope enforced by Datadog (issue 27 item 2): with ``datadog_edit_role`` in alertc.yaml, every monitor a
scope applies is editable only by its role, so another team's key gets 403; a restriction loosened by hand
is drift, and the next plan/apply puts it back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.exceptions import ForbiddenException
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from tests.e2e.conftest import EXAMPLES, World


def _client(world: World, account: dict[str, Any]) -> ApiClient:
    return ApiClient(
        Configuration(
            host=world.handle.datadog_url,
            api_key={"apiKeyAuth": account["api_key"], "appKeyAuth": account["app_key"]},
            ssl_ca_cert=str(world.handle.ca_file),
        )
    )


def _team_a_monitors(client: ApiClient) -> list[dict[str, Any]]:
    return [
        m.to_dict()
        for m in MonitorsApi(client).list_monitors()
        if "alertc-owner:team-a" in (m.to_dict().get("tags") or [])
    ]


@pytest.fixture()
def team_a(world: World, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, Any]]:
    """Team A's checkout, applying with its own service account, whose role alertc.yaml names."""
    account = world.handle.add_principal("alertc-team-a", ["alertc-team-a"])
    checkout = world.tmp / "team-a"
    shutil.copytree(EXAMPLES, checkout / "definitions")
    (checkout / "alertc.yaml").write_text(
        "owner: team-a\n"
        f"datadog_edit_role: {account['roles'][0]}\n"
        "default_target: production\n"
        "targets: {production: {type: live}}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(checkout)
    monkeypatch.setenv("DD_API_KEY", account["api_key"])
    monkeypatch.setenv("DD_APP_KEY", account["app_key"])
    assert world.plan(definitions=checkout / "definitions").code == 0
    applied = world.apply()
    assert applied.code == 0, applied.err
    return checkout, account


def test_every_monitor_is_restricted_to_the_scopes_role_and_another_key_gets_403(
    world: World, team_a: tuple[Path, dict[str, Any]]
) -> None:
    _checkout, account = team_a
    team_b = world.handle.add_principal("alertc-team-b", ["alertc-team-b"])
    with _client(world, account) as client_a, _client(world, team_b) as client_b:
        monitors = _team_a_monitors(client_a)
        assert monitors and all(m["restricted_roles"] == account["roles"] for m in monitors)
        target = monitors[0]
        with pytest.raises(ForbiddenException):
            MonitorsApi(client_b).delete_monitor(target["id"])
        with pytest.raises(ForbiddenException):
            MonitorsApi(client_b).update_monitor(target["id"], body={"name": "taken over"})  # type: ignore[arg-type]
        assert MonitorsApi(client_b).get_monitor(target["id"]).name == target["name"]


def test_a_restriction_loosened_by_hand_is_drift_and_the_next_apply_restores_it(
    world: World, team_a: tuple[Path, dict[str, Any]]
) -> None:
    checkout, account = team_a
    with _client(world, account) as client_a:
        target = _team_a_monitors(client_a)[0]
        MonitorsApi(client_a).update_monitor(target["id"], body={"restricted_roles": None})  # type: ignore[arg-type]
    drift = world.alertc("drift", "-d", str(checkout / "definitions"))
    assert drift.code == 2
    assert "restricted_roles" in drift.out
    planned = world.plan("--detailed-exitcode", definitions=checkout / "definitions")
    assert planned.code == 2
    assert "restricted_roles" in planned.out
    assert world.apply().code == 0
    with _client(world, account) as client_a:
        assert MonitorsApi(client_a).get_monitor(target["id"]).to_dict()["restricted_roles"] == account["roles"]
