"""The banner chain end to end: apply, an outage event through the Events API, what each method's users see."""

from __future__ import annotations

import json
import os
import shutil
import ssl
from pathlib import Path

import jsonschema
import pagerduty
import pytest
from datadog_api_client.v1.api.monitors_api import MonitorsApi
from datadog_api_client.v1.api.pager_duty_integration_api import PagerDutyIntegrationApi

from compiler.definitions import load_definitions
from compiler.live import open_session
from compiler.notify.simulate import Target, simulate
from compiler.preflight import handles, services
from compiler.targets import target_from_environment
from tests.e2e.conftest import EXAMPLES, ROOT, World


def _applied(world: World) -> None:
    assert world.plan().code == 0
    applied = world.apply("--banner-config", str(world.tmp / "banner-config.json"))
    assert applied.code == 0, applied.err


def _trigger(world: World, status_service: str, summary: str) -> None:
    """What a Datadog monitor does when it fires: an event on the status service's integration key."""
    pd = world.pagerduty()
    service = next(
        s for s in pd.list_all("services", params={"include[]": ["integrations"]}) if s["name"] == status_service
    )
    integration = pd.rget(f"services/{service['id']}/integrations/{service['integrations'][0]['id']}")
    assert world.handle.ca_file is not None
    events = pagerduty.EventsApiV2Client(
        integration["integration_key"],
        base_url=world.handle.events_url,
        verify=ssl.create_default_context(cafile=str(world.handle.ca_file)),
    )
    events.send_event("trigger", payload={"summary": summary, "source": "datadog", "severity": "critical"})


def _status(world: World, *extra: str) -> dict[str, dict[str, object]]:
    result = world.alertc("banners", "status", "-d", str(EXAMPLES), "--format", "json", *extra)
    assert result.code == 0, result.err
    decisions: dict[str, dict[str, object]] = json.loads(result.out)
    return decisions


def test_ssoe_outage_shows_the_ssoe_banner_to_ssoe_users_only(world: World) -> None:
    _applied(world)
    assert {m: d["banner"] for m, d in _status(world).items()} == {"sis": "none", "ssoe": "none"}
    _trigger(world, "External: SSOe", "SSOe Success Rate per CSP")
    seen = _status(world)
    assert seen["ssoe"]["banner"] == "service" and seen["ssoe"]["key"] == "ssoe"
    assert seen["ssoe"]["headline"] == "Our sign in process isn't working right now"
    assert seen["sis"]["banner"] == "none"
    text = world.alertc("banners", "status", "-d", str(EXAMPLES), "--auth-method", "sis")
    assert text.out.startswith("sis: no banner")


def test_sis_outage_shows_the_sis_banner_to_sis_users_only(world: World) -> None:
    _applied(world)
    _trigger(world, "External: Sign-in Service", "SiS Success Rate per CSP")
    seen = _status(world)
    assert (seen["sis"]["banner"], seen["sis"]["key"]) == ("service", "sis")
    assert seen["ssoe"]["banner"] == "none"


def test_two_csps_down_shows_the_several_services_banner_to_every_method(world: World) -> None:
    _applied(world)
    _trigger(world, "External: ID.me", "ID.me success rate")
    _trigger(world, "External: Login.gov", "Login.gov success rate")
    seen = _status(world)
    for method in ("sis", "ssoe"):
        assert seen[method]["banner"] == "multiple_services"
        assert seen[method]["headline"] == "You may have trouble signing in or using some tools or services"


