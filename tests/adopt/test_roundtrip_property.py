"""Property: whatever alertc compiles, applied under one scope and imported by another's eyes (marks
stripped), compiles back to the same bodies (no field changes in the diff's own comparison)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from compiler.compile.monitors import compile_monitor
from compiler.compile.native import compile_datadog_monitor, pass_through
from compiler.compile.routing import rate_monitor
from compiler.compile.slos import slo_body
from compiler.definitions import Definitions, load_definitions
from compiler.definitions import models as m
from compiler.definitions.models import native as n
from compiler.importer.write import Names
from compiler.kinds import get_kind
from compiler.plan import field_changes
from compiler.providers.ownership import add_ownership
from compiler.resources import LiveObject
from tests.definitions.base_set import write_set

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
MONITOR = get_kind("datadog", "monitor")
SLO = get_kind("datadog", "slo")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Definitions:
    loaded = load_definitions(write_set(Path(tmp_path_factory.mktemp("base")) / "set"))
    assert loaded.definitions is not None
    return loaded.definitions


SERVER_FIELDS = {  # what the server adds to a written object (a sample of each kind's server-owned fields)
    "monitor": {"created": "2026-11-22T12:00:00Z", "overall_state": "OK", "creator": {}, "org_id": 1},
    "slo": {"created_at": 1795000000, "modified_at": 1795000000, "creator": {}, "type_id": 0},
}


def _applied_then_seen_unowned(spec: Any, key: str, body: dict[str, Any], live_id: str) -> LiveObject:
    """The body as scope 'team-a' wrote it, with the server's fields, read by a scope that does not own it."""
    marked = add_ownership(spec, body, key, "0123456789ab", "team-a")
    live = {**marked, "id": live_id, **SERVER_FIELDS[spec.kind]}
    return LiveObject(spec.provider, spec.kind, live_id, str(body.get("name")), live)


def _same(spec: Any, original: dict[str, Any], again: dict[str, Any]) -> None:
    desired, live = spec.comparable(again, original, now=NOW)
    assert field_changes(live, desired) == []


thresholds = st.floats(min_value=1, max_value=1000, allow_nan=False).map(lambda v: round(v, 2))
monitors = st.fixed_dictionaries(
    {
        "name": st.just("api-probe"),
        "title": st.text("abcdefghij XYZ_()", min_size=1, max_size=30).map(str.strip).filter(bool),
        "service": st.just("api"),
        "query": st.sampled_from(["sum:api.errors{env:prod}.as_count()", "avg:api.latency{env:prod} by {host}"]),
        "aggregation": st.sampled_from(["avg", "sum", "max", "min"]),
        "window": st.sampled_from(["5m", "15m", "1h"]),
        "comparator": st.sampled_from([">", ">=", "<", "<="]),
        "thresholds": st.builds(
            lambda c, w: {"critical": c, **({"warning": w} if w else {})}, thresholds, st.one_of(st.none(), thresholds)
        ),
        "severity": st.sampled_from(["sev1", "sev2"]),
        "runbook": st.just("https://example.com/runbook"),
        "tags": st.lists(st.sampled_from(["tier:1", "db", "owner:web"]), unique=True, max_size=3),
        "no_data": st.one_of(st.none(), st.sampled_from(["10m", "1h"])),
    }
)


@settings(max_examples=60, deadline=None)
@given(raw=monitors)
def test_any_compiled_monitor_imports_back_to_the_same_body(base: Definitions, raw: dict[str, Any]) -> None:
    try:
        monitor = m.Monitor.model_validate({k: v for k, v in raw.items() if v is not None})
    except ValidationError:
        assume(False)
        return
    assert base.process is not None
    service, team = base.services[0], base.teams[0]
    body = compile_monitor(base.process, monitor, service, team, rate_monitor(base.process, monitor, service)).body
    seen = _applied_then_seen_unowned(MONITOR, "monitor/api-probe", body, "42")
    native = n.DatadogMonitor.model_validate({"key": "api-probe", "adopt": "42", **MONITOR.to_native(seen, Names())})
    _same(MONITOR, seen.body, compile_datadog_monitor(native).body)


slos = st.fixed_dictionaries(
    {
        "name": st.just("api-availability"),
        "service": st.just("api"),
        "target": st.sampled_from(["99%", "99.5%", "99.9%", 95]),
        "timeframe": st.sampled_from(["7d", "30d", "90d"]),
        "tags": st.lists(st.sampled_from(["tier:1", "sla"]), unique=True, max_size=2),
        "kind": st.sampled_from(["metric", "time_slice"]),
        "slice": st.sampled_from(["1m", "5m"]),
    }
)


@settings(max_examples=40, deadline=None)
@given(raw=slos)
def test_any_compiled_slo_imports_back_to_the_same_body(base: Definitions, raw: dict[str, Any]) -> None:
    common = {k: raw[k] for k in ("name", "service", "target", "timeframe", "tags")}
    slo: m.MetricSlo | m.TimeSliceSlo
    if raw["kind"] == "metric":
        slo = m.MetricSlo.model_validate({**common, "type": "metric", "good": "sum:a{ok}", "total": "sum:a{*}"})
    else:
        extra = {"query": "p95:api.latency{*}", "comparator": "<", "threshold": 0.5, "slice": raw["slice"]}
        slo = m.TimeSliceSlo.model_validate({**common, "type": "time_slice", **extra})
    body = slo_body(slo, base.services[0])
    seen = _applied_then_seen_unowned(SLO, "slo/api-availability", body, "abc")
    native = n.DatadogSlo.model_validate({"key": "api-availability", **SLO.to_native(seen, Names())})
    _same(SLO, seen.body, pass_through(n.DATADOG_SLOS, native).body)
