"""Import selection and key naming (pure parts of compiler/importer)."""

from __future__ import annotations

import dataclasses

from compiler.importer.select import ImportFilters, select
from compiler.importer.write import assign_keys, render, slug
from compiler.resources import LiveObject


def _monitor(live_id: str, name: str, tags: list[str] | None = None) -> LiveObject:
    return LiveObject("datadog", "monitor", live_id, name, {"id": live_id, "name": name, "tags": tags or []})


def _pd(kind: str, live_id: str, name: str, **body: object) -> LiveObject:
    return LiveObject("pagerduty", kind, live_id, name, {"id": live_id, "name": name, **body})


def test_keys_are_slugs_and_shared_slugs_are_told_apart_by_id() -> None:
    assert slug("[SSOe] Auth_too_late Login Callback Error") == "ssoe-auth-too-late-login-callback-error"
    assert slug("x" * 80) == "x" * 64
    names = assign_keys([_monitor("2", "CPU high"), _monitor("1", "CPU  high!"), _monitor("3", "Disk")])
    assert names.keys == {
        ("datadog:monitor", "2"): "cpu-high-2",
        ("datadog:monitor", "1"): "cpu-high-1",
        ("datadog:monitor", "3"): "disk",
    }


def test_only_unowned_objects_are_imported_and_filters_select() -> None:
    mine = dataclasses.replace(_monitor("1", "Mine", ["team:web"]), key="mine")
    theirs = dataclasses.replace(_monitor("2", "Theirs", ["team:web"]), foreign_key="x", owner="mobile")
    web, other = _monitor("3", "Web CPU", ["team:web", "env:prod"]), _monitor("4", "Other", ["team:db"])
    everything = [mine, theirs, web, other]
    assert [o.live_id for o in select(everything, ImportFilters(all_unmanaged=True))] == ["4", "3"]
    assert [o.live_id for o in select(everything, ImportFilters(datadog_tags=("team:web",)))] == ["3"]
    assert [o.live_id for o in select(everything, ImportFilters(name_regex="^Oth"))] == ["4"]
    assert select(everything, ImportFilters(datadog_tags=("team:web",), name_regex="^Oth")) == []
    assert [o.live_id for o in select(everything, ImportFilters(datadog_monitor_ids=frozenset({"4"})))] == ["4"]


def test_a_pagerduty_service_brings_its_policy_and_schedules() -> None:
    schedule = _pd("schedule", "PS1", "Primary")
    policy = _pd(
        "escalation_policy",
        "PE1",
        "Policy",
        escalation_rules=[{"targets": [{"id": "PS1", "type": "schedule_reference"}]}],
    )
    service = _pd("service", "PV1", "Svc", escalation_policy={"id": "PE1", "type": "escalation_policy_reference"})
    lone = _pd("service", "PV2", "Lone", teams=[{"id": "PT1", "type": "team_reference"}])
    objects = [schedule, policy, service, lone]
    chosen = select(objects, ImportFilters(pagerduty_services=("PV1",)))
    assert sorted(o.live_id for o in chosen) == ["PE1", "PS1", "PV1"]
    assert [o.live_id for o in select(objects, ImportFilters(pagerduty_team="PT1"))] == ["PV2"]


def test_rendered_yaml_starts_with_the_schema_header_and_keeps_messages_readable() -> None:
    text = render("datadog_monitors", [{"key": "a", "adopt": "1", "message": "line one\nline two"}])
    assert text.startswith("# yaml-language-server: $schema=../schema/definitions.schema.json\n")
    assert "  message: |-\n    line one\n    line two\n" in text
