"""Banner keys → PagerDuty status services, and maintenance → PagerDuty windows the backend reads."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime

import pytest

from compiler.checks.banners import status_service_without_policy
from compiler.checks.context import LintContext
from compiler.compile import compile_definitions
from compiler.compile.banners import (
    BannerResources,
    banner_depends_on,
    banner_handles,
    banner_routes,
    compile_banners,
    key_of_status_handle,
    status_handle,
    windows_not_ended,
)
from compiler.definitions import Definitions
from compiler.kinds import get_kind
from compiler.providers import ownership as own
from compiler.providers.digest import digest
from compiler.resources import ResourceSet, references_in

KEYS = ["dslogon", "idme", "logingov", "mhv", "mvi", "sis", "ssoe"]
OURS = ["sis", "ssoe"]  # the example's other keys reference existing status services (issue 12)
BEFORE_WINDOW = datetime(2026, 11, 1, tzinfo=UTC)


def _without_policy(d: Definitions) -> list[str]:
    """What the banner rule reports of keys whose status service compile leaves out for want of a policy."""
    return [f.message for f in status_service_without_policy.findings(LintContext(d, BEFORE_WINDOW))]


def _all_ours(d: Definitions) -> Definitions:
    """The example with every banner key's status service made by alertc (no references, no `global`)."""
    dependencies = [
        dep.model_copy(update={"pagerduty_service": None, "datadog_handle": None})
        for dep in d.dependencies
        if dep.key != "global"
    ]
    return dataclasses.replace(d, dependencies=dependencies)


@pytest.fixture(scope="module")
def banners(example_definitions: Definitions) -> BannerResources:
    return compile_banners(example_definitions, now=BEFORE_WINDOW)


def _by_address(result: BannerResources) -> ResourceSet:
    return ResourceSet.of(result.resources)


def test_every_key_of_ours_gets_a_status_service_integration_and_service_object(banners: BannerResources) -> None:
    kinds = Counter((r.provider, r.kind) for r in banners.resources)
    assert kinds == {
        ("pagerduty", "service"): 2,
        ("pagerduty", "integration"): 2,
        ("datadog", "pagerduty_service_object"): 2,
        ("pagerduty", "maintenance_window"): 1,
    }
    services = {r.key: r.body for r in banners.resources if r.kind == "service"}
    assert sorted(services) == [f"status-{k}" for k in OURS]
    assert services["status-sis"]["name"] == "External: Sign-in Service"
    assert services["status-ssoe"]["name"] == "External: SSOe"


def test_without_references_every_key_gets_its_status_service(example_definitions: Definitions) -> None:
    result = compile_banners(_all_ours(example_definitions), now=BEFORE_WINDOW)
    services = {r.key: r.body for r in result.resources if r.kind == "service"}
    assert sorted(services) == [f"status-{k}" for k in KEYS]
    assert services["status-mvi"]["name"] == "External: Master Person Index (MPI)"
    assert _without_policy(_all_ours(example_definitions)) == []


def test_status_services_do_not_page_and_use_the_owning_policy(banners: BannerResources) -> None:
    for resource in banners.resources:
        if resource.kind == "service":
            assert resource.body["incident_urgency_rule"] == {"type": "constant", "urgency": "low"}
            assert resource.body["escalation_policy"]["id"] == "${pagerduty:escalation_policy/identity-escalation}"
            assert resource.body["auto_resolve_timeout"] is None
            assert "support_hours" not in resource.body


def test_service_object_carries_the_integration_key_of_its_own_service(banners: BannerResources) -> None:
    resources = _by_address(banners)
    service_object = resources.get("datadog:pagerduty_service_object/status-ssoe")
    integration = resources.get("pagerduty:integration/status-ssoe")
    assert service_object is not None and integration is not None
    assert service_object.body == {
        "service_name": "status-ssoe",
        "service_key": "${pagerduty:integration/status-ssoe#integration_key}",
    }
    assert integration.body["service"]["id"] == "${pagerduty:service/status-ssoe}"
    assert integration.body["vendor"] == {"id": "PAM4FGS", "type": "vendor_reference"}


def test_maintenance_window_targets_the_status_service_with_a_user_message(
    banners: BannerResources, example_definitions: Definitions
) -> None:
    window = _by_address(banners).get("pagerduty:maintenance_window/logingov-2026-12-12")
    assert window is not None
    message = "Login.gov sign-in will be unavailable on Saturday, December 12, 2026, from 2:00 to 5:00 a.m. ET."
    assert window.body == {
        "type": "maintenance_window",
        "start_time": "2026-12-12T02:00:00-05:00",
        "end_time": "2026-12-12T05:00:00-05:00",
        "description": f"{message}\nUSER_MESSAGE: {message}",
        "services": [{"id": "P2SHMM9", "type": "service_reference"}],  # External: Login.gov, referenced by id
    }
    assert window.depends_on == ()  # nothing alertc creates
    ours = _by_address(compile_banners(_all_ours(example_definitions), now=BEFORE_WINDOW))
    own_window = ours.get("pagerduty:maintenance_window/logingov-2026-12-12")
    assert own_window is not None
    assert own_window.body["services"] == [{"id": "${pagerduty:service/status-logingov}", "type": "service_reference"}]
    assert own_window.depends_on == ("pagerduty:service/status-logingov",)


