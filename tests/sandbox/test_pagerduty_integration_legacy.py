"""The legacy whole-integration endpoint `/api/v1/integration/pagerduty` beside the service objects:
PUT answers 204 and merges, GET lists every service object with its key masked (as recorded in
terraform-provider-datadog's TestAccDatadogIntegrationPagerdutyServiceObject_Basic cassette)."""

from __future__ import annotations

from compiler.sandbox import SandboxHandle
from tests.sandbox.test_incident_config import _call

WHOLE = "/api/v1/integration/pagerduty"
SERVICES = "/api/v1/integration/pagerduty/configuration/services"


def test_whole_integration_lists_service_objects_with_masked_keys(sandbox: SandboxHandle) -> None:
    settings = {"subdomain": "testdomain", "schedules": ["https://x.pagerduty.com/schedules/X1"], "api_token": "t0k"}
    assert _call(sandbox, "PUT", WHOLE, settings) == (204, None)
    for name in ("legacy-foo", "legacy-bar"):
        assert _call(sandbox, "POST", SERVICES, {"service_name": name, "service_key": "secret-" + name})[0] == 201
    status, whole = _call(sandbox, "GET", WHOLE)
    assert status == 200
    assert whole["subdomain"] == "testdomain" and whole["api_token"] == "*****"
    assert whole["schedules"] == settings["schedules"] and whole["show_all_incidents"] is False
    listed = [s for s in whole["services"] if s["service_name"].startswith("legacy-")]
    assert listed == [
        {"service_name": "legacy-foo", "service_key": "*****"},
        {"service_name": "legacy-bar", "service_key": "*****"},
    ]
    assert "secret" not in str(whole)


def test_put_with_services_replaces_them(sandbox: SandboxHandle) -> None:
    body = {"services": [{"service_name": "only-one", "service_key": "k"}]}
    assert _call(sandbox, "PUT", WHOLE, body)[0] == 204
    _, whole = _call(sandbox, "GET", WHOLE)
    assert [s["service_name"] for s in whole["services"]] == ["only-one"]
    assert _call(sandbox, "GET", f"{SERVICES}/only-one") == (200, {"service_name": "only-one"})
    assert _call(sandbox, "PUT", WHOLE, {"services": [{"service_name": "x"}]})[0] == 400
