"""The whole compile: deterministic, complete, and PagerDuty urgency from the process."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from compiler.compile import CompileResult, compile_definitions
from compiler.compile.pagerduty import urgency_settings
from compiler.definitions import Definitions, load_definitions
from compiler.definitions.types import Duration
from compiler.kinds import get_kind
from compiler.providers.ownership import add_ownership
from compiler.resources import references_in


def _dump(result: CompileResult) -> str:
    return json.dumps([[r.address, r.body, r.depends_on] for r in result.resources], sort_keys=True)


def test_compile_is_deterministic(example_definitions: Definitions) -> None:
    assert _dump(compile_definitions(example_definitions)) == _dump(compile_definitions(example_definitions))


def test_every_kind_is_produced(compiled: CompileResult) -> None:
    kinds = Counter((r.provider, r.kind) for r in compiled.resources)
    assert kinds[("datadog", "monitor")] == 14
    assert kinds[("datadog", "slo")] == 8
    assert kinds[("datadog", "slo_alert")] == 10  # 99.99% objectives report-only, no 1h tier on latency (issue 25)
    assert kinds[("pagerduty", "schedule")] == 1
    assert kinds[("pagerduty", "escalation_policy")] == 1
    # two team services plus the status services of sis and ssoe: the other banner keys reference existing ones
    assert kinds[("pagerduty", "service")] == 4
    assert kinds[("pagerduty", "integration")] == 5
    assert kinds[("datadog", "pagerduty_service_object")] == 4
    assert kinds[("datadog", "downtime")] == 2  # the Login.gov window: its monitors, and its per-CSP groups
    assert kinds[("pagerduty", "maintenance_window")] == 1
    assert compiled.findings == []


def test_every_reference_points_at_a_compiled_resource_or_a_lookup(compiled: CompileResult) -> None:
    for resource in compiled.resources:
        for address, _field in references_in(resource.body):
            looked_up = address.startswith(("lookup:user/", "lookup:team_id/"))  # people; the team the example joins
            assert looked_up or address in compiled.resources, (resource.address, address)
        for dependency in resource.depends_on:
            assert dependency in compiled.resources, (resource.address, dependency)


def test_paging_service_gets_high_urgency_around_the_clock(compiled: CompileResult) -> None:
    service = compiled.resources.get("pagerduty:service/sign-in-service")
    assert service is not None
    assert service.body["incident_urgency_rule"] == {"type": "constant", "urgency": "high"}
    assert "support_hours" not in service.body
    assert service.body["escalation_policy"] == {
        "id": "${pagerduty:escalation_policy/identity-escalation}",
        "type": "escalation_policy_reference",
    }


def test_escalation_follows_the_acknowledgement_target(compiled: CompileResult) -> None:
    policy = compiled.resources.get("pagerduty:escalation_policy/identity-escalation")
    assert policy is not None
    assert [r["escalation_delay_in_minutes"] for r in policy.body["escalation_rules"]] == [30, 30]
    assert policy.body["num_loops"] == 2


def test_schedule_is_a_weekly_rotation_of_looked_up_users(compiled: CompileResult) -> None:
    schedule = compiled.resources.get("pagerduty:schedule/identity-primary")
    assert schedule is not None
    layer = schedule.body["schedule_layers"][0]
    assert layer["rotation_turn_length_seconds"] == 7 * 86400
    assert layer["users"][0] == {
        "user": {"id": "${lookup:user/identity-engineer-1@example.com}", "type": "user_reference"}
    }
    assert schedule.body["time_zone"] == "America/New_York"


def test_datadog_pagerduty_object_carries_the_integration_key(compiled: CompileResult) -> None:
    obj = compiled.resources.get("datadog:pagerduty_service_object/ssoe")
    assert obj is not None
    assert obj.body == {"service_name": "ssoe", "service_key": "${pagerduty:integration/ssoe#integration_key}"}


def test_maintenance_window_mutes_the_keys_monitors(compiled: CompileResult) -> None:
    downtime = compiled.resources.get("datadog:downtime/logingov-2026-12-12.logingov")
    assert downtime is not None
    assert downtime.body["monitor_identifier"] == {"monitor_tags": ["banner:logingov"]}
    assert downtime.body["schedule"] == {"start": "2026-12-12T02:00:00-05:00", "end": "2026-12-12T05:00:00-05:00"}


def test_maintenance_window_mutes_the_keys_group_of_per_csp_monitors(compiled: CompileResult) -> None:
    """A window on a key mutes only that key's group of monitors grouped by dependency (scope type:logingov)."""
    downtime = compiled.resources.get("datadog:downtime/logingov-2026-12-12.logingov.type")
    assert downtime is not None
    assert downtime.body["scope"] == "type:logingov"
    assert downtime.body["monitor_identifier"] == {"monitor_tags": ["dependency-group:type"]}
    assert downtime.body["notify_end_states"] == ["alert", "no data", "warn"]  # still failing at the end: a page
    grouped = compiled.resources.get("datadog:monitor/sis-success-rate")
    assert grouped is not None and "dependency-group:type" in grouped.body["tags"]
    others = [r.key for r in compiled.resources if r.kind == "monitor" and "dependency-group:type" in r.body["tags"]]
    assert others == ["sis-success-rate"]


