"""v1 PagerDuty integration service objects: the name → integration key map that
`@pagerduty-<name>` handles resolve through. The key is write-only."""

from __future__ import annotations

from compiler.sandbox.datadog.common import bad, body_object
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

KIND = "dd_pagerduty_service"
FAMILY = "integration_pagerduty_api"
BASE = "/api/v1/integration/pagerduty/configuration/services"


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    body = body_object(req)
    name, key = body.get("service_name"), body.get("service_key")
    if not isinstance(name, str) or not name or not isinstance(key, str) or not key:
        raise bad("service_name and service_key are required")
    with world.store.transaction():
        if world.store.get(KIND, name) is not None:
            raise bad(f"Service {name} already exists")
        world.store.put(KIND, name, {"service_name": name, "service_key": key})
    return Response(201, {"service_name": name})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    obj = world.store.get(KIND, p["service_name"])
    if obj is None:
        raise dd_error(404, "Service not found")
    return Response(200, {"service_name": obj["service_name"]})


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req)
    key = body.get("service_key")
    if not isinstance(key, str) or not key:
        raise bad("service_key is required")
    with world.store.transaction():
        obj = world.store.get(KIND, p["service_name"])
        if obj is None:
            raise dd_error(404, "Service not found")
        obj["service_key"] = key
        world.store.put(KIND, p["service_name"], obj)
    return Response(200)


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    if not world.store.delete(KIND, p["service_name"]):
        raise dd_error(404, "Service not found")
    return Response(204)


ROUTES = [
    route("POST", BASE, create, FAMILY),
    route("GET", BASE + "/{service_name}", get, FAMILY),
    route("PUT", BASE + "/{service_name}", update, FAMILY),
    route("DELETE", BASE + "/{service_name}", delete, FAMILY),
]
