"""The Datadog side: v1 monitors, SLOs and the PagerDuty integration; v2 downtimes, service
definitions and incident configuration, all behind the same auth, rate-limit and schema gate."""

from __future__ import annotations

from compiler.sandbox.auth import check_api_key
from compiler.sandbox.datadog import restrictions
from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.evaluation import intake
from compiler.sandbox.evaluation import query as metric_query
from compiler.sandbox.routing import Request, Response, Router, dispatch, routes_of
from compiler.sandbox.world import World

# Every handler module of this package is served: its ``ROUTES`` are collected (the import-graph test
# reads ``COLLECTS``), and the router tries literal paths before parameters, so order does not matter.
COLLECTS = ("compiler.sandbox.datadog",)
ROUTER = Router(routes_of(COLLECTS) + intake.ROUTES + metric_query.ROUTES)  # metric intake and queries: evaluation/


def handle(world: World, req: Request, creds: dict[str, str]) -> Response:
    found = ROUTER.match(req.method, req.path)
    if found is None:
        raise dd_error(404, "Not Found")
    if found is False:
        raise dd_error(405, "Method Not Allowed")
    assert not isinstance(found, bool)
    r, _ = found
    if r.family == intake.INTAKE_FAMILY:
        check_api_key(req, creds)  # metric intake takes the API key alone
    else:
        restrictions.check_access(world, req, creds)  # the key pair's principal; 403 on a restricted edit
    outcome = world.limiter.datadog(r.family, str(req.header("DD-API-KEY")))
    if not outcome.allowed:
        limit = outcome.headers["x-ratelimit-limit"]
        period = outcome.headers["x-ratelimit-period"]
        raise ApiError(
            429,
            {"errors": [f"Rate limit of {limit} requests in {period} seconds reached. Please try again later."]},
            outcome.headers,
        )
    api = "datadog-v2" if req.path.startswith("/api/v2/") else "datadog-v1"
    return dispatch(world, req, found, outcome.headers, api, _invalid)


def _invalid(errors: list[str]) -> ApiError:
    return dd_error(400, *[e if e.startswith("Invalid JSON") else f"Invalid request body: {e}" for e in errors])