def test_ended_maintenance_windows_are_left_alone(example_definitions: Definitions) -> None:

    before = compile_definitions(example_definitions, now=datetime(2026, 12, 12, 9, 59, tzinfo=UTC))
    after = compile_definitions(example_definitions, now=datetime(2026, 12, 12, 10, 0, tzinfo=UTC))  # 05:00 ET
    assert "datadog:downtime/logingov-2026-12-12.logingov" in before.resources
    assert "datadog:downtime/logingov-2026-12-12.logingov" not in after.resources


def test_backend_keys_with_underscores_compile_and_take_ownership_marks(tmp_path: Path) -> None:
    """The backend's keys include names such as ssoe_oauth and vetext_vaccine."""

    root = Path(__file__).resolve().parents[2] / "definitions"
    defs = tmp_path / "defs"
    shutil.copytree(root, defs)
    banners = defs / "banners.yaml"
    banners.write_text(
        banners.read_text(encoding="utf-8")
        .replace("key: ssoe\n", "key: ssoe_oauth\n")
        .replace("depends_on: [ssoe, idme", "depends_on: [ssoe_oauth, idme"),
        encoding="utf-8",
    )
    monitors = defs / "monitors.yaml"
    monitors.write_text(
        monitors.read_text(encoding="utf-8").replace("banner_key: ssoe\n", "banner_key: ssoe_oauth\n"), "utf-8"
    )
    loaded = load_definitions(defs)
    assert loaded.definitions is not None, [f.render() for f in loaded.findings]
    compiled = compile_definitions(loaded.definitions)
    status = compiled.resources.get("pagerduty:service/status-ssoe_oauth")
    assert status is not None
    marked = add_ownership(get_kind("pagerduty", "service"), status.body, "service/status-ssoe_oauth")
    assert "key: service/status-ssoe_oauth" in marked["description"]


def test_business_hours_only_service_gets_support_hours_urgency(example_definitions: Definitions) -> None:
    """Seed: Sev3 is handled in business hours: low urgency outside them, high within, as PagerDuty requires."""

    process = example_definitions.process
    assert process is not None
    staging = next(s for s in example_definitions.services if s.name == "sign-in-service-staging")
    monitors = [mon for mon in example_definitions.monitors if mon.service == staging.name]
    settings = urgency_settings(process, staging, monitors)
    assert settings["incident_urgency_rule"] == {
        "type": "use_support_hours",
        "during_support_hours": {"type": "constant", "urgency": "high"},
        "outside_support_hours": {"type": "constant", "urgency": "low"},
    }
    assert settings["support_hours"] == {
        "type": "fixed_time_per_day",
        "time_zone": "America/New_York",
        "start_time": "09:00:00",
        "end_time": "20:00:00",
        "days_of_week": [1, 2, 3, 4, 5],
    }
    assert settings["scheduled_actions"] == [
        {"type": "urgency_change", "at": {"type": "named_time", "name": "support_hours_start"}, "to_urgency": "high"}
    ]


def test_paging_service_does_not_re_page_an_acknowledged_incident(compiled: CompileResult) -> None:
    """The acknowledgement target is a time to acknowledge (the escalation delay), not PagerDuty's timeout."""
    service = compiled.resources.get("pagerduty:service/ssoe")
    assert service is not None
    assert service.body["acknowledgement_timeout"] is None


def test_acknowledgement_timeout_is_the_processs_opt_in(example_definitions: Definitions) -> None:
    assert example_definitions.process is not None
    process = example_definitions.process.model_copy(update={"acknowledgement_timeout": Duration.parse("4h")})
    definitions = dataclasses.replace(example_definitions, process=process)
    service = compile_definitions(definitions).resources.get("pagerduty:service/ssoe")
    assert service is not None
    assert service.body["acknowledgement_timeout"] == 4 * 3600
