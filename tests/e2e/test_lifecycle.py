"""Plan → apply → plan converges, with every server-side rewrite of the sandbox active."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.cli import run
from tests.e2e.conftest import EXAMPLES, PINNED_NOW, World


def test_fresh_account_creates_everything_then_converges_three_times(world: World) -> None:
    first = world.plan("--detailed-exitcode")
    assert first.code == 2, first.err
    # no status service, integration or service object for the 5 keys that reference existing services, and no
    # PagerDuty team: the example joins its existing one
    assert first.out.splitlines()[-1] == "Plan: 63 to create, 0 to update, 0 to delete."
    assert world.apply().code == 0
    for _ in range(3):
        again = world.plan("--detailed-exitcode")
        assert again.code == 0, again.out
        assert "No changes." in again.out
        applied = world.apply()
        assert applied.code == 0
        assert applied.out.splitlines()[-1] == "Apply: 0 applied, 0 failed, 0 not applied."


def test_saved_plan_is_versioned_json_without_secrets(world: World) -> None:
    result = world.plan()
    assert result.code == 0
    text = (world.tmp / "p.json").read_text(encoding="utf-8")
    plan = json.loads(text)
    assert plan["version"] == 2
    assert len(plan["digest"]) == 64
    assert plan["target"]["mode"] == "sandbox"
    for secret in world.handle.credentials.values():
        if secret.endswith("@example.com") or "@" in secret:
            continue
        assert secret not in text
        assert secret not in result.out + result.err


def test_monitors_carry_ownership_and_digest_tags(world: World) -> None:
    world.plan()
    assert world.apply().code == 0
    with world.datadog() as api:
        monitors = MonitorsApi(api).list_monitors()
    tags = [m.to_dict()["tags"] for m in monitors]
    assert all("managed-by:alertc" in t for t in tags)
    keys = Counter(tag for t in tags for tag in t if tag.startswith("alertc-key:"))
    assert len(keys) == 14 + 10 and set(keys.values()) == {1}
    assert all(any(tag.startswith("alertc-digest:") for tag in t) for t in tags)


def test_embedded_default_plan_apply_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `make plan` / `make apply` / `make plan` do on a fresh clone with no credentials (--target sandbox)."""
    for name in ("DD_API_KEY", "DD_APP_KEY", "PAGERDUTY_TOKEN", "ALERTC_DATADOG_URL", "ALERTC_PAGERDUTY_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALERTC_NOW", PINNED_NOW)
    monkeypatch.setenv("CI", "true")
    assert run(["plan", "--target", "sandbox", "-d", str(EXAMPLES)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("Target 'sandbox': the embedded sandbox (state in .sandbox/).")
    assert (tmp_path / "plans" / "latest.plan.json").exists()
    assert run(["apply", "--target", "sandbox", "plans/latest.plan.json", "-d", str(EXAMPLES)]) == 0
    capsys.readouterr()
    assert run(["plan", "--target", "sandbox", "-d", str(EXAMPLES), "--detailed-exitcode"]) == 0
    assert "No changes." in capsys.readouterr().out


def test_name_collision_with_an_unowned_object_is_reported_not_taken_over(world: World) -> None:
    title = "[SSOe] Auth_too_early Login Callback Error"
    with world.datadog() as api:
        theirs = MonitorsApi(api).create_monitor(
            body={"name": title, "type": "query alert", "query": "avg(last_5m):avg:x{*} > 1", "message": "theirs"}
        )
    failed = world.plan()
    assert failed.code == 1  # a conflict fails the plan, naming the object
    assert f'datadog:monitor/auth-too-early: live object "{title}" (id {theirs.id})' in failed.err
    planned = world.plan("--allow-conflicts")
    assert planned.code == 0
    assert "! conflict: datadog:monitor/auth-too-early: live object" in planned.out
    assert f'warning: conflict (allowed): datadog:monitor/auth-too-early: live object "{title}"' in planned.err
    assert planned.out.splitlines()[-1] == "Plan: 62 to create, 0 to update, 0 to delete."
    assert world.apply().code == 0
    with world.datadog() as api:
        after = MonitorsApi(api).get_monitor(int(theirs.id)).to_dict()
    assert after["message"] == "theirs" and "managed-by:alertc" not in after.get("tags", [])


def test_apply_without_a_plan_file_needs_confirmation(world: World) -> None:
    refused = world.alertc("apply", "-d", str(EXAMPLES))
    assert refused.code == 1
    assert "refusing to apply without confirmation" in refused.err
    assert "Plan: 63 to create" in refused.out
    confirmed = world.alertc("apply", "-d", str(EXAMPLES), "--yes")
    assert confirmed.code == 0, confirmed.err
    assert confirmed.out.splitlines()[-1] == "Apply: 63 applied, 0 failed, 0 not applied."


def test_errors_never_print_credentials(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DD_APP_KEY", "wrong-app-key-1234567890")
    result = world.plan("-q")  # no progress lines: the error is all there is
    assert result.code == 1
    # whichever Datadog list is read first reports it (they run concurrently, in registry order)
    expected = " (HTTP 403): Forbidden\n  hint: check DD_API_KEY, DD_APP_KEY and DD_SITE"
    assert result.err.startswith("error: Datadog list ")
    assert expected in result.err
    assert "wrong-app-key-1234567890" not in result.out + result.err
    assert "Traceback" not in result.err


def test_a_monitor_datadog_would_reject_fails_the_plan(world: World, tmp_path: Path) -> None:
    edited = tmp_path / "defs"
    shutil.copytree(EXAMPLES, edited)
    monitors = edited / "monitors.yaml"
    text = monitors.read_text(encoding="utf-8")
    broken = "query: sum:vets_api.statsd.api_auth_login_callback_failed{error:auth_too_early,env:eks-prod.as_count()"
    monitors.write_text(
        text.replace(
            "query: sum:vets_api.statsd.api_auth_login_callback_failed{error:auth_too_early,env:eks-prod}.as_count()",
            broken,
        ),
        encoding="utf-8",
    )
    result = world.plan("-q", definitions=edited)  # no progress lines: the error is all there is
    assert result.code == 1
    assert result.err.startswith("error: datadog:monitor/auth-too-early: Datadog rejects this monitor: ")
    assert "hint: fix the monitor's query or thresholds in the definitions" in result.err
