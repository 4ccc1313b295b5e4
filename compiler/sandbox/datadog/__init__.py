"""The Datadog side: v1 monitors, SLOs and the PagerDuty integration; v2 downtimes, service
definitions and incident configuration, all behind the same auth, rate-limit and schema gate."""

from __future__ import annotations

from compiler.sandbox.auth import check_datadog
from compiler.sandbox.datadog import (
    downtimes,
    incident_config,
    monitors,
    pagerduty_integration,
    service_definitions,
    slos,
)
from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.routing import Request, Response, Router
from compiler.sandbox.world import World

ROUTER = Router(
    monitors.ROUTES
    + slos.ROUTES
    + downtimes.ROUTES
    + service_definitions.ROUTES
    + pagerduty_integration.ROUTES
    + incident_config.ROUTES
)


def _unspecified(req: Request, body: object) -> bool:
    """Bodies Datadog accepts that its published spec does not describe (SPEC_EXCEPTIONS.md):
    backstage.io entities posted to the service definition API."""
    return (
        req.path.rstrip("/") == "/api/v2/services/definitions"
        and isinstance(body, dict)
        and str(body.get("apiVersion", "")).startswith("backstage.io/")
    )


def handle(world: World, req: Request, creds: dict[str, str]) -> Response:
    found = ROUTER.match(req.method, req.path)
    if found is None:
        raise dd_error(404, "Not Found")
    if found is False:
        raise dd_error(405, "Method Not Allowed")
    assert not isinstance(found, bool)
    r, params = found
    check_datadog(req, creds)
    outcome = world.limiter.datadog(r.family, str(req.header("DD-API-KEY")))
    if not outcome.allowed:
        limit = outcome.headers["x-ratelimit-limit"]
        period = outcome.headers["x-ratelimit-period"]
        raise ApiError(
            429,
            {"errors": [f"Rate limit of {limit} requests in {period} seconds reached. Please try again later."]},
            outcome.headers,
        )
    try:
        if world.validator is not None and req.method in ("POST", "PUT", "PATCH") and req.raw_body:
            body = req.json(lambda m: dd_error(400, m))
            api = "datadog-v2" if req.path.startswith("/api/v2/") else "datadog-v1"
            errors = [] if _unspecified(req, body) else world.validator.request_errors(api, req.method, req.path, body)
            if errors:
                raise dd_error(400, *[f"Invalid request body: {e}" for e in errors[:5]])
        resp = r.handler(world, req, params)
    except ApiError as exc:
        exc.headers = {**outcome.headers, **exc.headers}
        raise
    resp.headers = {**outcome.headers, **resp.headers}
    return resp