def test_maintenance_window_is_one_plan_and_shows_from_the_lead_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned = world.plan()
    assert "+ pagerduty maintenance window logingov-2026-12-12" in planned.out
    assert "+ datadog downtime logingov-2026-12-12.logingov" in planned.out
    assert world.apply().code == 0
    window = next(w for w in world.pagerduty().list_all("maintenance_windows", params={"filter": "open"}))
    assert window["description"].endswith(
        "USER_MESSAGE: Login.gov sign-in will be unavailable on Saturday, December 12, 2026, from 2:00 to 5:00 a.m. ET."
    )
    # The window starts at 02:00 ET (07:00Z); the lead time is 2 hours.
    monkeypatch.setenv("ALERTC_NOW", "2026-12-12T04:59:00+00:00")
    assert {m: d["banner"] for m, d in _status(world).items()} == {"sis": "none", "ssoe": "none"}
    monkeypatch.setenv("ALERTC_NOW", "2026-12-12T05:00:00+00:00")
    seen = _status(world)
    assert {m: d["banner"] for m, d in seen.items()} == {"sis": "maintenance", "ssoe": "maintenance"}
    assert seen["sis"]["headline"] == "Upcoming site maintenance"
    monkeypatch.setenv("ALERTC_NOW", "2026-12-12T09:30:00+00:00")
    assert _status(world)["ssoe"]["banner"] == "maintenance"


def test_routing_a_sis_monitor_to_the_ssoe_status_service_fails_validation(world: World, tmp_path: Path) -> None:
    edited = tmp_path / "defs"
    shutil.copytree(EXAMPLES, edited)
    monitors = edited / "monitors.yaml"
    text = monitors.read_text(encoding="utf-8")
    monitors.write_text(text.replace("    banner_key: sis\n", "    banner_key: ssoe\n"), encoding="utf-8")
    result = world.alertc("validate", "-d", str(edited))
    assert result.code == 1
    assert (
        "monitor 'sis-overall-success-rate' of auth method 'sis' drives banner key 'ssoe', "
        "which only auth method 'ssoe' depends on" in result.err
    )


