"""The benchmark harness's arithmetic and workload shapes (no timing asserted)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.apply_bench import rate_floor_s, writes_only
from bench.lower_bounds import pages, plan_lower_bound, terraform_refresh
from bench.report import render_table
from bench.sandbox_process import endpoint_template
from bench.workloads import get_workload, write_definitions
from compiler.compile import compile_definitions
from compiler.definitions.loader import load_definitions


def test_w1k_compiles_to_the_issue_shape(tmp_path: Path) -> None:
    w = get_workload("w1k")
    loaded = load_definitions(write_definitions(w, tmp_path / "defs"))
    assert [str(f) for f in loaded.findings if f.severity == "error"] == []
    compiled = compile_definitions(loaded.definitions, now=datetime(2026, 1, 1, tzinfo=UTC), datadog_site=None)
    assert Counter(f"{r.provider}:{r.kind}" for r in compiled.resources) == w.counts()
    assert len(compiled.resources) == w.objects == 1700 + 50 + 3 * 7 + 1  # 50 dashboards; 3 teams, their rules


def test_w10k_is_the_issue_workload() -> None:
    w = get_workload("W10k")
    assert (w.monitors, w.slos, w.slo_alerts, w.services, w.teams, w.objects) == (10_000, 1000, 3000, 500, 25, 17_676)


def test_datadog_lists_end_on_a_short_page_pagerduty_on_more_false() -> None:
    assert [pages(n, 1000, "short-page") for n in (0, 999, 1000, 13_000)] == [1, 1, 2, 14]
    assert [pages(n, 100, "more") for n in (0, 100, 101)] == [1, 1, 2]


def test_lower_bound_is_list_pages_plus_one_bulk_read_plus_each_dashboard() -> None:
    counts = {"dd_monitor": 13_000, "dd_slo": 1000, "dd_service_definition": 500, "dd_dashboard": 500}
    counts["pd_service"] = 500
    bound = plan_lower_bound(counts)
    assert bound["endpoints"]["datadog"] == {
        "GET /api/v1/monitor": 14,
        "GET /api/v1/slo": 2,
        "GET /api/v2/downtime": 1,
        "GET /api/v2/services/definitions": 6,
        "GET /api/v1/dashboard": 6,
        "GET /api/v1/integration/pagerduty": 1,
        "GET /api/v2/incidents/config/notification-rules": 1,
        "GET /api/v2/incidents/config/notification-templates": 1,
        "GET /api/v2/incidents/config/postmortem-templates": 1,
        "GET /api/v1/dashboard/{id}": 500,  # the list has no widgets: each managed dashboard read whole
    }
    assert bound["by_api"]["pagerduty"] == 5 + 5  # users, schedules, policies, windows, teams: 1 page; services: 5
    assert bound["total"] == 27 + 6 + 500 + 10


def test_terraform_refresh_is_one_get_per_object_ten_at_a_time() -> None:
    assert terraform_refresh(17_000, 50) == {"computed": True, "requests": 17_000, "parallelism": 10, "wall_s": 85.0}


def test_endpoints_fold_ids() -> None:
    assert endpoint_template("GET", "/api/v1/monitor/123") == "GET /api/v1/monitor/{id}"
    assert endpoint_template("GET", "/services/PABC123/integrations/PXYZ789") == "GET /services/{id}/integrations/{id}"
    assert endpoint_template("GET", "/api/v1/monitor") == "GET /api/v1/monitor"
    assert endpoint_template("GET", "/api/v1/dashboard/abc-def-ghi") == "GET /api/v1/dashboard/{id}"


def test_table_has_one_row_per_plan_and_two_per_apply() -> None:
    plan = {
        "benchmark": "plan",
        "workload": "w1k",
        "objects": 1700,
        "latency_ms": 50.0,
        "wall_s": {"min": 1.0, "median": 1.5},
        "requests": {"total": 12},
        "requests_lower_bound": {"total": 11},
        "peak_rss_mb": 100.0,
        "client_cpu_s": 1.0,
        "sandbox_cpu_s": 0.2,
        "terraform_refresh_lower_bound": terraform_refresh(1700, 50),
    }
    apply = {
        "benchmark": "apply",
        "objects": 1000,
        "latency_ms": 50.0,
        "wall_s": {"min": 10.0, "median": 10.5},
        "floor_s": 10.0,
        "wall_vs_floor": 1.05,
        "http_429": 0,
        "failed": 0,
        "requests": {"total": 1010},
        "peak_rss_mb": 90.0,
        "client_cpu_s": 3.0,
        "sandbox_cpu_s": 1.0,
        "first_plan": {
            "wall_s": {"min": 11.0, "median": 11.5},
            "validate_requests": 1000,
            "validate_floor_s": 10.0,
            "wall_vs_validate_floor": 1.15,
            "requests": {"total": 1012},
            "peak_rss_mb": 95.0,
        },
    }
    rows = [line for line in render_table([plan, apply]).splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 1 + 2
    assert "| plan W1K (1,700 objects, no changes) | 1.0 / 1.5 | 12 (bound 11) | 100 |" in rows[1]
    assert "floor 10.0 s = 1.05×; 0 × 429, 0 failed" in rows[3]


def test_the_floor_is_the_slowest_rate_limit_bucket() -> None:
    requests = {
        "endpoints": {
            "datadog": {"POST /api/v1/monitor": 1000, "PUT /api/v1/monitor/{monitor_id}": 200, "GET /api/v1/slo": 1},
            "pagerduty": {"PUT /services/{id}": 50, "GET /users": 1},
        }
    }
    # monitor_api: 1,200 requests at 6,000 a minute = 12 s; PagerDuty: 51 at 960 a minute = 3.2 s
    assert rate_floor_s(requests) == 12.0


def test_the_writes_floor_leaves_out_the_reads() -> None:
    requests = {"endpoints": {"datadog": {"POST /api/v1/monitor": 1000, "GET /api/v1/monitor": 1001}}}
    assert rate_floor_s(requests) == 20.01
    assert rate_floor_s(writes_only(requests)) == 10.0
