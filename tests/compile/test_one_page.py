"""One page per CSP outage: the CSP's own monitor leaves the page to the per-CSP group that sees the same failure."""

from __future__ import annotations

import dataclasses

from compiler.compile import CompileResult
from compiler.compile.one_page import PagedBy, paged_by
from compiler.definitions import Definitions
from compiler.definitions.models import Monitor


def _by_name(d: Definitions) -> dict[str, PagedBy]:
    assert d.process is not None
    return paged_by(d.process, d.monitors, {s.name: s for s in d.services})


def test_each_csp_monitor_is_paged_by_its_group_of_the_per_csp_monitor(example_definitions: Definitions) -> None:
    assert _by_name(example_definitions) == {
        f"{csp}-success-rate": PagedBy("sis-success-rate", f"type:{csp}")
        for csp in ("dslogon", "idme", "logingov", "mhv")
    }


def test_the_csp_monitor_raises_its_banner_and_tells_the_channel_without_paging(compiled: CompileResult) -> None:
    resource = compiled.resources.get("datadog:monitor/logingov-success-rate")
    assert resource is not None
    message = resource.body["message"]
    assert "@pagerduty-sign-in-service" not in message
    assert "@pagerduty-placeholder-external-logingov" in message  # its banner's status service
    assert "@slack-va-identity-alerts" in message
    assert "paged by the type:logingov group of monitor 'sis-success-rate' (one page per outage)" in message
    assert "declared incident" not in message  # the paging group's alert carries the declaration prompt
    assert "renotify_interval" not in resource.body["options"]
    assert not [d for d in resource.depends_on if "pagerduty_service_object" in d]
    grouped = compiled.resources.get("datadog:monitor/sis-success-rate")
    assert grouped is not None and "@pagerduty-sign-in-service" in grouped.body["message"]


def test_only_the_same_failure_on_the_same_service_is_deduplicated(example_definitions: Definitions) -> None:
    monitors = {mon.name: mon for mon in example_definitions.monitors}
    other_value = monitors["logingov-success-rate"].model_copy(
        update={"query": monitors["logingov-success-rate"].query.replace("type:logingov", "type:other")}
    )
    other_service = monitors["idme-success-rate"].model_copy(update={"service": "ssoe"})
    not_paging = monitors["sis-success-rate"].model_copy(update={"severity": "sev3"})

    def only(replaced: Monitor) -> Definitions:
        swapped = [replaced if name == replaced.name else mon for name, mon in monitors.items()]
        return dataclasses.replace(example_definitions, monitors=swapped)

    assert "logingov-success-rate" not in _by_name(only(other_value))  # another CSP's failure
    assert "idme-success-rate" not in _by_name(only(other_service))  # another PagerDuty service
    assert _by_name(only(not_paging)) == {}  # the group pages nobody: each CSP monitor pages itself
