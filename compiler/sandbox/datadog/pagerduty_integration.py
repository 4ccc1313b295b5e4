"""v1 PagerDuty integration: the service objects (the name → integration key map that
`@pagerduty-<name>` handles resolve through) and the legacy whole-integration endpoint
`GET/PUT /api/v1/integration/pagerduty` real clients still use for a bulk read.

Keys and the API token are write-only: reads show them as "*****" (recorded:
terraform-provider-datadog cassette TestAccDatadogIntegrationPagerdutyServiceObject_Basic, where
PUT answers 204 and GET lists every service object with a masked key)."""

from __future__ import annotations

from typing import Any

from compiler.sandbox.datadog.common import bad, body_object
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

KIND = "dd_pagerduty_service"
FAMILY = "integration_pagerduty_api"
BASE = "/api/v1/integration/pagerduty/configuration/services"
WHOLE = "/api/v1/integration/pagerduty"
SETTINGS_KIND = "dd_pagerduty_integration"
MASK = "*****"
LEGACY = "terraform-provider-datadog cassettes TestAccDatadogIntegrationPagerduty*"
DEFAULTS: dict[str, Any] = {"show_all_incidents": False, "filter_services": [], "schedules": [], "subdomain": ""}


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


def get_whole(world: World, req: Request, _: dict[str, str]) -> Response:
    settings = world.store.get(SETTINGS_KIND, "settings") or {}
    out: dict[str, Any] = {**DEFAULTS, **{k: v for k, v in settings.items() if k != "api_token"}}
    if settings.get("api_token"):
        out["api_token"] = MASK
    services = world.store.list(KIND)  # creation order, as recorded
    out["services"] = [{"service_name": s["service_name"], "service_key": MASK} for s in services]
    return Response(200, dict(sorted(out.items())))


def put_whole(world: World, req: Request, _: dict[str, str]) -> Response:
    """Fields sent replace the stored ones; `services`, when sent, replaces the service objects."""
    body = body_object(req)
    for key in ("subdomain", "api_token"):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise bad(f"{key} must be a string")
    for key in ("schedules", "filter_services"):
        if key in body and body[key] is not None and not isinstance(body[key], list):
            raise bad(f"{key} must be a list")
    services = body.get("services")
    if services is not None and (
        not isinstance(services, list)
        or not all(
            isinstance(s, dict) and s.get("service_name") and isinstance(s.get("service_key"), str) for s in services
        )
    ):
        raise bad("services must be a list of {service_name, service_key}")
    with world.store.transaction():
        settings = world.store.get(SETTINGS_KIND, "settings") or {}
        for key in ("subdomain", "api_token", "schedules", "filter_services", "show_all_incidents"):
            if key in body and body[key] is not None:
                settings[key] = body[key]
        world.store.put(SETTINGS_KIND, "settings", settings)
        if services is not None:
            for old in world.store.list(KIND):
                world.store.delete(KIND, old["service_name"])
            for s in services:
                world.store.put(
                    KIND, s["service_name"], {"service_name": s["service_name"], "service_key": s["service_key"]}
                )
    return Response(204)


ROUTES = [
    route("GET", WHOLE, get_whole, FAMILY, undocumented=LEGACY),
    route("PUT", WHOLE, put_whole, FAMILY, undocumented=LEGACY),
    route("POST", BASE, create, FAMILY),
    route("GET", BASE + "/{service_name}", get, FAMILY),
    route("PUT", BASE + "/{service_name}", update, FAMILY),
    route("DELETE", BASE + "/{service_name}", delete, FAMILY),
]
