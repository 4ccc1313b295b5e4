"""alertc import → validate → plan (only adopts) → apply → "No changes" → no drift, on unowned objects."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from compiler.kinds import get_kind
from compiler.plan_file import load_plan
from tests.adopt.unowned import strip_every_mark
from tests.e2e.conftest import EXAMPLES, World


def _names(world: World) -> Counter[tuple[str, str]]:
    """Every named object in the sandbox by (kind, name): a duplicate would count twice."""
    out: Counter[tuple[str, str]] = Counter()
    for obj in world.handle.dump()["objects"]:
        body = obj["body"]
        name = body.get("name") or body.get("service_name") or body.get("summary") or body.get("email")
        if name:
            out[(obj["kind"], str(name))] += 1
    return out


@pytest.fixture()
def unowned_example(world: World, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sandbox holding unowned copies of the VA example's objects, and a definitions dir with its process."""
    assert world.plan().code == 0
    assert world.apply().code == 0
    strip_every_mark(world.handle)
    out = world.tmp / "adopted"
    out.mkdir()
    shutil.copy(EXAMPLES / "process.yaml", out / "process.yaml")
    return out


def test_import_validate_plan_adopts_apply_then_no_changes_and_no_drift(world: World, unowned_example: Path) -> None:
    before = _names(world)
    imported = world.alertc("import", "--all-unmanaged", "-o", str(unowned_example / "imported"))
    assert imported.code == 0, imported.err
    files = sorted(p.name for p in (unowned_example / "imported").iterdir())
    assert files == [
        "datadog_dashboards.yaml",
        "datadog_downtimes.yaml",
        "datadog_monitors.yaml",
        "datadog_service_definitions.yaml",
        "datadog_slos.yaml",
        "pagerduty_escalation_policies.yaml",
        "pagerduty_maintenance_windows.yaml",
        "pagerduty_schedules.yaml",
        "pagerduty_services.yaml",
        "pagerduty_teams.yaml",
    ]
    assert world.alertc("validate", "-d", str(unowned_example)).code == 0
    planned = world.plan("--detailed-exitcode", definitions=unowned_example)
    assert planned.code == 2, planned.err
    plan = load_plan(world.tmp / "p.json")
    assert plan.changes and {c.action for c in plan.changes} == {"adopt"}
    assert [c.address for c in plan.changes if c.fields] == []  # no field changes besides the marks
    applied = world.apply()
    assert applied.code == 0, applied.err
    again = world.plan("--detailed-exitcode", definitions=unowned_example)
    assert again.code == 0, again.out
    assert "No changes" in again.out
    left = {(o["provider"], o["kind"]) for o in load_plan(world.tmp / "p.json").unmanaged}
    assert all(get_kind(*kind).native_kind is None for kind in left)  # all but the kinds with no native form
    drift = world.alertc("drift", "-d", str(unowned_example))
    assert drift.code == 0, drift.out
    assert _names(world) == before  # nothing duplicated, nothing deleted


def test_import_output_is_stable_and_references_are_definition_names(world: World, unowned_example: Path) -> None:
    first, second = unowned_example / "one", unowned_example / "two"
    assert world.alertc("import", "--all-unmanaged", "-o", str(first)).code == 0
    assert world.alertc("import", "--all-unmanaged", "-o", str(second)).code == 0
    for path in first.iterdir():
        text = path.read_text(encoding="utf-8")
        assert text == (second / path.name).read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=")
    policies = (first / "pagerduty_escalation_policies.yaml").read_text(encoding="utf-8")
    assert "- schedule: octo-identity-primary\n" in policies  # the imported schedule's key, not its id
    assert "- user: identity-lead@example.com\n" in policies  # people by email
    services = (first / "pagerduty_services.yaml").read_text(encoding="utf-8")
    assert "escalation_policy: octo-identity\n" in services
    windows = (first / "pagerduty_maintenance_windows.yaml").read_text(encoding="utf-8")
    assert "  services:\n  - external-login-gov\n" in windows  # the imported status service's key


def test_import_filters_select_and_pull_in_what_a_service_needs(world: World, unowned_example: Path) -> None:
    out = unowned_example / "ssoe"
    result = world.alertc("import", "--name-regex", r"^\[SSOe\]", "-o", str(out))
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == ["datadog_monitors.yaml"]
    monitors = (out / "datadog_monitors.yaml").read_text(encoding="utf-8")
    assert (
        monitors.count("- key: ssoe-") == monitors.count("- key: ") == 9
    )  # 4 monitors, 5 burn-rate alerts (no 1h tier on latency; ssoe-saml-callback-latency reports only)
    assert "[Sign-in Service]" not in monitors
    query = unowned_example / "query"
    assert world.alertc("import", "--datadog-query", 'tag:"service:ssoe"', "-o", str(query)).code == 0
    assert (query / "datadog_monitors.yaml").read_text(encoding="utf-8").count("- key: ") >= 1
    with world.pagerduty() as pd:
        service_id = next(s["id"] for s in pd.iter_all("services") if s["name"] == "OCTO Identity - SSOe")
    one = unowned_example / "one-service"
    assert world.alertc("import", "--pagerduty-service", service_id, "-o", str(one)).code == 0
    assert sorted(p.name for p in one.iterdir()) == [
        "pagerduty_escalation_policies.yaml",
        "pagerduty_schedules.yaml",
        "pagerduty_services.yaml",
    ]
    assert world.alertc("import", "-o", str(unowned_example / "none")).code == 1  # nothing selected


def test_plan_with_a_name_taken_by_an_unowned_object_fails_until_adopted(world: World, unowned_example: Path) -> None:
    result = world.plan()  # the example's own (process-derived) definitions meet the unowned copies
    assert result.code == 1  # each definition meets its unowned copy by name: conflicts, nothing saved
    assert "conflict(s); nothing was saved" in result.err
    assert "'alertc plan --adopt-by-name'" in result.err
    adopted = world.plan("--adopt-by-name")  # a whole run can take the copies over by name instead
    assert adopted.code == 0, adopted.err
    plan = load_plan(world.tmp / "p.json")
    assert "datadog:monitor/auth-too-late" in {c.address for c in plan.changes if c.action == "adopt"}
