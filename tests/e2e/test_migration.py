"""The README's worked example: a hand-made monitor imported, adopted, then migrated to a process-derived one."""

from __future__ import annotations

from datadog_api_client.v1.api.monitors_api import MonitorsApi

from compiler.plan_file import load_plan
from tests.definitions.base_set import write_set
from tests.e2e.conftest import World

PROCESS_MONITOR = """\
  - name: api-latency
    title: API latency
    service: api
    query: avg:api.latency{env:prod}
    window: 5m
    comparator: ">"
    thresholds: {critical: 2}
    severity: sev1
    runbook: https://example.com/runbooks/api-latency
"""


def test_native_monitor_migrates_to_a_process_derived_one_in_place(world: World) -> None:
    pd = world.pagerduty()
    for email in ("a@example.com", "b@example.com"):
        pd.rpost("users", json={"user": {"type": "user", "name": email, "email": email}})
    with world.datadog() as api:
        made = MonitorsApi(api).create_monitor(
            body={
                "name": "API latency",
                "type": "query alert",
                "query": "avg(last_5m):avg:api.latency{env:prod} > 2",
                "message": "API is slow @slack-web-alerts",
                "tags": ["service:api"],
            }
        )
    definitions = write_set(world.tmp / "defs")
    imported = world.alertc("import", "--name-regex", "^API latency$", "-o", str(definitions / "imported"))
    assert imported.code == 0, imported.err
    native = (definitions / "imported" / "datadog_monitors.yaml").read_text(encoding="utf-8")
    assert f"- key: api-latency\n  adopt: '{made.id}'\n" in native
    validated = world.alertc("validate", "-d", str(definitions))
    assert validated.code == 0, validated.err
    assert "imported/datadog_monitors.yaml:4:8: warning: [P120] native monitor 'api-latency' is on service 'api'" in (
        validated.err
    )
    assert world.plan(definitions=definitions).code == 0
    assert [c.action for c in load_plan(world.tmp / "p.json").changes if c.kind == "monitor"] == ["create", "adopt"]
    assert world.apply().code == 0

    (definitions / "imported" / "datadog_monitors.yaml").unlink()  # the native form goes in the same change
    service = (definitions / "service.yaml").read_text(encoding="utf-8")
    (definitions / "service.yaml").write_text(service + PROCESS_MONITOR, encoding="utf-8")
    assert "P120" not in world.alertc("validate", "-d", str(definitions)).err
    result = world.plan(definitions=definitions)
    assert result.code == 0, result.err
    changes = load_plan(world.tmp / "p.json").changes
    assert [(c.action, c.address, c.live_id) for c in changes] == [
        ("update", "datadog:monitor/api-latency", str(made.id))
    ]
    assert {f.path for f in changes[0].fields} >= {"message", "name", "priority"}
    assert world.apply().code == 0
    assert world.plan("--detailed-exitcode", definitions=definitions).code == 0