def test_ended_windows_are_left_alone_and_ongoing_ones_kept(example_definitions: Definitions) -> None:
    windows = example_definitions.maintenance_windows
    during = datetime(2026, 12, 12, 8, tzinfo=UTC)  # 03:00 ET: in progress
    after = datetime(2026, 12, 12, 10, tzinfo=UTC)  # 05:00 ET: just ended
    assert [w.name for w in windows_not_ended(windows, during)] == ["logingov-2026-12-12"]
    assert windows_not_ended(windows, after) == []
    assert windows_not_ended(windows, None) == windows
    compiled = compile_banners(example_definitions, now=after)
    assert not [r for r in compiled.resources if r.kind == "maintenance_window"]


def test_references_resolve_within_the_whole_compile(example_definitions: Definitions) -> None:
    everything = compile_definitions(example_definitions).resources
    banners = compile_banners(example_definitions)
    for resource in banners.resources:
        for address, _field in references_in(resource.body):
            assert address in everything or any(r.address == address for r in banners.resources), address
        for dependency in resource.depends_on:
            assert dependency in everything or any(r.address == dependency for r in banners.resources), dependency


def test_compiled_bodies_fit_their_kind_specs_and_ownership(banners: BannerResources) -> None:
    for r in banners.resources:
        spec = get_kind(r.provider, r.kind)
        canonical = spec.canonical_desired(r.body)
        assert spec.normalize(canonical) == canonical, r.address
        key = own.validate_key(f"{r.kind}/{r.key}")
        marked = own.add_ownership(spec, r.body, key, digest(canonical))
        assert spec.canonical_desired(marked) == canonical, r.address


def test_compile_is_deterministic(example_definitions: Definitions) -> None:
    first = compile_banners(example_definitions, now=BEFORE_WINDOW)
    second = compile_banners(example_definitions, now=BEFORE_WINDOW)
    assert [(r.address, r.body, r.depends_on) for r in first.resources] == [
        (r.address, r.body, r.depends_on) for r in second.resources
    ]


def test_monitor_driving_a_banner_notifies_exactly_its_status_service(example_definitions: Definitions) -> None:
    monitors = {mon.name: mon for mon in example_definitions.monitors}
    routes = banner_routes(example_definitions.dependencies)
    assert banner_handles(monitors["sis-overall-success-rate"], routes) == ["@pagerduty-status-sis"]
    assert banner_handles(monitors["sis-success-rate"], routes) == []  # grouped per CSP: one CSP must not raise `sis`
    assert banner_handles(monitors["ssoe-latency"], routes) == ["@pagerduty-status-ssoe"]
    assert banner_handles(monitors["sis-latency"], routes) == []
    assert banner_depends_on(monitors["ssoe-latency"], routes) == ("datadog:pagerduty_service_object/status-ssoe",)
    assert banner_depends_on(monitors["sis-latency"], routes) == ()


def test_a_referenced_key_is_driven_through_its_existing_handle(example_definitions: Definitions) -> None:
    monitors = {mon.name: mon for mon in example_definitions.monitors}
    routes = banner_routes(example_definitions.dependencies)
    assert banner_handles(monitors["idme-success-rate"], routes) == ["@pagerduty-placeholder-external-idme"]
    assert banner_handles(monitors["mpi-latency"], routes) == ["@pagerduty-placeholder-external-mvi"]
    assert banner_depends_on(monitors["idme-success-rate"], routes) == ()  # not alertc's: nothing to wait for
    assert "global" not in routes  # referenced without a handle: no monitor can drive it
    # without routes (definitions built in code), every key is one of ours
    assert banner_depends_on(monitors["idme-success-rate"]) == ("datadog:pagerduty_service_object/status-idme",)


def test_status_handles_round_trip() -> None:
    assert key_of_status_handle(status_handle("logingov")) == "logingov"
    assert key_of_status_handle("@pagerduty-sign-in-service") is None
    assert key_of_status_handle("@pagerduty-status-") is None


def test_a_csp_uses_the_policy_of_the_first_auth_method_depending_on_it(example_definitions: Definitions) -> None:
    ssoe_only = dataclasses.replace(
        _all_ours(example_definitions),
        auth_methods=[m for m in example_definitions.auth_methods if m.name == "ssoe"],
        services=[
            s.model_copy(update={"pagerduty": None}) if s.name == "sign-in-service" else s
            for s in example_definitions.services
        ],
    )
    result = compile_banners(ssoe_only)
    messages = _without_policy(ssoe_only)
    # sis is implemented by sign-in-service (no routing now) and no remaining auth method depends on it
    assert len(messages) == 1
    assert messages[0].startswith("dependency 'sis' has no escalation policy for its PagerDuty status service")
    keys = {r.key for r in result.resources if r.kind == "service"}
    assert keys == {f"status-{k}" for k in KEYS if k != "sis"}


def test_a_window_on_a_key_without_status_service_is_not_compiled(example_definitions: Definitions) -> None:
    unrouted = [s.model_copy(update={"pagerduty": None}) for s in example_definitions.services]
    no_routing = dataclasses.replace(_all_ours(example_definitions), services=unrouted)
    result = compile_banners(no_routing)
    assert result.resources == []
    assert sorted(m.split("'")[1] for m in _without_policy(no_routing)) == KEYS
    # a window on a referenced key needs no status service of ours, so no escalation policy either
    referenced_only = dataclasses.replace(example_definitions, services=unrouted)
    referenced = compile_banners(referenced_only, now=BEFORE_WINDOW)
    assert [r.key for r in referenced.resources] == ["logingov-2026-12-12"]
    assert sorted(m.split("'")[1] for m in _without_policy(referenced_only)) == OURS
