"""Service dashboards end to end: an overview per service planned, applied, converged; hand edits of its widgets
are drift; a plan reads whole only its own dashboards; ``dashboards: false`` opts out; import and adopt."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from datadog_api_client.v1.api.dashboards_api import DashboardsApi
from datadog_api_client.v1.api.service_level_objectives_api import ServiceLevelObjectivesApi

from compiler.plan_file import load_plan
from compiler.providers.datadog import plain
from tests.e2e.conftest import EXAMPLES, World

ONE = re.compile(r"^GET /api/v1/dashboard/[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}$")
HAND_MADE = {
    "title": "Checkout overview",
    "layout_type": "ordered",
    "description": "Made by hand in the UI.",
    "tags": ["team:shop"],
    "template_variables": [{"name": "env", "prefix": "env", "available_values": [], "defaults": ["prod"]}],
    "widgets": [
        {
            "definition": {
                "type": "group",
                "layout_type": "ordered",
                "title": "Traffic",
                "widgets": [
                    {"definition": {"type": "note", "content": "Checkout: see the runbook"}},
                    {
                        "definition": {
                            "type": "timeseries",
                            "requests": [{"q": "sum:checkout.requests{$env}.as_count()", "display_type": "bars"}],
                        }
                    },
                ],
            }
        }
    ],
}


def _dashboards(world: World) -> dict[str, dict[str, Any]]:
    """Every live dashboard, whole, by title."""
    with world.datadog() as client:
        api = DashboardsApi(client)
        summaries = plain(api.list_dashboards())["dashboards"]
        return {s["title"]: plain(api.get_dashboard(s["id"])) for s in summaries}


def _applied(world: World, definitions: Path = EXAMPLES) -> None:
    planned = world.plan(definitions=definitions)
    assert planned.code == 0, planned.err
    applied = world.apply()
    assert applied.code == 0, applied.err


def _groups(dashboard: dict[str, Any]) -> list[str]:
    return [w["definition"]["title"] for w in dashboard["widgets"]]


def test_each_service_gets_an_overview_that_links_what_apply_created_and_converges(world: World) -> None:
    planned = world.plan()
    assert '+ datadog dashboard ssoe  "SSOe: service overview"' in planned.out
    assert planned.out.splitlines()[-1] == "Plan: 63 to create, 0 to update, 0 to delete."
    assert world.apply().code == 0
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.out  # read back whole, normalized: no perpetual diff

    live = _dashboards(world)
    ssoe = live["SSOe: service overview"]
    assert "Managed by alertc (key: dashboard/ssoe" in ssoe["description"]  # ownership: the description marker
    assert ssoe["tags"] == ["team:identity"]  # dashboards take only team tags
    assert _groups(ssoe) == ["Responding", "Service level objectives", "Monitors", "Downtime banners"]
    assert "${" not in json.dumps(ssoe)  # every placeholder resolved at apply
    service = next(s for s in world.pagerduty().list_all("services") if s["name"] == "OCTO Identity - SSOe")
    note = ssoe["widgets"][0]["definition"]["widgets"][0]["definition"]["content"]
    assert f"[OCTO Identity - SSOe]({service['html_url']})" in note
    with world.datadog() as client:
        slos = {s["name"]: s["id"] for s in plain(ServiceLevelObjectivesApi(client).list_slos())["data"]}
    slo_widget = ssoe["widgets"][1]["definition"]["widgets"][0]["definition"]
    assert (slo_widget["type"], slo_widget["slo_id"]) == ("slo", slos["SSOe availability (SLA)"])
    staging = live["Sign-in Service (staging): service overview"]
    assert _groups(staging) == ["Responding", "Monitors"]  # no SLO, drives no banner


def test_a_widget_edited_by_hand_is_drift_and_the_plan_repairs_it(world: World) -> None:
    _applied(world)
    ssoe = _dashboards(world)["SSOe: service overview"]
    ssoe["widgets"][2]["definition"]["widgets"][0]["definition"]["hide_zero_counts"] = False
    body = {k: ssoe[k] for k in ("title", "description", "layout_type", "widgets", "tags")}
    with world.datadog() as client:
        DashboardsApi(client).update_dashboard(ssoe["id"], body=body)

    drift = world.alertc("drift", "-d", str(EXAMPLES))
    assert drift.code == 2, drift.err
    assert f"! datadog:dashboard/ssoe (id {ssoe['id']}): changed, changed outside alertc" in drift.out.splitlines()
    assert "hide_zero_counts" in drift.out
    repair = world.plan("--detailed-exitcode")
    assert repair.out.splitlines()[-1] == "Plan: 0 to create, 1 to update, 0 to delete."
    assert world.apply().code == 0
    assert world.alertc("drift", "-d", str(EXAMPLES)).code == 0


def test_a_plan_reads_whole_only_the_dashboards_of_its_scope(world: World) -> None:
    _applied(world)
    with world.datadog() as client:
        hand_made = plain(DashboardsApi(client).create_dashboard(body=HAND_MADE))["id"]
    seen: Counter[str] = Counter()
    world.handle.observe(lambda req, resp: seen.update([f"{req.method} {req.path}"]))
    assert world.plan("--detailed-exitcode").code == 0
    world.handle.observe(None)
    ours = {d["id"] for t, d in _dashboards(world).items() if t.endswith(": service overview")}
    read_one_by_one = {path.rsplit("/", 1)[1] for path in seen if ONE.match(path)}
    assert read_one_by_one == ours and len(ours) == 3  # one GET each, never the hand-made one
    assert hand_made not in read_one_by_one
    assert seen["GET /api/v1/dashboard"] == 1  # the list, one page


def test_dashboards_false_opts_a_service_out(world: World) -> None:
    _applied(world)
    edited = world.tmp / "defs"
    shutil.copytree(EXAMPLES, edited)
    services = edited / "services.yaml"
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("    title: SSOe\n", "    title: SSOe\n    dashboards: false\n", 1), "utf-8")
    planned = world.plan("--detailed-exitcode", definitions=edited)
    assert planned.code == 2, planned.err
    assert planned.out.splitlines()[-1] == "Plan: 0 to create, 0 to update, 1 to delete."
    assert "- datadog dashboard ssoe" in planned.out


def test_a_hand_made_dashboard_is_imported_whole_adopted_unchanged_and_then_managed(world: World) -> None:
    with world.datadog() as client:
        made = plain(DashboardsApi(client).create_dashboard(body=HAND_MADE))
    out = world.tmp / "adopting"
    out.mkdir()
    shutil.copy(EXAMPLES / "process.yaml", out / "process.yaml")
    imported = world.alertc("import", "--name-regex", "^Checkout", "-o", str(out / "imported"))
    assert imported.code == 0, imported.err
    written = (out / "imported" / "datadog_dashboards.yaml").read_text(encoding="utf-8")
    assert "- key: checkout-overview\n" in written and f"  adopt: {made['id']}\n" in written
    assert "content: 'Checkout: see the runbook'" in written  # whole: the list alone has no widgets
    assert "defaults:\n    - prod\n" in written
    assert world.alertc("validate", "-d", str(out)).code == 0

    planned = world.plan("--detailed-exitcode", definitions=out)
    assert planned.code == 2, planned.err
    change = next(c for c in load_plan(world.tmp / "p.json").changes if c.kind == "dashboard")
    assert (change.action, change.key, change.live_id, change.fields) == ("adopt", "checkout-overview", made["id"], [])
    applied = world.apply()
    assert applied.code == 0, applied.err
    again = world.plan("--detailed-exitcode", definitions=out)
    assert again.code == 0, again.out
    now = _dashboards(world)["Checkout overview"]
    assert "Managed by alertc (key: dashboard/checkout-overview" in now["description"]
    assert now["description"].startswith("Made by hand in the UI.")
    assert [w["definition"] for w in now["widgets"][0]["definition"]["widgets"]] == [
        w["definition"]
        for w in HAND_MADE["widgets"][0]["definition"]["widgets"]  # type: ignore[index]
    ]
