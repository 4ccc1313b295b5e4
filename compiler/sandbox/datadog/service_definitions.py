"""v2 service definitions (Software Catalog: schemas v2, v2.1, v2.2 and backstage.io entities).

POST is an upsert of the raw schema document. The server keeps every field in the
version it was sent in, fills empty containers for v2.2, normalizes `dd-service`
and tags, and answers GET in the schema version asked for (`?schema_version=`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

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
    doc = req.json(bad, yaml_ok=True)  # JSON is YAML; Terraform posts YAML
    if not isinstance(doc, dict):
        raise bad("Invalid service definition document: expected an object")
    return doc


def _check(doc: dict[str, Any], version: str) -> None:
    for c in doc.get("contacts") or []:
        if not isinstance(c, dict) or c.get("type") not in CONTACT_TYPES or not c.get("contact"):
            raise bad(f"Invalid contact {c!r}: type must be one of {sorted(CONTACT_TYPES)} with a contact")
    for link in doc.get("links") or []:
        if not isinstance(link, dict) or not link.get("name") or not link.get("url"):
            raise bad(f"Invalid link {link!r}: name and url are required")
        if version == "v2.2" and link.get("type") not in LINK_TYPES:
            raise bad(f"Invalid link type {link.get('type')!r}")


def _normalize(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The stored document and its key. Everything sent is kept in the version it was sent in
    (v2 `docs`, `repos`, `dd-team`, a string `integrations.pagerduty`, `extensions`, ...); v2.2
    documents get the empty containers Datadog fills. backstage.io entities are kept as sent."""
    api_version = doc.get("apiVersion")
    if isinstance(api_version, str) and api_version.startswith("backstage.io/"):
        name = (doc.get("metadata") or {}).get("name") if isinstance(doc.get("metadata"), dict) else None
        if not isinstance(name, str) or not name.strip():
            raise bad("metadata.name is required")
        return normalize_tag(name), dict(doc)
    version = doc.get("schema-version")
    if version not in VERSIONS:
        raise bad(f"Invalid schema-version {version!r}; supported: {sorted(VERSIONS)}")
    name = doc.get("dd-service")
    if not isinstance(name, str) or not name.strip():
        raise bad("dd-service is required")
    _check(doc, str(version))
    schema: dict[str, Any] = {"schema-version": version, "dd-service": normalize_tag(name)}
    if version == "v2.2":
        schema["team"] = doc.get("team") or ""
        schema["contacts"] = [dict(c) for c in doc.get("contacts") or []]
        schema["links"] = [dict(link) for link in doc.get("links") or []]
    for key, value in doc.items():
        if key not in schema:
            schema[key] = value
    schema["tags"] = [normalize_tag(t) for t in doc.get("tags") or []]
    if version == "v2.2":
        integrations = dict(doc.get("integrations") or {})
        if isinstance(integrations.get("pagerduty"), str):
            integrations["pagerduty"] = {"service-url": integrations["pagerduty"]}
        schema["integrations"] = integrations
        schema["extensions"] = dict(doc.get("extensions") or {})
    return schema["dd-service"], schema


def _as_version(schema: dict[str, Any], version: str | None) -> dict[str, Any]:
    """Serve a stored document in the schema version asked for (`?schema_version=`), the way the
    recorded GET serves a v2-ingested definition as v2.1: docs and repos become typed links,
    `dd-team` becomes `team`, a PagerDuty URL becomes `{service-url}`."""
    stored = schema.get("schema-version")
    if version is None or version == stored or stored not in VERSIONS:
        return schema
    out = {k: v for k, v in schema.items() if k not in ("docs", "repos", "dd-team")}
    out["schema-version"] = version
    if stored == "v2":
        links = [dict(link, type=link.get("type", "other")) for link in schema.get("links") or []]
        links += [dict(r, type="repo") for r in schema.get("repos") or []]
        links += [dict(d, type="doc") for d in schema.get("docs") or []]
        out["links"] = links
        if "dd-team" in schema:
            out["team"] = schema["dd-team"]
        integrations = dict(schema.get("integrations") or {})
        if isinstance(integrations.get("pagerduty"), str):
            integrations["pagerduty"] = {"service-url": integrations["pagerduty"]}
        out["integrations"] = integrations
    return out


def _backstage(body: Any) -> bool:
    """backstage.io entities: accepted by the definitions API, not described by its spec (SPEC_EXCEPTIONS.md)."""
    return isinstance(body, dict) and str(body.get("apiVersion", "")).startswith("backstage.io/")


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
    name, schema = _normalize(doc)
    item = {
        "id": hashlib.md5(name.encode()).hexdigest(),
        "meta": _meta(str(doc.get("schema-version") or doc.get("apiVersion")), world.now()),
        "schema": schema,
    }
    world.store.put(KIND, name, item)
    return Response(
        200, {"data": [{"type": "service-definition", "attributes": {"meta": item["meta"], "schema": schema}}]}
    )


def _render(item: dict[str, Any], version: str | None = None) -> dict[str, Any]:
    return {
        "type": "service-definition",
        "id": item["id"],
        "attributes": {"meta": item["meta"], "schema": _as_version(item["schema"], version)},
    }


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    version = req.arg("schema_version")
    if version is not None and version not in VERSIONS:
        raise bad(f"Invalid schema_version {version!r}")
    item = world.store.get(KIND, normalize_tag(p["service_name"]))
    if item is None:
        raise dd_error(404, "Not Found")
    return Response(200, {"data": _render(item, version)})


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    if not world.store.delete(KIND, normalize_tag(p["service_name"])):
        raise dd_error(404, "Not Found")
    return Response(204)


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    size = int_arg(req, "page[size]", 10, minimum=1) or 10
    number = int_arg(req, "page[number]", 0) or 0
    version = req.arg("schema_version")
    items = sorted(world.store.list(KIND), key=lambda i: i["id"])
    page = items[number * size : (number + 1) * size]
    return Response(200, {"data": [_render(i, version) for i in page]})


ROUTES = [
    route("GET", "/api/v2/services/definitions", list_, FAMILY),
    route("POST", "/api/v2/services/definitions", upsert, FAMILY, yaml_body=True, unspecified=_backstage),
    route("GET", "/api/v2/services/definitions/{service_name}", get, FAMILY),
    route("DELETE", "/api/v2/services/definitions/{service_name}", delete, FAMILY),
]
