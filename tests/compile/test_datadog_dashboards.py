"""The service overview dashboard compiled from a service, its opt-out, and native dashboards' own checks."""

from __future__ import annotations

import json
from pathlib import Path

from compiler.compile import compile_definitions
from compiler.definitions import Definitions, load_definitions
from tests.definitions.base_set import SERVICE, write_set

NATIVE = """\
datadog_dashboards:
  - key: {key}
    title: Checkout overview
    layout_type: ordered
    tags: [{tag}]
    widgets:
      - definition: {{type: note, content: hello}}
"""


def _load(tmp_path: Path, **files: str) -> tuple[Definitions | None, list[str]]:
    result = load_definitions(write_set(tmp_path / "set", files))
    return result.definitions, [f.render().replace(f"{tmp_path}/", "") for f in result.findings]


def test_a_service_gets_an_overview_naming_what_it_links_as_dependencies(tmp_path: Path) -> None:
    definitions, findings = _load(tmp_path)
    assert definitions is not None, findings
    dashboard = compile_definitions(definitions).resources.get("datadog:dashboard/api")
    assert dashboard is not None
    groups = [w["definition"]["title"] for w in dashboard.body["widgets"]]
    assert groups == ["Responding", "Service level objectives", "Monitors"]  # drives no banner: no banner group
    assert dashboard.body["tags"] == ["team:web"] and dashboard.body["title"] == "API: service overview"
    assert set(dashboard.depends_on) == {
        "pagerduty:service/api",
        "pagerduty:escalation_policy/web-escalation",
        "pagerduty:schedule/web-primary",
        "datadog:slo/api-availability",
    }
    text = json.dumps(dashboard.body)
    for address in dashboard.depends_on:  # every dependency is linked by a placeholder apply resolves
        assert address in text


def test_dashboards_false_compiles_no_overview(tmp_path: Path) -> None:
    service = SERVICE.replace("    users_per_hour: 5000\n", "    users_per_hour: 5000\n    dashboards: false\n")
    definitions, findings = _load(tmp_path, **{"service.yaml": service})
    assert definitions is not None, findings
    compiled = compile_definitions(definitions).resources
    assert [r.address for r in compiled if r.kind == "dashboard"] == []


def test_a_native_dashboard_on_a_generated_key_is_refused_until_the_service_opts_out(tmp_path: Path) -> None:
    native = NATIVE.format(key="api", tag="team:web")
    _, findings = _load(tmp_path, **{"dashboards.yaml": native})
    assert findings == [
        "set/dashboards.yaml:2:10: [R313] key 'api' is also a service with a generated dashboard: both would be "
        "one object\n  hint: rename the key, or set 'dashboards: false' on the service"
    ]
    service = SERVICE.replace("    users_per_hour: 5000\n", "    users_per_hour: 5000\n    dashboards: false\n")
    definitions, findings = _load(tmp_path / "opted-out", **{"dashboards.yaml": native, "service.yaml": service})
    assert definitions is not None, findings
    dashboard = compile_definitions(definitions).resources.get("datadog:dashboard/api")
    assert dashboard is not None and dashboard.native
    assert dashboard.body == {
        "title": "Checkout overview",
        "layout_type": "ordered",
        "widgets": [{"definition": {"type": "note", "content": "hello"}}],
        "tags": ["team:web"],
    }


def test_a_native_dashboard_takes_only_team_tags(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, **{"dashboards.yaml": NATIVE.format(key="checkout", tag="env:prod")})
    assert len(findings) == 1
    assert "dashboard tag 'env:prod' is not 'team:<name>'" in findings[0]
    assert "Datadog takes only team tags on dashboards" in findings[0]
