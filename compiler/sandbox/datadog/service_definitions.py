"""v2 service definitions (Software Catalog, schema v2.2).

POST is an upsert of the raw schema document. The server fills empty
containers, normalizes `dd-service` and tags, and answers GET in the schema
version asked for; the sandbox stores v2.2 and serves v2.2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import yaml

from compiler.sandbox.datadog.common import bad, int_arg, normalize_tag
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

KIND = "dd_service_definition"
FAMILY = "service_definition_api"
VERSIONS = {"v2", "v2.1", "v2.2"}
CONTACT_TYPES = {"email", "slack", "microsoft-teams"}
LINK_TYPES = {"runbook", "doc", "repo", "dashboard", "other"}


def _document(req: Request) -> dict[str, Any]:
    if not req.raw_body:
        raise bad("Request body is empty")
    try:
        doc = yaml.safe_load(req.raw_body)  # JSON is YAML; Terraform posts YAML
    except yaml.YAMLError as exc:
        raise bad(f"Invalid service definition document: {exc}") from exc
    if not isinstance(doc, dict):
        raise bad("Invalid service definition document: expected an object")
    return doc


def _normalize(doc: dict[str, Any]) -> dict[str, Any]:
    version = doc.get("schema-version")
    if version not in VERSIONS:
        raise bad(f"Invalid schema-version {version!r}; supported: {sorted(VERSIONS)}")
    name = doc.get("dd-service")
    if not isinstance(name, str) or not name.strip():
        raise bad("dd-service is required")
    for c in doc.get("contacts") or []:
        if not isinstance(c, dict) or c.get("type") not in CONTACT_TYPES or not c.get("contact"):
            raise bad(f"Invalid contact {c!r}: type must be one of {sorted(CONTACT_TYPES)} with a contact")
    for link in doc.get("links") or []:
        if not isinstance(link, dict) or not link.get("name") or not link.get("url"):
            raise bad(f"Invalid link {link!r}: name and url are required")
        if version == "v2.2" and link.get("type") not in LINK_TYPES:
            raise bad(f"Invalid link type {link.get('type')!r}")
    schema: dict[str, Any] = {"schema-version": "v2.2", "dd-service": normalize_tag(name)}
    schema["team"] = doc.get("team") or ""
    schema["contacts"] = [dict(c) for c in doc.get("contacts") or []]
    schema["links"] = [dict(link) for link in doc.get("links") or []]
    schema["tags"] = [normalize_tag(t) for t in doc.get("tags") or []]
    integrations = dict(doc.get("integrations") or {})
    if isinstance(integrations.get("pagerduty"), str):  # v2 → v2.2
        integrations["pagerduty"] = {"service-url": integrations["pagerduty"]}
    schema["integrations"] = integrations
    schema["extensions"] = dict(doc.get("extensions") or {})
    for key in ("application", "description", "tier", "lifecycle", "type", "languages", "ci-pipeline-fingerprints"):
        if key in doc:
            schema[key] = doc[key]
    return schema


def _meta(ingested: str, when: dt.datetime) -> dict[str, Any]:
    return {
        "last-modified-time": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "github-html-url": "",
        "ingestion-source": "api",
        "origin": "unknown",
        "origin-detail": "",
        "warnings": [],
        "ingested-schema-version": ingested,
    }


def upsert(world: World, req: Request, _: dict[str, str]) -> Response:
    doc = _document(req)
    schema = _normalize(doc)
    name = schema["dd-service"]
    item = {
        "id": hashlib.md5(name.encode()).hexdigest(),
        "meta": _meta(str(doc["schema-version"]), world.now()),
        "schema": schema,
    }
    world.store.put(KIND, name, item)
    return Response(
        200, {"data": [{"type": "service-definition", "attributes": {"meta": item["meta"], "schema": schema}}]}
    )


def _render(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "service-definition",
        "id": item["id"],
        "attributes": {"meta": item["meta"], "schema": item["schema"]},
    }


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    version = req.arg("schema_version")
    if version is not None and version not in VERSIONS:
        raise bad(f"Invalid schema_version {version!r}")
    item = world.store.get(KIND, normalize_tag(p["service_name"]))
    if item is None:
        raise dd_error(404, "Not Found")
    return Response(200, {"data": _render(item)})


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    if not world.store.delete(KIND, normalize_tag(p["service_name"])):
        raise dd_error(404, "Not Found")
    return Response(204)


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    size = int_arg(req, "page[size]", 10, minimum=1) or 10
    number = int_arg(req, "page[number]", 0) or 0
    items = sorted(world.store.list(KIND), key=lambda i: i["id"])
    page = items[number * size : (number + 1) * size]
    return Response(200, {"data": [_render(i) for i in page]})


ROUTES = [
    route("GET", "/api/v2/services/definitions", list_, FAMILY),
    route("POST", "/api/v2/services/definitions", upsert, FAMILY),
    route("GET", "/api/v2/services/definitions/{service_name}", get, FAMILY),
    route("DELETE", "/api/v2/services/definitions/{service_name}", delete, FAMILY),
]
