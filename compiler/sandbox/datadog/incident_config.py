"""v2 incident configuration: incident types, notification rules, notification templates and
postmortem templates (the objects issue 15's incident kinds compile to).

All four are JSON:API resources with the same life cycle (create 201, get, list, update, delete
204). What differs is declared per resource: the type name, required attributes, server-filled
defaults, the timestamp spelling (`createdAt` vs `created`) and which relationships come back.
Shapes follow the recorded answers (v2/test_create_incident_notification_{rule,template}...).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from compiler.sandbox.datadog.common import bad, body_object
from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.routing import Request, Response, Route, resource_routes
from compiler.sandbox.world import World

FAMILY = "incidents_api"
USER_ID = "3ad549bf-eba0-11e9-a77a-0705486660d0"  # the sandbox account's user, as a Datadog user uuid
INCIDENT_TYPE_KIND = "dd_incident_type"


def _stamp(world: World) -> str:
    """Datadog's nanosecond RFC 3339 in UTC (`2026-02-23T14:06:35.091613563Z`)."""
    return world.now().strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def _user() -> dict[str, Any]:
    return {"data": {"id": USER_ID, "type": "users"}}


def _generic_404(detail: str) -> ApiError:
    return ApiError(404, {"errors": [{"title": "Generic Error", "detail": detail}]})


def _not_found() -> ApiError:
    return ApiError(404, {"errors": [{"status": "404", "title": "Not Found"}]})


@dataclass(frozen=True)
class Resource:
    kind: str
    type: str
    path: str
    required: tuple[str, ...]
    defaults: dict[str, Any] = field(default_factory=dict)
    camel_stamps: bool = False  # createdAt/modifiedAt (+ createdBy) instead of created/modified
    extra_relationships: tuple[str, ...] = ()  # always present, `data: null` unless set
    check: Callable[[dict[str, Any]], None] | None = None
    # Datadog's 404 for an unknown id of this resource (recorded: JSON:API error objects)
    missing: Callable[[], ApiError] = _not_found
    no_type: str = "incident type not found"  # the 404 detail for an unknown incident type
    paged: bool = False  # the list answers `meta.pagination` (recorded for notification rules only)


def _check_rule(attrs: dict[str, Any]) -> None:
    for cond in attrs.get("conditions") or []:
        if not isinstance(cond, dict) or not cond.get("field") or not isinstance(cond.get("values"), list):
            raise bad("Invalid condition: field and values are required")
    if not isinstance(attrs.get("handles"), list) or not attrs["handles"]:
        raise bad("handles must be a non-empty list")
    visibility = attrs.get("visibility")
    if visibility is not None and visibility not in ("all", "organization", "private"):
        raise bad(f"Invalid visibility {visibility!r}")


INCIDENT_TYPES = Resource(
    INCIDENT_TYPE_KIND,
    "incident_types",
    "/api/v2/incidents/config/types",
    ("name",),
    {"description": "", "is_default": False, "prefix": "IR"},
    camel_stamps=True,
    extra_relationships=(
        "google_chat_configuration",
        "google_meet_configuration",
        "microsoft_teams_configuration",
        "zoom_configuration",
    ),
)
NOTIFICATION_RULES = Resource(
    "dd_incident_notification_rule",
    "incident_notification_rules",
    "/api/v2/incidents/config/notification-rules",
    ("conditions", "handles", "trigger"),
    {"enabled": False, "renotify_on": [], "visibility": "organization"},
    check=_check_rule,
    missing=lambda: _generic_404("rule not found"),
    no_type="incident type doesn't exist",  # recorded: v2 test_update_incident_notification_rule_..._not_found
    paged=True,
)
NOTIFICATION_TEMPLATES = Resource(
    "dd_incident_notification_template",
    "notification_templates",
    "/api/v2/incidents/config/notification-templates",
    ("name", "subject", "content", "category"),
)
POSTMORTEM_TEMPLATES = Resource(
    "dd_incident_postmortem_template",
    "postmortem_template",
    "/api/v2/incidents/config/postmortem-templates",
    ("name",),
    # the current API (datadog-api-client 2.62's response model) always answers these three
    {"content": "", "is_default": None, "location": "datadog_notebooks"},
    camel_stamps=True,
)
RESOURCES = (INCIDENT_TYPES, NOTIFICATION_RULES, NOTIFICATION_TEMPLATES, POSTMORTEM_TEMPLATES)


