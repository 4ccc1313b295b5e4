"""Import keeps what it reads (issue 27 item 5): one live monitor of every type, imported, planned, adopted,
planned again: "No changes".

The red-team case was a live `metric alert` imported as `query alert`, whose
next plan failed ("a monitor's type cannot be changed"). Here every monitor type
the sandbox serves is made by hand (unowned), including the ones that need
another object (a composite of two monitors, an SLO alert on an SLO).
"""

from __future__ import annotations

import shutil
from typing import Any

import yaml
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi

from compiler.plan_file import load_plan
from tests.e2e.conftest import EXAMPLES, World

# One query per type, in each product's own query language (Datadog's monitor API docs, "query" by type).
QUERIES: dict[str, str] = {
    "metric alert": "avg(last_5m):avg:system.cpu.user{env:prod} > 90",
    "query alert": "avg(last_5m):avg:system.cpu.user{env:prod} by {host} > 90",
    "service check": '"datadog.agent.up".over("env:prod").by("host").last(2).count_by_status()',
    "event alert": "events('sources:nagios status:error').by('host').rollup('count').last('1h') > 0",
    "event-v2 alert": 'events("source:nagios status:error").rollup("count").last("5m") > 0',
    "log alert": 'logs("status:error service:web").index("*").rollup("count").last("5m") > 100',
    "process alert": 'processes("java").over("env:prod").rollup("count").last("10m") < 1',
    "rum alert": 'rum("@type:error").rollup("count").last("5m") > 10',
    "trace-analytics alert": 'trace-analytics("env:prod service:web").rollup("count").last("5m") > 10',
    "audit alert": 'audits("@evt.name:Login").rollup("count").last("5m") > 1',
    "ci-pipelines alert": 'ci-pipelines("ci_level:pipeline @ci.status:error").rollup("count").last("5m") > 1',
    "ci-tests alert": 'ci-tests("@test.status:fail").rollup("count").last("5m") > 1',
    "error-tracking alert": 'error-tracking-rum("service:web").rollup("count").last("1h") > 1',
    "database-monitoring alert": 'database-monitoring("@db.type:postgres").rollup("count").last("5m") > 1',
    "network-performance alert": (
        'network-performance("@network.client.service:web").rollup("sum", "network.bytes_read").last("5m") > 100'
    ),
    "llm-observability alert": 'llm-observability("@status:error").rollup("count").last("5m") > 1',
    "cost alert": 'formula("exclude_null(query1)").last("7d").anomaly(direction="above", threshold=10) >= 5',
}
NOT_MADE = {
    "synthetics alert": "made by its Synthetic test, never through the monitor API",
    "data-quality alert": "no query of this type in the reference or the recordings to write one from",
    "network-path alert": "no query of this type in the reference or the recordings to write one from",
    "data-jobs alert": "no query of this type in the reference or the recordings to write one from",
}


def _options(monitor_type: str, query: str) -> dict[str, Any]:
    """Options Datadog accepts for the type: a critical threshold equal to the query's."""
    if monitor_type == "service check":
        return {"thresholds": {"ok": 1, "warning": 1, "critical": 1}}
    return {"thresholds": {"critical": float(query.rsplit(maxsplit=1)[-1])}, "notify_no_data": False}


def _make_every_type(world: World) -> dict[str, int]:
    """One unowned monitor per type, as a team made them by hand; returns type → id."""
    made: dict[str, int] = {}
    with world.datadog() as client:
        monitors = MonitorsApi(client)
        for monitor_type, query in QUERIES.items():
            body = {
                "name": f"Hand-made {monitor_type}",
                "type": monitor_type,
                "query": query,
                "message": f"{monitor_type} fired @slack-ops",
                "tags": ["team:ops"],
                "options": _options(monitor_type, query),
            }
            made[monitor_type] = int(monitors.create_monitor(body=body).id)  # type: ignore[arg-type]
        composite = f"{made['metric alert']} && {made['log alert']}"
        made["composite"] = int(
            monitors.create_monitor(
                body={"name": "Hand-made composite", "type": "composite", "query": composite, "message": "both"}  # type: ignore[arg-type]
            ).id
        )
        slo = ServiceLevelObjectivesApi(client).create_slo(
            body={  # type: ignore[arg-type]
                "name": "Hand-made availability",
                "type": "metric",
                "query": {"numerator": "sum:web.ok{*}.as_count()", "denominator": "sum:web.all{*}.as_count()"},
                "thresholds": [{"timeframe": "30d", "target": 99.9}],
            }
        )
        slo_id = slo.data[0].id
        burn = f'burn_rate("{slo_id}").over("30d").long_window("1h").short_window("5m") > 14.4'
        made["slo alert"] = int(
            monitors.create_monitor(
                body={  # type: ignore[arg-type]
                    "name": "Hand-made burn rate",
                    "type": "slo alert",
                    "query": burn,
                    "message": "burning",
                    "options": {"thresholds": {"critical": 14.4}},
                }
            ).id
        )
    return made


def test_import_then_plan_of_one_monitor_of_every_type_is_no_changes(world: World) -> None:
    made = _make_every_type(world)
    out = world.tmp / "imported-set"
    out.mkdir()
    shutil.copy(EXAMPLES / "process.yaml", out / "process.yaml")

    imported = world.alertc("import", "--all-unmanaged", "-o", str(out / "imported"))
    assert imported.code == 0, imported.err
    written = yaml.safe_load((out / "imported" / "datadog_monitors.yaml").read_text(encoding="utf-8"))
    types = {m["name"]: m["type"] for m in written["datadog_monitors"]}
    assert types["Hand-made metric alert"] == "metric alert"  # not rewritten to query alert
    assert sorted(set(types.values())) == sorted(made)

    planned = world.plan("--detailed-exitcode", definitions=out)
    assert planned.code == 2, planned.out + planned.err
    plan = load_plan(world.tmp / "p.json")
    monitors = [c for c in plan.changes if c.kind in ("monitor", "slo_alert")]
    assert {c.action for c in monitors} == {"adopt"}
    assert {c.live_id for c in monitors} >= {str(i) for i in made.values()}
    assert [c.address for c in plan.changes if c.fields] == []  # adopted as they are: no field changes

    applied = world.apply()
    assert applied.code == 0, applied.out + applied.err
    again = world.plan("--detailed-exitcode", definitions=out)
    assert again.code == 0, again.out
    assert "No changes" in again.out
    assert world.alertc("drift", "-d", str(out)).code == 0


def test_every_type_the_sandbox_serves_is_made_or_said_why_not() -> None:
    from compiler.sandbox.datadog.monitors import TYPES  # noqa: PLC0415

    covered = set(QUERIES) | {"composite", "slo alert"}
    assert TYPES - covered == set(NOT_MADE), "add a query for a new monitor type, or say why it is not made"
