"""Real clients pointed at an embedded sandbox.

The product's provider layer configures its clients the same way: only the base
URL and the CA bundle differ from production.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pagerduty
import pytest
from datadog_api_client import ApiClient, Configuration

from compiler.sandbox import RateLimitConfig, SandboxHandle, client_context, start_embedded
from compiler.sandbox.openapi import SPEC_DIR, SpecValidator
from tests.sandbox.spec_exceptions import filter_errors

SPECS = SPEC_DIR  # the trimmed specs packaged with the sandbox (compiler/sandbox/specs/README.md)
RECORDINGS = Path(__file__).resolve().parents[1] / "fixtures" / "recordings"


def datadog_client(handle: SandboxHandle, **extra: Any) -> ApiClient:
    cfg = Configuration(
        host=handle.datadog_url,
        api_key={
            "apiKeyAuth": handle.credentials["datadog_api_key"],
            "appKeyAuth": handle.credentials["datadog_app_key"],
        },
        ssl_ca_cert=str(handle.ca_file),
        **extra,
    )
    return ApiClient(cfg)


def pagerduty_client(handle: SandboxHandle) -> pagerduty.RestApiV2Client:
    assert handle.ca_file is not None
    client = pagerduty.RestApiV2Client(
        handle.credentials["pagerduty_token"],
        default_from=handle.credentials["pagerduty_from"],
        base_url=handle.pagerduty_url,
        verify=client_context(handle.ca_file),
    )
    client.sleep_timer = 0.01
    return client


def events_client(handle: SandboxHandle, routing_key: str) -> pagerduty.EventsApiV2Client:
    assert handle.ca_file is not None
    return pagerduty.EventsApiV2Client(routing_key, base_url=handle.events_url, verify=client_context(handle.ca_file))


@pytest.fixture(scope="session")
def spec_validator() -> SpecValidator:
    v = SpecValidator(SPECS)
    v.preload()
    return v


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    limits = RateLimitConfig(pagerduty_per_minute=100_000, events_per_minute=100_000)
    with start_embedded(tmp_path_factory.mktemp("sandbox-state"), rate_limits=limits, spec_dir=SPECS) as handle:
        yield handle


@pytest.fixture()
def dd(sandbox: SandboxHandle) -> Iterator[ApiClient]:
    with datadog_client(sandbox) as client:
        yield client


@pytest.fixture()
def pd(sandbox: SandboxHandle) -> pagerduty.RestApiV2Client:
    return pagerduty_client(sandbox)


SPEC_API = {"/api/v1/": "datadog-v1", "/api/v2/": "datadog-v2", "/v2/enqueue": "events"}


def api_of(path: str) -> str:
    return next((api for prefix, api in SPEC_API.items() if path.startswith(prefix)), "pagerduty")


@pytest.fixture(autouse=True)
def schema_checked(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every response the sandbox sends during a contract test must match the published response schema."""
    if "sandbox" not in request.fixturenames:
        yield
        return
    handle: SandboxHandle = request.getfixturevalue("sandbox")
    validator: SpecValidator = request.getfixturevalue("spec_validator")
    seen: list[tuple[str, str, int, Any]] = []

    def observe(req: Any, resp: Any) -> None:
        seen.append((req.method, req.path, resp.status, resp.body))

    handle.observe(observe)
    yield
    handle.observe(None)

    problems = []
    for method, path, status, body in seen:
        api = api_of(path)
        if status == 429 and "injected" in str(body):
            continue
        errors = filter_errors(api, method, path, status, validator.response_errors(api, method, path, status, body))
        if errors:
            problems.append(f"{method} {path} -> {status}: {errors[:3]}")
    assert not problems, "responses violate the published schema:\n" + "\n".join(problems)
