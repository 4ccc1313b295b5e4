"""Native definitions: validated with file:line:col like the rest, compiled to the API's own bodies."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.cli import run
from compiler.compile import compile_definitions
from compiler.definitions import load_definitions
from tests.definitions.base_set import write_set

NATIVE = """\
datadog_monitors:
  - key: disk-full
    adopt: "4711"
    name: Disk full
    type: query alert
    query: avg(last_5m):avg:system.disk.in_use{*} > 0.9
    message: Disk is full. @slack-ops
    tags: [team:web]
    priority: 3
    options: {thresholds: {critical: 0.9}}
datadog_downtimes:
  - key: disk-maintenance
    adopt: 3273519a-ec93-11f1-bd0d-02fc00000001
    scope: env:prod
    message: Disk swap
    monitor_identifier: {monitor_tags: [team:web]}
    schedule: {start: "2026-12-01T10:00:00Z", end: "2026-12-01T12:00:00Z"}
pagerduty_teams:
  - key: platform
    name: Platform
pagerduty_schedules:
  - key: ops
    name: Ops
    time_zone: Etc/UTC
    layers:
      - name: Weekly
        start: "2026-01-05T09:00:00Z"
        rotation_virtual_start: "2026-01-05T09:00:00Z"
        rotation_turn_length_seconds: 604800
        users: [a@example.com, b@example.com]
pagerduty_escalation_policies:
  - key: ops
    name: Ops
    rules:
      - escalation_delay_in_minutes: 30
        targets: [{schedule: ops}, {user: a@example.com}]
pagerduty_services:
  - key: ops
    name: Ops
    escalation_policy: ops
pagerduty_maintenance_windows:
  - key: db-upgrade
    start_time: "2026-12-01T10:00:00Z"
    end_time: "2026-12-01T12:00:00Z"
    description: "USER_MESSAGE: Sign-in may be slow."
    services: [ops, PABC123]
"""


def _validate(tmp_path: Path, native: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    write_set(tmp_path / "case", {"native.yaml": native})
    code = run(["validate", "-d", str(tmp_path / "case")])
    return code, capsys.readouterr().err


def test_native_definitions_compile_to_the_api_bodies(tmp_path: Path) -> None:
    loaded = load_definitions(write_set(tmp_path / "case", {"native.yaml": NATIVE}))
    assert loaded.definitions is not None, [f.render() for f in loaded.findings]
    resources = compile_definitions(loaded.definitions).resources
    monitor = resources.get("datadog:monitor/disk-full")
    assert monitor is not None and monitor.adopt == "4711" and monitor.native
    assert monitor.body == {
        "name": "Disk full",
        "type": "query alert",
        "query": "avg(last_5m):avg:system.disk.in_use{*} > 0.9",
        "message": "Disk is full. @slack-ops",
        "tags": ["team:web"],
        "priority": 3,
        "options": {"thresholds": {"critical": 0.9}},
    }
    downtime = resources.get("datadog:downtime/disk-maintenance")
    assert downtime is not None and downtime.adopt == "3273519a-ec93-11f1-bd0d-02fc00000001"
    assert downtime.body == {
        "scope": "env:prod",
        "message": "Disk swap",
        "monitor_identifier": {"monitor_tags": ["team:web"]},
        "schedule": {"start": "2026-12-01T10:00:00Z", "end": "2026-12-01T12:00:00Z"},
    }
    team = resources.get("pagerduty:team/platform")
    assert team is not None and team.body == {"type": "team", "name": "Platform"}
    policy = resources.get("pagerduty:escalation_policy/ops")
    assert policy is not None and policy.depends_on == ("pagerduty:schedule/ops",)
    assert policy.body["escalation_rules"][0]["targets"] == [
        {"id": "${pagerduty:schedule/ops}", "type": "schedule_reference"},
        {"id": "${lookup:user/a@example.com}", "type": "user_reference"},
    ]
    service = resources.get("pagerduty:service/ops")
    assert service is not None and service.body["escalation_policy"]["id"] == "${pagerduty:escalation_policy/ops}"
    window = resources.get("pagerduty:maintenance_window/db-upgrade")
    assert window is not None and window.depends_on == ("pagerduty:service/ops",)
    assert window.body["services"] == [
        {"id": "${pagerduty:service/ops}", "type": "service_reference"},
        {"id": "PABC123", "type": "service_reference"},
    ]
    schedule = resources.get("pagerduty:schedule/ops")
    assert schedule is not None
    assert [u["user"]["id"] for u in schedule.body["schedule_layers"][0]["users"]] == [
        "${lookup:user/a@example.com}",
        "${lookup:user/b@example.com}",
    ]


def test_a_reference_by_pagerduty_id_stays_an_id(tmp_path: Path) -> None:
    native = NATIVE.replace("escalation_policy: ops", "escalation_policy: PXYZ123")
    loaded = load_definitions(write_set(tmp_path / "case", {"native.yaml": native}))
    assert loaded.definitions is not None
    service = compile_definitions(loaded.definitions).resources.get("pagerduty:service/ops")
    assert service is not None and service.body["escalation_policy"]["id"] == "PXYZ123" and not service.depends_on


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    priority: 3\n", "    priority: 7\n"), "native.yaml:9:15: "),
        (("    message: Disk", "    mesage: Disk"), "native.yaml:7:5: "),
        (
            ("targets: [{schedule: ops}", "targets: [{schedule: opz}"),
            "native.yaml:36:30: [R314] unknown schedule 'opz'",
        ),
        (
            ("escalation_policy: ops", "escalation_policy: nope"),
            "native.yaml:40:24: [R314] unknown escalation policy 'nope'",
        ),
        (
            ("  - key: disk-full", "  - key: api-errors"),
            "native.yaml:2:10: [R313] key 'api-errors' is also a monitor name",
        ),
        (("services: [ops, PABC123]", "services: [opz]"), "native.yaml:46:16: [R314] unknown PagerDuty service 'opz'"),
        (('    adopt: "4711"', '    adopt: "x1"'), "native.yaml:3:12: "),
    ],
)
def test_native_mistakes_are_reported_at_their_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    assert change[0] in NATIVE
    code, err = _validate(tmp_path, NATIVE.replace(change[0], change[1]), capsys)
    assert code == 1
    assert expected in err, err


def test_the_definitions_schema_knows_the_native_kinds() -> None:
    schema = (Path(__file__).resolve().parents[2] / "schema" / "definitions.schema.json").read_text(encoding="utf-8")
    for kind in ("datadog_monitors", "datadog_slos", "pagerduty_schedules", "pagerduty_escalation_policies"):
        assert f'"{kind}"' in schema
