"""Datadog list pages as plain JSON, through the official client's request path.

datadog-api-client turns every response into typed models; alertc then turns
them back into dicts to normalize them. For a 1,000-monitor page that round
trip was over half of a large plan's CPU (issue 15). Here a request is built by
the client's own ``Endpoint`` (parameter validation, host selection, the
``DD-API-KEY``/``DD-APPLICATION-KEY`` auth, default headers) and sent through
``ApiClient.call_api`` (the REST layer: TLS, timeouts, the hooks alertc installs
for rate-limit headers), with ``preload_content=False`` so the client hands back
the HTTP response instead of deserializing it; its body is decoded once with
``json.loads``. Errors are raised by the client exactly as for a typed call
(``ApiException`` with status, headers and body), so retries and the limiter see
no difference.

Datadog also serves ``GET /api/v1/integration/pagerduty`` (the whole PagerDuty
integration, service objects included with masked keys) for which the client has
no method; ``legacy_pagerduty_integration`` is an ``Endpoint`` built with the
client's own class for it, authenticated like the client's other PagerDuty
integration endpoints.
"""

from __future__ import annotations

import json
from typing import Any

from datadog_api_client import ApiClient
from datadog_api_client.api_client import Endpoint


def call_json(endpoint: Endpoint, **params: Any) -> Any:
    """Call ``endpoint`` with ``params`` as the client would, returning the response body as plain JSON."""
    host = endpoint._validate_and_get_host(params)  # type: ignore[no-untyped-call]
    gathered = endpoint.gather_params(params)  # type: ignore[no-untyped-call]
    configuration = endpoint.api_client.configuration
    response = endpoint.api_client.call_api(
        endpoint.settings["endpoint_path"],
        endpoint.settings["http_method"],
        gathered["path"],
        gathered["query"],
        gathered["header"],
        body=gathered["body"],
        post_params=gathered["form"],
        files=gathered["file"],
        response_type=None,
        check_type=False,
        return_http_data_only=True,
        preload_content=False,
        request_timeout=configuration.request_timeout,
        host=host,
        collection_formats=gathered["collection_format"],
    )
    try:
        raw = response.data
    finally:
        response.release_conn()
    return json.loads(raw) if raw else None


def legacy_pagerduty_integration(client: ApiClient) -> Endpoint:
    """``GET /api/v1/integration/pagerduty``: the whole integration, every service object with a masked key."""
    return Endpoint(
        settings={
            "response_type": None,
            "auth": ["apiKeyAuth", "appKeyAuth", "AuthZ"],
            "endpoint_path": "/api/v1/integration/pagerduty",
            "operation_id": "get_pager_duty_integration",
            "http_method": "GET",
            "version": "v1",
        },
        params_map={},
        headers_map={"accept": ["application/json"]},
        api_client=client,
    )
