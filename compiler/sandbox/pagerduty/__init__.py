"""The PagerDuty side: REST API v2 behind token auth, the versioned Accept
header, the `From` header where the spec requires it, 960/min per token, and the
Events API v2 on its own path."""

from __future__ import annotations

from compiler.sandbox.auth import check_pagerduty
from compiler.sandbox.errors import ApiError, pd_error, pd_invalid
from compiler.sandbox.pagerduty import incidents
from compiler.sandbox.routing import Request, Response, Router, dispatch, routes_of
from compiler.sandbox.world import World

# Every handler module of this package is served: its ``ROUTES`` are collected (as in ``sandbox/datadog``).
COLLECTS = ("compiler.sandbox.pagerduty",)
ROUTER = Router(routes_of(COLLECTS))
ACCEPT = "application/vnd.pagerduty+json;version=2"


def handle(world: World, req: Request, creds: dict[str, str]) -> Response:
    token = check_pagerduty(req, creds)
    outcome = world.limiter.pagerduty(token)
    if not outcome.allowed:
        raise ApiError(429, {"error": {"message": "Rate Limit Exceeded", "code": 2020}}, outcome.headers)
    try:
        accept = (req.header("Accept") or "").replace(" ", "")
        if ACCEPT not in accept:
            raise pd_error(400, "Invalid Input Provided", 2001, [f"The Accept header must request {ACCEPT}"])
        found = ROUTER.match(req.method, req.path)
        if found is None:
            raise pd_error(404, "Not Found", 2100)
        if found is False:
            raise pd_error(405, "Method Not Allowed", 2000)
    except ApiError as exc:
        exc.headers = {**outcome.headers, **exc.headers}
        raise
    assert not isinstance(found, bool)
    return dispatch(world, req, found, outcome.headers, "pagerduty", lambda errors: pd_invalid(*errors))


def handle_events(world: World, req: Request) -> Response:
    if req.method != "POST" or req.path not in ("/v2/enqueue", "/v2/enqueue/"):
        raise ApiError(404, {"status": "not found", "message": "Not Found", "errors": []})
    return incidents.enqueue(world, req)
