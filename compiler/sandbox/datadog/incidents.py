"""v2 incidents (declare, import, read, update, delete) with their todos, attachments, integration
metadata and impacts, and the v2 users an incident's commander refers to.

Shapes follow the public corpus (v2 `incidents` feature, recorded 2023-2026): an incident gets a
`public_id` and its `IR-<n>` slug, the default incident type, `severity`/`state` mirrored from its
`fields`, `resolved` stamped when its state becomes resolved, and its people as user objects. The
`*_uuid` attributes are null in the create's own answer only (as recorded). Sub-resources are JSON:API objects
belonging to one incident: a missing incident is a 404 in Datadog's `{"title", "detail"}` error form.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compiler.sandbox.datadog import incident_notifications
from compiler.sandbox.datadog.common import bad, body_object, stored
from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.routing import Request, Response, Route, resource_routes, route
from compiler.sandbox.world import World

KIND = "dd_incident"
USERS = "dd_user"
FAMILY = "incidents_api"
USER_ID = "3ad549bf-eba0-11e9-a77a-0705486660d0"  # the sandbox account's user (incident_config.USER_ID)
DEFAULT_TYPE = "41d2e10b-4108-4736-92d7-791d00ea0702"
ORG_UUID = "4dee724d-00cc-11ea-a77b-570c9d03c6c5"
FIELDS: dict[str, dict[str, Any]] = {
    "teams": {"type": "autocomplete", "value": None},
    "severity": {"type": "dropdown", "value": "UNKNOWN"},
    "state": {"type": "dropdown", "value": "active"},
    "detection_method": {"type": "dropdown", "value": "unknown"},
    "root_cause": {"type": "textbox", "value": None},
    "summary": {"type": "textbox", "value": None},
    "services": {"type": "autocomplete", "value": None},
}
RESOLVED = {"resolved", "completed"}
# The org's default incident fields are user-defined fields too (one per entry of `fields`).
FIELD_IDS = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-incident-field-{n}")) for n in [*FIELDS, "slug"]]


# The `*_by_uuid` attributes are null in the answer to a create and set on every later read (recorded: v2
# `test_get_the_details_of_an_incident_returns_ok_response` and `test_get_incident_todo_details_...`: the
# create answered null, the GET right after named the creator). A create answers with `_stamped: False`.
_STAMPED = "_stamped"


def _now(world: World) -> str:
    return world.now().astimezone(dt.UTC).isoformat(timespec="microseconds")


def _gone(detail: str) -> ApiError:
    return ApiError(404, {"errors": [{"title": "Generic Error", "detail": detail}]})


def _person(world: World, user_id: str | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    user = world.store.get(USERS, user_id) or {"email": "sandbox@example.com", "name": None}
    icon = "https://secure.gravatar.com/avatar/" + hashlib.md5(user["email"].encode()).hexdigest() + "?s=48&d=retro"
    attributes = {"uuid": user_id, "handle": user["email"], "email": user["email"], "name": user["name"], "icon": icon}
    return {"data": {"type": "users", "id": user_id, "attributes": attributes}}


def _ref(kind: str, obj_id: str | None) -> dict[str, Any]:
    return {"data": None if obj_id is None else {"type": kind, "id": obj_id}}


def _data(req: Request, kind: str) -> dict[str, Any]:
    data = body_object(req).get("data")
    if not isinstance(data, dict):
        raise bad("data is required")
    if data.get("type") != kind:
        raise ApiError(
            400,
            {
                "errors": [
                    {
                        "status": "400",
                        "title": "Bad Request",
                        "detail": f'got type "{data.get("type")}" expected one of "{kind}"',
                    }
                ]
            },
        )
    return data


def _commander(world: World, relationships: Any) -> tuple[bool, str | None]:
    ref = (relationships or {}).get("commander_user") if isinstance(relationships, dict) else None
    if not isinstance(ref, dict) or "data" not in ref:
        return False, None
    data = ref["data"]
    return True, (str(data["id"]) if isinstance(data, dict) and data.get("id") else None)


# -- incidents ------------------------------------------------------------------------------------------
def _apply(world: World, inc: dict[str, Any], attrs: dict[str, Any], *, stamp: bool = True) -> None:
    for key, value in attrs.items():
        if key == "fields" and isinstance(value, dict):
            for name, field in value.items():
                inc["fields"][name] = {**inc["fields"].get(name, {}), **field} if isinstance(field, dict) else field
        elif key not in ("public_id", "created", "modified", "resolved"):
            inc[key] = value
    state = inc["fields"].get("state", {}).get("value")
    if not stamp:  # recorded: declared already resolved, `resolved` stays null until an update
        return
    if state in RESOLVED and inc.get("resolved") is None:
        inc["resolved"] = _now(world)
    elif state not in RESOLVED:
        inc["resolved"] = None


def _new(world: World, attrs: dict[str, Any], commander: str | None) -> dict[str, Any]:
    if not isinstance(attrs.get("title"), str) or not attrs["title"]:
        raise bad("title is required")
    now = _now(world)
    number = world.store.next_counter("incident_public_id", 338001)
    inc: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "public_id": number,
        "incident_type_uuid": DEFAULT_TYPE,
        "customer_impact_scope": None,
        "customer_impact_start": None,
        "customer_impact_end": None,
        "customer_impacted": False,
        "notification_handles": None,
        "created": now,
        "modified": now,
        "detected": now,
        "declared": now,
        "resolved": None,
        "archived": None,
        "is_test": False,
        "visibility": "organization",
        "case_id": None,
        "creation_idempotency_key": None,
        "non_datadog_creator": None,
        "field_analytics": None,
        "fields": {**copy.deepcopy(FIELDS), "slug": {"type": "textbox", "value": f"IR-{number}"}},
        "commander": commander,
        "updated": False,
    }
    _apply(world, inc, attrs, stamp=False)
    return inc


def render(world: World, inc: dict[str, Any]) -> dict[str, Any]:
    by = USER_ID if inc["updated"] or inc.get("_stamped", True) else None
    attributes = {k: v for k, v in inc.items() if k not in ("id", "commander", "updated", "imported", "_stamped")}
    attributes.update(
        title=inc["title"],
        severity=inc["fields"].get("severity", {}).get("value"),
        state=inc["fields"].get("state", {}).get("value"),
        commander=_person(world, inc["commander"]),
        created_by=_person(world, USER_ID),
        last_modified_by=_person(world, USER_ID),
        declared_by=_person(world, USER_ID),
        created_by_uuid=by,
        last_modified_by_uuid=by,
        declared_by_uuid=by,
        customer_impact_duration=0,
        time_to_detect=0,
        time_to_repair=0,
        time_to_internal_response=0,
        time_to_resolve=0,
    )
    children = {kind: [o["id"] for o in world.store.list(kind) if o["incident_id"] == inc["id"]] for kind in CHILDREN}
    relationships = {
        "created_by_user": _ref("users", USER_ID),
        "last_modified_by_user": _ref("users", USER_ID),
        "commander_user": _ref("users", inc["commander"]),
        "declared_by_user": _ref("users", USER_ID),
        "integrations": {"data": [{"type": "incident_integrations", "id": i} for i in children[INTEGRATIONS.kind]]},
        "attachments": {"data": [{"type": "incident_attachments", "id": i} for i in children[ATTACHMENTS.kind]]},
        "impacts": {"data": [{"type": "incident_impacts", "id": i} for i in children[IMPACTS.kind]]},
        "user_defined_fields": {"data": [{"type": "user_defined_field", "id": i} for i in FIELD_IDS]},
        "responders": {"data": [{"type": "incident_responders", "id": i} for i in _responders(inc)]},
    }
    if inc.get("imported"):
        relationships["incident_type"] = _ref("incident_types", inc["incident_type_uuid"])
    return {"type": "incidents", "id": inc["id"], "attributes": attributes, "relationships": relationships}


def _responders(inc: dict[str, Any]) -> list[str]:
    """Who has responded: the commander and whoever changed the incident (recorded: none on declare)."""
    people = [p for p in (inc["commander"], USER_ID if inc["updated"] else None) if p is not None]
    return [str(uuid.uuid5(uuid.NAMESPACE_URL, f"{inc['id']}/{p}")) for p in dict.fromkeys(people)]


def _get(world: World, incident_id: str) -> dict[str, Any]:
    return stored(world, KIND, incident_id, f"incident {incident_id} not found")


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    data = _data(req, "incidents")
    _sent, commander = _commander(world, data.get("relationships"))
    with world.store.transaction():
        inc = _new(world, dict(data.get("attributes") or {}), commander)
        answer = render(world, {**inc, _STAMPED: False})
        world.store.put(KIND, inc["id"], inc)
        incident_notifications.notify(world, None, inc)
    return Response(201, {"data": answer})


def import_(world: World, req: Request, _: dict[str, str]) -> Response:
    data = _data(req, "incidents")
    with world.store.transaction():
        inc = _new(world, dict(data.get("attributes") or {}), None)
        inc["imported"] = True  # recorded: no responders, the incident type as a relationship
        world.store.put(KIND, inc["id"], inc)
    return Response(201, {"data": render(world, inc)})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, {"data": render(world, _get(world, p["incident_id"]))})


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    data = _data(req, "incidents")
    with world.store.transaction():
        inc = _get(world, p["incident_id"])
        before = copy.deepcopy(inc)
        _apply(world, inc, dict(data.get("attributes") or {}))
        sent, commander = _commander(world, data.get("relationships"))
        if sent:
            inc["commander"] = commander
        inc["modified"], inc["updated"] = _now(world), True
        world.store.put(KIND, inc["id"], inc)
        incident_notifications.notify(world, before, inc)
    return Response(200, {"data": render(world, inc)})


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        inc = _get(world, p["incident_id"])
        world.store.delete(KIND, inc["id"])
        for kind in CHILDREN:
            for child in world.store.list(kind):
                if child["incident_id"] == inc["id"]:
                    world.store.delete(kind, child["id"])
    return Response(204)


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    items = [render(world, i) for i in world.store.list(KIND)]
    meta = {"pagination": {"offset": 0, "next_offset": len(items), "size": len(items)}}
    return Response(200, {"data": items, "meta": meta})


def search(world: World, req: Request, _: dict[str, str]) -> Response:
    query = (req.arg("query") or "").lower()
    hits = [render(world, i) for i in world.store.list(KIND) if not query or query in str(i.get("title", "")).lower()]
    attributes = {"incidents": [{"data": h} for h in hits], "total": len(hits), "facets": {}}
    return Response(200, {"data": {"type": "incidents_search_results", "attributes": attributes}})


# -- sub-resources --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Child:
    kind: str
    type: str
    path: str
    render: Callable[[World, dict[str, Any]], dict[str, Any]]
    defaults: tuple[tuple[str, Any], ...] = ()
    missing: str = "not found"
    one: tuple[str, ...] = ("GET", "PATCH", "DELETE")  # what the API serves on one child
    no_incident: str = "incident not found"  # the 404 detail when the incident does not exist


def _render_todo_like(world: World, obj: dict[str, Any]) -> dict[str, Any]:
    attributes = {k: v for k, v in obj.items() if k not in ("id", "type")}
    attributes.update(
        created_by=_person(world, USER_ID),
        last_modified_by=_person(world, USER_ID),
        created_by_uuid=USER_ID if obj["_kind"] == INTEGRATIONS.kind or obj.get("_stamped", True) else None,
        last_modified_by_uuid=USER_ID if obj["_kind"] == INTEGRATIONS.kind or obj.get("_stamped", True) else None,
    )
    attributes = {k: v for k, v in attributes.items() if not k.startswith("_") and k != "updated"}
    relationships = {"created_by_user": _ref("users", USER_ID), "last_modified_by_user": _ref("users", USER_ID)}
    return {"type": obj["type"], "id": obj["id"], "attributes": attributes, "relationships": relationships}


def _render_attached(world: World, obj: dict[str, Any]) -> dict[str, Any]:
    keep = ("attachment", "attachment_type") if obj["_kind"] == ATTACHMENTS.kind else ()
    attributes = {k: v for k, v in obj.items() if k in keep or (obj["_kind"] == IMPACTS.kind and k in IMPACT_KEYS)}
    attributes["modified"] = obj["modified"].replace("+00:00", "Z")
    if obj["_kind"] == IMPACTS.kind:
        attributes["created"] = obj["created"].replace("+00:00", "Z")
    relationships = {"incident": _ref("incidents", obj["incident_id"]), "last_modified_by_user": _ref("users", USER_ID)}
    if obj["_kind"] == IMPACTS.kind:
        relationships["created_by_user"] = _ref("users", USER_ID)
    return {"id": obj["id"], "type": obj["type"], "attributes": attributes, "relationships": relationships}


def _included_user(world: World) -> list[dict[str, Any]]:
    person = _person(world, USER_ID)
    assert person is not None
    return [{"id": USER_ID, "type": "users", "attributes": person["data"]["attributes"]}]


IMPACT_KEYS = ("description", "start_at", "end_at", "fields", "impact_type")
TODOS = Child("dd_incident_todo", "incident_todos", "/relationships/todos", _render_todo_like)
INTEGRATIONS = Child(
    "dd_incident_integration",
    "incident_integrations",
    "/relationships/integrations",
    _render_todo_like,
    (("status", 3),),  # 3 "manually created" whatever the create sends (recorded); see MANUALLY_UPDATED
    "incident integration doesn't exist",
)
ATTACHMENTS = Child(
    "dd_incident_attachment", "incident_attachments", "/attachments", _render_attached, one=("PATCH", "DELETE")
)
IMPACTS = Child(
    "dd_incident_impact",
    "incident_impacts",
    "/impacts",
    _render_attached,
    (("fields", None), ("impact_type", "customer")),
    "rpc error: code = NotFound desc = impact not found: impact not found",
    one=("DELETE",),
    no_incident="rpc error: code = NotFound desc = incident not found: failed to get incident: incident not found",
)
NIL_UUID = "00000000-0000-0000-0000-000000000000"
# An integration's `status` after an API update: 4, "manually updated" (the spec's status list: 3 manually
# created, 4 manually updated; recorded: v2 test_update_an_existing_incident_integration_metadata_returns_ok).
MANUALLY_UPDATED = 4
CHILDREN = {c.kind: c for c in (TODOS, INTEGRATIONS, ATTACHMENTS, IMPACTS)}


def _times(value: Any) -> Any:
    """`2025-09-12T14:50:00.000Z` → `2025-09-12T14:50:00Z`, `...000000+00:00` → `...+00:00` (as recorded)."""
    if not isinstance(value, str):
        return value
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    text = t.isoformat()
    return text.replace("+00:00", "Z") if value.endswith("Z") else text


def _owner(world: World, incident_id: str, missing: str = "incident not found") -> dict[str, Any]:
    """The incident a sub-resource belongs to: an id that is not a UUID is `malformed incident ID`, an
    unknown one `missing` (both 404, recorded: v2 `test_update_incident_attachment_returns_bad_request_response`
    and the `..._returns_not_found_response` scenarios)."""
    try:
        uuid.UUID(incident_id)
    except ValueError:
        raise _gone("malformed incident ID") from None
    inc = world.store.get(KIND, incident_id)
    if inc is None:
        raise _gone(missing)
    return inc


def _envelope(world: World, c: Child, data: Any) -> dict[str, Any]:
    """Attachments come with their last modifier as an `included` user (recorded)."""
    if c.kind == ATTACHMENTS.kind:
        return {"data": data, "included": _included_user(world)}
    return {"data": data}


def _child_handlers(c: Child) -> list[Route]:
    base = "/api/v2/incidents/{incident_id}" + c.path

    def load(world: World, p: dict[str, str]) -> dict[str, Any]:
        if c.kind != IMPACTS.kind:  # an impact is looked up by its own id first (recorded: impact not found)
            _owner(world, p["incident_id"], c.no_incident)
        obj = world.store.get(c.kind, p["child_id"])
        if obj is None or obj["incident_id"] != p["incident_id"]:
            raise _gone(c.missing) if c.kind != TODOS.kind else dd_error(404, f"{p['child_id']} not found")
        return obj

    def attributes(req: Request) -> dict[str, Any]:
        attrs = _data(req, c.type).get("attributes") or {}
        return {k: _times(v) for k, v in attrs.items() if k != "incident_id"}

    def create(world: World, req: Request, p: dict[str, str]) -> Response:
        attrs = attributes(req)
        if c.kind == TODOS.kind:
            attrs = {"completed": None, "due_date": None, **attrs}
        if c.kind == IMPACTS.kind and p["incident_id"] == NIL_UUID:  # the nil UUID reads as no id (recorded)
            detail = "invalid impact data: incident id is required: invalid impact"
            raise ApiError(400, {"errors": [{"title": "Bad Request", "detail": detail}]})
        with world.store.transaction():
            inc = _owner(world, p["incident_id"], c.no_incident)
            now = _now(world)
            obj = {"id": str(uuid.uuid4()), "type": c.type, "_kind": c.kind, **attrs, **dict(c.defaults)}
            obj.update(incident_id=inc["id"], created=now, modified=now, updated=False)
            world.store.put(c.kind, obj["id"], obj)
        return Response(201, _envelope(world, c, c.render(world, {**obj, _STAMPED: False})))

    def get(world: World, req: Request, p: dict[str, str]) -> Response:
        return Response(200, _envelope(world, c, c.render(world, load(world, p))))

    def update(world: World, req: Request, p: dict[str, str]) -> Response:
        attrs = attributes(req)
        with world.store.transaction():
            obj = load(world, p)
            obj.update(attrs, modified=_now(world), updated=True)
            if c.kind == INTEGRATIONS.kind:
                obj["status"] = MANUALLY_UPDATED
            world.store.put(c.kind, obj["id"], obj)
        return Response(200, _envelope(world, c, c.render(world, obj)))

    def delete(world: World, req: Request, p: dict[str, str]) -> Response:
        with world.store.transaction():
            world.store.delete(c.kind, load(world, p)["id"])
        return Response(204)

    def list_(world: World, req: Request, p: dict[str, str]) -> Response:
        _owner(world, p["incident_id"], c.no_incident)
        items = [c.render(world, o) for o in world.store.list(c.kind) if o["incident_id"] == p["incident_id"]]
        return Response(200, _envelope(world, c, items))

    one = {"GET": get, "PATCH": update, "DELETE": delete}
    return [
        route("GET", base, list_, FAMILY),
        route("POST", base, create, FAMILY),
        *[route(method, base + "/{child_id}", one[method], FAMILY) for method in c.one],
    ]


# -- users (the people an incident names) -----------------------------------------------------------------
def create_user(world: World, req: Request, _: dict[str, str]) -> Response:
    attrs = _data(req, "users").get("attributes") or {}
    email = attrs.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise bad("email is required")
    now = _now(world)
    user: dict[str, Any] = {"id": str(uuid.uuid4()), "email": email.lower()}
    user.update(name=attrs.get("name"), title=attrs.get("title"))
    user.update(created_at=now, modified_at=now)
    world.store.put(USERS, user["id"], user)
    return Response(201, {"data": _render_user(user)})


def _render_user(user: dict[str, Any]) -> dict[str, Any]:
    attributes = {
        "name": user["name"],
        "handle": user["email"],
        "created_at": user["created_at"],
        "modified_at": user["modified_at"],
        "email": user["email"],
        "icon": "https://secure.gravatar.com/avatar/" + hashlib.md5(user["email"].encode()).hexdigest(),
        "title": user["title"],
        "verified": False,
        "service_account": False,
        "disabled": False,
        "allowed_login_methods": [],
        "status": "Pending",
        "last_login_time": None,
    }
    org = {"data": {"type": "orgs", "id": ORG_UUID}}
    return {
        "type": "users",
        "id": user["id"],
        "attributes": attributes,
        "relationships": {"roles": {"data": []}, "org": org},
    }


def get_user(world: World, req: Request, p: dict[str, str]) -> Response:
    user = world.store.get(USERS, p["user_id"])
    if user is None:
        raise dd_error(404, "User not found")
    return Response(200, {"data": _render_user(user)})


def delete_user(world: World, req: Request, p: dict[str, str]) -> Response:
    if not world.store.delete(USERS, p["user_id"]):
        raise dd_error(404, "User not found")
    return Response(204)


ONE = "/api/v2/incidents/{incident_id}"
ROUTES = [
    route("POST", "/api/v2/incidents/import", import_, FAMILY),
    route("GET", "/api/v2/incidents/search", search, FAMILY),
    *resource_routes(FAMILY, "/api/v2/incidents", ONE, (list_, create, get, update, delete), "PATCH"),
    *[r for c in CHILDREN.values() for r in _child_handlers(c)],
    *resource_routes(
        "users_api", "/api/v2/users", "/api/v2/users/{user_id}", (None, create_user, get_user, None, delete_user)
    ),
]