def _data(req: Request, res: Resource, partial: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    body = body_object(req)
    data = body.get("data")
    if not isinstance(data, dict):
        raise bad("data is required")
    if data.get("type") != res.type:
        detail = f'got type "{data.get("type")}" expected one of "{res.type}"'
        raise ApiError(400, {"errors": [{"status": "400", "title": "Bad Request", "detail": detail}]})
    attrs = data.get("attributes")
    if not isinstance(attrs, dict):
        raise bad("data.attributes is required")
    if not partial:
        missing = [a for a in res.required if attrs.get(a) in (None, "")]
        if missing:
            raise bad(*[f"attributes.{a} is required" for a in missing])
    for key in ("name", "subject", "content", "category", "trigger", "description"):
        if key in attrs and attrs[key] is not None and not isinstance(attrs[key], str):
            raise bad(f"attributes.{key} must be a string")
    relationships = data.get("relationships") or {}
    if not isinstance(relationships, dict):
        raise bad("data.relationships must be an object")
    return attrs, relationships


def _incident_type_ref(world: World, res: Resource, relationships: dict[str, Any]) -> dict[str, Any] | None:
    ref = (relationships.get("incident_type") or {}).get("data")
    if ref is None:
        return None
    if not isinstance(ref, dict) or ref.get("type") != "incident_types":
        raise bad("relationships.incident_type.data must reference incident_types")
    if world.store.get(INCIDENT_TYPE_KIND, str(ref.get("id"))) is None:
        raise _generic_404(res.no_type)
    return {"id": ref["id"], "type": "incident_types"}


def _template_ref(world: World, res: Resource, relationships: dict[str, Any]) -> dict[str, Any] | None:
    """A notification rule's template (the message it sends); kept and returned like its incident type."""
    ref = (relationships.get("notification_template") or {}).get("data")
    if ref is None or res is not NOTIFICATION_RULES:
        return None
    if not isinstance(ref, dict) or ref.get("type") != NOTIFICATION_TEMPLATES.type:
        raise bad("relationships.notification_template.data must reference notification_templates")
    if world.store.get(NOTIFICATION_TEMPLATES.kind, str(ref.get("id"))) is None:
        raise dd_error(404, f"Notification template {ref.get('id')} not found")
    return {"id": ref["id"], "type": NOTIFICATION_TEMPLATES.type}


def _render(res: Resource, obj: dict[str, Any]) -> dict[str, Any]:
    rels: dict[str, Any] = {"created_by_user": _user()}
    for name in res.extra_relationships:
        rels[name] = {"data": None}
    if obj.get("incident_type") is not None:
        rels["incident_type"] = {"data": obj["incident_type"]}
    if obj.get("notification_template") is not None:
        rels["notification_template"] = {"data": obj["notification_template"]}
    rels["last_modified_by_user"] = _user()
    return {
        "id": obj["id"],
        "type": res.type,
        "attributes": dict(obj["attributes"]),
        "relationships": dict(sorted(rels.items())),
    }


def _handlers(res: Resource) -> list[Route]:
    def load(world: World, p: dict[str, str]) -> dict[str, Any]:
        obj = world.store.get(res.kind, next(iter(p.values())))
        if obj is None:
            raise res.missing()
        return obj

    def create(world: World, req: Request, _: dict[str, str]) -> Response:
        attrs, relationships = _data(req, res, partial=False)
        if res.check is not None:
            res.check(attrs)
        now = _stamp(world)
        stored = {**res.defaults, **{k: v for k, v in attrs.items() if v is not None}}
        if res.camel_stamps:
            stored.update(createdAt=now, modifiedAt=now)
            if res is INCIDENT_TYPES:
                stored.update(createdBy=USER_ID, lastModifiedBy=USER_ID)
        else:
            stored.update(created=now, modified=now)
        new_id = str(uuid.uuid4())
        obj: dict[str, Any] = {
            "id": new_id,
            "attributes": dict(sorted(stored.items())),
            "incident_type": _incident_type_ref(world, res, relationships),
            "notification_template": _template_ref(world, res, relationships),
        }
        world.store.put(res.kind, new_id, obj)
        return Response(201, {"data": _render(res, obj)})

    def get(world: World, req: Request, p: dict[str, str]) -> Response:
        return Response(200, {"data": _render(res, load(world, p))})

    def list_(world: World, req: Request, _: dict[str, str]) -> Response:
        items = sorted(
            world.store.list(res.kind), key=lambda o: o["attributes"].get("createdAt") or o["attributes"].get("created")
        )
        body: dict[str, Any] = {"data": [_render(res, o) for o in items]}
        if res.paged:
            body["meta"] = {"pagination": {"offset": 0, "next_offset": len(items), "size": len(items)}}
        return Response(200, body)

    def update(world: World, req: Request, p: dict[str, str]) -> Response:
        attrs, relationships = _data(req, res, partial=req.method == "PATCH")
        incident_type = _incident_type_ref(world, res, relationships)  # checked before the object (recorded)
        obj = load(world, p)
        merged = {**obj["attributes"], **{k: v for k, v in attrs.items() if v is not None}}
        if res.check is not None:
            res.check(merged)
        merged["modifiedAt" if res.camel_stamps else "modified"] = _stamp(world)
        obj["attributes"] = dict(sorted(merged.items()))
        if "incident_type" in relationships:
            obj["incident_type"] = incident_type
        if "notification_template" in relationships:
            obj["notification_template"] = _template_ref(world, res, relationships)
        world.store.put(res.kind, obj["id"], obj)
        return Response(200, {"data": _render(res, obj)})

    def delete(world: World, req: Request, p: dict[str, str]) -> Response:
        obj = load(world, p)
        world.store.delete(res.kind, obj["id"])
        return Response(204)

    update_method = "PUT" if res is NOTIFICATION_RULES else "PATCH"
    routes = resource_routes(FAMILY, res.path, res.path + "/{id}", (list_, create, get, update, delete), update_method)
    return [replace(r, unspecified=_wrong_type(res)) if r.method != "GET" else r for r in routes]


def _wrong_type(res: Resource) -> Callable[[Any], bool]:
    """Datadog reads `data.type` before validating the rest: a body of another type is answered by the
    handler's JSON:API 400 (`got type "x" expected one of "y"`, recorded for notification rules and
    templates), not by the spec gate's string error."""

    def wrong(body: Any) -> bool:
        data = body.get("data") if isinstance(body, dict) else None
        return isinstance(data, dict) and isinstance(data.get("type"), str) and data["type"] != res.type

    return wrong


ROUTES = [r for res in RESOURCES for r in _handlers(res)]