def test_apply_writes_a_banner_config_that_matches_its_schema(world: World) -> None:
    _applied(world)
    config = json.loads((world.tmp / "banner-config.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schema" / "banner-config.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(config)
    services = {s["name"]: s["id"] for s in world.pagerduty().list_all("services")}
    assert config["services"]["ssoe"] == services["External: SSOe"]
    assert config["auth_methods"]["sis"]["depends_on"] == ["sis", "idme", "logingov", "dslogon", "mhv", "mvi"]
    built = world.alertc("banners", "build", "-d", str(EXAMPLES))
    assert built.code == 0 and json.loads(built.out) == config


def test_banner_config_template_needs_no_live_state(world: World) -> None:
    result = world.alertc("banners", "build", "-d", str(EXAMPLES), "--template")
    assert result.code == 0
    config = json.loads(result.out)
    assert config["services"]["sis"] == "${pagerduty:service/status-sis}"
    assert config["maintenance_lead_time_seconds"] == 7200


def test_banner_config_before_apply_is_an_error(world: World) -> None:
    result = world.alertc("banners", "build", "-d", str(EXAMPLES))
    assert result.code == 1
    assert "no live PagerDuty status service for banner key(s)" in result.err
    assert "hint: run 'alertc plan' and 'alertc apply' first" in result.err


def test_current_frontend_shows_the_ssoe_banner_to_sis_users_intended_does_not(world: World) -> None:
    """Issue 17's done-when: today's page shows an SSOe outage to SiS users; the per-method rules do not."""
    _applied(world)
    _trigger(world, "External: SSOe", "SSOe Success Rate per CSP")
    current = _status(world, "--frontend", "current")
    assert (current["sis"]["banner"], current["sis"]["key"]) == ("service", "ssoe")
    assert current["sis"]["headline"] == "Our sign in process isn't working right now"
    intended = _status(world, "--frontend", "intended")
    assert intended["sis"]["banner"] == "none"
    assert (intended["ssoe"]["banner"], intended["ssoe"]["key"]) == ("service", "ssoe")
    text = world.alertc("banners", "status", "-d", str(EXAMPLES), "--frontend", "current", "--auth-method", "sis")
    assert text.out.startswith('sis: service banner: "Our sign in process isn\'t working right now"')
    assert "today's page shows it to every sign-in method" in text.out


REFERENCED = {
    "dslogon": "P9DJJAV",
    "global": "PLPSIB0",
    "idme": "PVWB4R8",
    "logingov": "P2SHMM9",
    "mhv": "PP2ZZ2V",
    "mvi": "PCIPVGJ",
}
_GLOBAL_WINDOW = """  - name: global-2026-12-05
    start: 2026-12-05T02:00:00-05:00
    end: 2026-12-05T03:00:00-05:00
    dependencies: [global]
    message: VA.gov will be down for maintenance.
"""


def _edited(world: World, name: str, banners: tuple[str, str] | None = None, window: bool = False) -> Path:
    """A copy of the example, with one replacement in banners.yaml and/or a maintenance window on `global`."""
    edited = world.tmp / name
    shutil.copytree(EXAMPLES, edited)
    if banners is not None:
        path = edited / "banners.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(banners[0]) == 1
        path.write_text(text.replace(*banners), encoding="utf-8")
    if window:
        with (edited / "maintenance.yaml").open("a", encoding="utf-8") as f:
            f.write(_GLOBAL_WINDOW)
    return edited


def test_vets_api_build_prints_the_referenced_ids_of_the_example(world: World) -> None:
    """Issue 17's done-when: `maintenance__services__idme=PVWB4R8`-style lines, with issue 12's ids."""
    _applied(world)
    built = world.alertc("banners", "build", "-d", str(EXAMPLES), "--format", "vets-api")
    assert built.code == 0, built.err
    lines = built.out.splitlines()
    for key, service_id in REFERENCED.items():
        assert f"maintenance__services__{key}={service_id}" in lines
    services = {s["name"]: s["id"] for s in world.pagerduty().list_all("services")}
    assert f"maintenance__services__sis={services['External: Sign-in Service']}" in lines
    assert f"maintenance__services__ssoe={services['External: SSOe']}" in lines
    assert len([line for line in lines if line.startswith("maintenance__services__")]) == 8


def _live_monitor(world: World, name: str) -> dict[str, object]:
    monitors = MonitorsApi(world.datadog()).list_monitors(name=name)
    [monitor] = [m for m in monitors if m["name"] == name]
    return {"message": monitor["message"], "options": monitor["options"].to_dict()}


def test_a_monitor_driving_a_referenced_key_notifies_exactly_its_handle_on_alert(world: World) -> None:
    _applied(world)
    body = _live_monitor(world, "[Sign-in Service] ID.me sign-in success rate")
    handle = "@pagerduty-placeholder-external-idme"
    targets = {handle: Target("banner", "idme")}
    outcomes = simulate(body, targets)
    banner_events = {
        key: [(e.handle, e.action) for e in outcome.pagerduty if e.target.is_banner]
        for key, outcome in outcomes.items()
    }
    assert banner_events["ok_to_alert"] == [(handle, "trigger")]
    assert banner_events["alert_to_ok"] == [(handle, "resolve")]
    for key, events in banner_events.items():
        if key not in ("ok_to_alert", "alert_to_ok", "warn_to_alert", "renotify_alert"):
            assert events == [], key  # a warning or No Data raises no banner
    assert "@pagerduty-status-idme" not in str(body["message"])
    # alertc made nothing for the referenced key, and left the handle it drives through alone
    pd = world.pagerduty()
    assert [s["name"] for s in pd.list_all("services")].count("External: ID.me") == 1
    assert pd.rget("services/PVWB4R8")["name"] == "External: ID.me"
    api = PagerDutyIntegrationApi(world.datadog())
    assert api.get_pager_duty_integration_service("placeholder-external-idme")["service_name"] == (
        "placeholder-external-idme"
    )
    again = world.plan("--detailed-exitcode")
    assert again.code == 0, again.out
    assert world.alertc("drift", "-d", str(EXAMPLES)).code == 0


def test_a_datadog_handle_that_does_not_exist_fails_plan_naming_it(world: World) -> None:
    PagerDutyIntegrationApi(world.datadog()).delete_pager_duty_integration_service("placeholder-external-mhv")
    planned = world.plan()
    assert planned.code == 1
    assert (
        "datadog_handle(s) not found in Datadog's PagerDuty integration: 'placeholder-external-mhv' "
        "(banner key 'mhv')" in planned.err
    )
    assert "Traceback" not in planned.err
    assert not (world.tmp / "p.json").exists()


def test_a_referenced_service_is_used_by_id_and_never_created(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    defs = _edited(world, "defs-window", window=True)
    planned = world.plan(definitions=defs)
    assert planned.code == 0, planned.err
    assert "+ pagerduty maintenance window global-2026-12-05" in planned.out
    for key in REFERENCED:
        assert f"status-{key}" not in planned.out
    assert world.apply().code == 0
    again = world.plan("--detailed-exitcode", definitions=defs)
    assert again.code == 0, again.out
    pd = world.pagerduty()
    names = [s["name"] for s in pd.list_all("services")]
    assert names.count("External: VA.gov") == 1 and names.count("External: Login.gov") == 1
    window = next(
        w for w in pd.list_all("maintenance_windows", params={"filter": "open"}) if "VA.gov" in w["description"]
    )
    assert [s["id"] for s in window["services"]] == ["PLPSIB0"]
    # The global key's window reaches every sign-in method, from the lead time on, in both frontends.
    monkeypatch.setenv("ALERTC_NOW", "2026-12-05T05:00:00+00:00")
    for frontend in ("current", "intended"):
        seen = world.alertc("banners", "status", "-d", str(defs), "--format", "json", "--frontend", frontend)
        assert {m: d["banner"] for m, d in json.loads(seen.out).items()} == {
            "sis": "maintenance",
            "ssoe": "maintenance",
        }


def test_a_referenced_id_that_does_not_exist_fails_plan_and_build_before_anything_is_written(world: World) -> None:
    _applied(world)
    defs = _edited(world, "defs-nope", ("pagerduty_service: PLPSIB0", "pagerduty_service: PNOPE42"))
    planned = world.plan(definitions=defs)
    assert planned.code == 1
    assert "pagerduty_service id(s) not found in PagerDuty: PNOPE42 (banner key 'global')" in planned.err
    out = world.tmp / "vets-api.env"
    built = world.alertc("banners", "build", "-d", str(defs), "--format", "vets-api", "-o", str(out))
    assert built.code == 1
    assert "PNOPE42" in built.err and "Traceback" not in built.err
    assert not out.exists()


def test_the_embedded_sandbox_seeds_referenced_services_and_handles_unowned(world: World) -> None:
    """What lets `make plan` pass on a fresh sandbox for definitions that reference existing services."""
    # The world holds the example's references already (tests/e2e/conftest.py); a new id and handle are seeded.
    path = _edited(
        world,
        "defs-new",
        (
            "    title: Login.gov\n    kind: csp\n    pagerduty_service: P2SHMM9   # External: Login.gov\n"
            "    datadog_handle: placeholder-external-logingov\n",
            "    title: Login.gov (new)\n    kind: csp\n    pagerduty_service: PNEW001\n"
            "    datadog_handle: placeholder-new-logingov\n",
        ),
    )
    defs = load_definitions(path).definitions
    assert defs is not None
    pd = world.pagerduty()
    target = target_from_environment(os.environ)
    assert target is not None
    with open_session(target) as session:
        assert services.seed_embedded(defs, session) == ["PNEW001"]
        seeded = pd.rget("services/PNEW001")
        assert seeded["name"] == "External: Login.gov (new)"
        assert "Managed by alertc (key:" not in (seeded["description"] or "")
        assert services.seed_embedded(defs, session) == []  # idempotent
        assert handles.seed_embedded(defs, session) == ["placeholder-new-logingov"]
        assert handles.seed_embedded(defs, session) == []  # idempotent
    integrations = pd.rget("services/PNEW001", params={"include[]": ["integrations"]})["integrations"]
    assert [pd.rget(f"services/PNEW001/integrations/{i['id']}")["vendor"]["id"] for i in integrations] == ["PAM4FGS"]
    planned = world.plan(definitions=path)
    assert planned.code == 0, planned.err
    assert "status-logingov" not in planned.out and "~ pagerduty service" not in planned.out  # not alertc's
    assert '            + id = "PNEW001"' in planned.out.splitlines()  # the window names it
    created = [line for line in planned.out.splitlines() if line.startswith(("+ ", "~ ", "- "))]
    assert not [line for line in created if "placeholder-" in line]  # nor is the handle
    _trigger(world, "External: Login.gov (new)", "Login.gov success rate")  # the seeded integration reaches it
