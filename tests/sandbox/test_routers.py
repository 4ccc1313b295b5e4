"""The routers serve every handler module of their package, and the order they find them in does not matter."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from compiler.sandbox import datadog, pagerduty
from compiler.sandbox.routing import Request, Response, Route, Router, route
from compiler.sandbox.specs.trim import shape
from compiler.sandbox.world import World

ROUTERS = {"compiler.sandbox.datadog": datadog.ROUTER, "compiler.sandbox.pagerduty": pagerduty.ROUTER}


def _ok(world: World, req: Request, params: dict[str, str]) -> Response:
    return Response(200)


@pytest.mark.parametrize("package", ROUTERS)
def test_every_handler_module_of_the_package_is_served(package: str) -> None:
    """A new module with ``ROUTES`` is served without a list naming it (the spec trim reads the router)."""
    served = {id(r) for r in ROUTERS[package].routes}
    found = 0
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
        routes: list[Route] = getattr(importlib.import_module(f"{package}.{info.name}"), "ROUTES", [])
        found += bool(routes)
        assert all(id(r) in served for r in routes), f"{package}.{info.name}: routes not served"
    assert found >= 5


@pytest.mark.parametrize("package", ROUTERS)
def test_no_two_routes_answer_the_same_request(package: str) -> None:
    """Collected in any order, a request finds one route: no method and path shape is served twice."""
    seen = [(r.method, shape(r.template)) for r in ROUTERS[package].routes]
    assert len(seen) == len(set(seen))


def test_a_literal_segment_wins_over_a_parameter_whatever_the_order() -> None:
    by_id, search = route("GET", "/api/v1/slo/{slo_id}", _ok, "slo"), route("GET", "/api/v1/slo/search", _ok, "slo")
    for routes in ([by_id, search], [search, by_id]):
        router = Router(routes)
        assert router.match("GET", "/api/v1/slo/search") == (search, {})
        assert router.match("GET", "/api/v1/slo/abc") == (by_id, {"slo_id": "abc"})
        assert router.match("DELETE", "/api/v1/slo/abc") is False
        assert router.match("GET", "/api/v1/slo/abc/history") is None
