"""Burn-rate alerts on an existing Datadog SLO, referenced by id: alertc creates and changes no SLO."""

from __future__ import annotations

from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi

from compiler.plan_file import load_plan
from tests.definitions.base_set import SLO, write_set
from tests.e2e.conftest import World


def _existing_slo(world: World) -> str:
    body = {
        "name": "API availability (made by hand)",
        "type": "metric",
        "query": {"numerator": "sum:api.requests{ok}.as_count()", "denominator": "sum:api.requests{*}.as_count()"},
        "thresholds": [{"timeframe": "30d", "target": 99.9}],
    }
    with world.datadog() as api:
        return str(ServiceLevelObjectivesApi(api).create_slo(body=body).data[0].id)


def _people(world: World) -> None:
    pd = world.pagerduty()
    for email in ("a@example.com", "b@example.com"):
        pd.rpost("users", json={"user": {"type": "user", "name": email, "email": email}})


def test_burn_rate_alerts_watch_the_existing_slo_by_id(world: World) -> None:
    slo_id = _existing_slo(world)
    _people(world)
    definitions = write_set(world.tmp / "defs", {"slo.yaml": SLO + f"    datadog_slo: '{slo_id}'\n"})
    result = world.plan(definitions=definitions)
    assert result.code == 0, result.err
    plan = load_plan(world.tmp / "p.json")
    assert not [c for c in plan.changes if c.kind == "slo"]  # no SLO created or changed
    alerts = [c for c in plan.changes if c.kind == "slo_alert"]
    assert alerts and all(slo_id in (c.desired or {}).get("query", "") for c in alerts)
    assert world.apply().code == 0
    with world.datadog() as api:
        assert len(ServiceLevelObjectivesApi(api).list_slos().data) == 1
        queries = [m.query for m in MonitorsApi(api).list_monitors() if str(m.type) == "slo alert"]
    assert queries and all(slo_id in q for q in queries)
    assert world.plan("--detailed-exitcode", definitions=definitions).code == 0


def test_an_unknown_slo_id_fails_the_plan_naming_it(world: World) -> None:
    _people(world)
    missing = "deadbeef" * 4
    definitions = write_set(world.tmp / "defs", {"slo.yaml": SLO + f"    datadog_slo: '{missing}'\n"})
    result = world.plan(definitions=definitions)
    assert result.code == 1
    assert f"SLO 'api-availability': datadog_slo {missing}" in result.err
