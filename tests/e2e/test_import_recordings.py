"""Round trip on real payloads: recorded Datadog objects and the real VA PagerDuty services page, loaded
unowned, imported, adopted, then steady: "No changes" and no drift."""

from __future__ import annotations

from typing import Any

from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi
from datadog_api_client.v2.api.downtimes_api import DowntimesApi

from compiler.plan_file import load_plan
from tests.adopt import recorded
from tests.definitions.base_set import PROCESS
from tests.e2e.conftest import World

SERVICE_FIELDS = (
    "name", "description", "incident_urgency_rule", "acknowledgement_timeout", "auto_resolve_timeout",
    "alert_grouping_parameters", "support_hours", "scheduled_actions",
)  # fmt: skip


def _load_recorded_objects(world: World) -> int:
    """Create the recorded objects through the APIs, as someone did by hand; returns how many."""
    with world.datadog() as api:
        monitors, slos, downtimes = MonitorsApi(api), ServiceLevelObjectivesApi(api), DowntimesApi(api)
        for body in recorded.monitor_bodies():
            monitors.create_monitor(body=body)
        for body in recorded.slo_bodies():
            slos.create_slo(body=body)
        for body in recorded.downtime_bodies():
            downtimes.create_downtime(body=body)
    pd = world.pagerduty()
    user = next(iter(pd.iter_all("users")))
    policy = pd.rpost(
        "escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "VA Health Apps",
                "escalation_rules": [
                    {"escalation_delay_in_minutes": 30, "targets": [{"id": user["id"], "type": "user_reference"}]}
                ],
            }
        },
    )
    services = recorded.pagerduty_services()
    for service in services:
        body: dict[str, Any] = {k: service[k] for k in SERVICE_FIELDS if service.get(k) is not None}
        body["escalation_policy"] = {"id": policy["id"], "type": "escalation_policy_reference"}
        created = pd.rpost("services", json={"service": {"type": "service", **body}})
        if service.get("status") == "disabled":
            pd.rput(f"services/{created['id']}", json={"service": {"type": "service", **body, "status": "disabled"}})
    teams = len(list(pd.iter_all("teams")))  # the account's teams (unowned too)
    downtimes = len(recorded.downtime_bodies())
    return len(recorded.monitor_bodies()) + len(recorded.slo_bodies()) + downtimes + len(services) + 1 + teams


def test_recorded_objects_import_adopt_and_stay_steady(world: World) -> None:
    loaded = _load_recorded_objects(world)
    definitions = world.tmp / "defs"
    definitions.mkdir()
    (definitions / "process.yaml").write_text(PROCESS, encoding="utf-8")
    imported = world.alertc("import", "--all-unmanaged", "-o", str(definitions / "imported"))
    assert imported.code == 0, imported.err
    validated = world.alertc("validate", "-d", str(definitions))
    assert validated.code == 0, validated.out + validated.err
    assert world.plan(definitions=definitions).code == 0
    plan = load_plan(world.tmp / "p.json")
    assert len(plan.changes) >= loaded  # the recorded objects, and what the sandbox world already holds
    recorded_names = {b["name"] for b in [*recorded.monitor_bodies(), *recorded.slo_bodies()]}
    recorded_names |= {s["name"] for s in recorded.pagerduty_services()}
    assert recorded_names <= {c.name for c in plan.changes}
    assert {c.action for c in plan.changes} == {"adopt"}
    assert {c.address: c.fields for c in plan.changes if c.fields} == {}
    applied = world.apply()
    assert applied.code == 0, applied.err
    again = world.plan("--detailed-exitcode", definitions=definitions)
    assert again.code == 0, again.out
    drift = world.alertc("drift", "-d", str(definitions))
    assert drift.code == 0, drift.out
