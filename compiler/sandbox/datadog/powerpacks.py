"""v2 powerpacks: a group widget kept for reuse, which dashboards embed by id (a `powerpack` widget).

Shapes follow the recorded answers (datadog-api-client-python's `powerpack` feature cassettes, 2023, and the
public corpus's `test_create_a_new_dashboard_with_powerpack_widget`, 2024): a create answers 200 with the
powerpack, its author as a `users` relationship and an `included` user; every widget of the group gets a new
id on each write (a PATCH replaces the attributes and numbers the widgets afresh); `template_variables` is null
and `tags` empty when not sent. Datadog checks the body itself before its schema: a missing `group_widget` is
`API input validation failed: {'group_widget': ['Missing data for required field.']}`, a group widget of another
type quotes the failed JSON-schema check. An id that is not a UUID and an unknown one are 404s with their own texts.
The list pages by `page[offset]`/`page[limit]` with `offset_limit` pagination and links.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from compiler.sandbox.datadog.common import CREATOR, bad, int_arg, offset_limit
from compiler.sandbox.datadog.dashboards import with_widget_ids
from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.routing import Request, Response, resource_routes
from compiler.sandbox.world import World

KIND = "dd_powerpack"
FAMILY = "powerpack_api"
TYPE = "powerpack"
USER_ID = "3ad549bf-eba0-11e9-a77a-0705486660d0"  # the sandbox account's user, as a Datadog user uuid
BASE = "https://api.datadoghq.com/api/v2/powerpacks"
DEFAULT_LIMIT = 25


def _group_type_error(value: Any) -> ApiError:
    detail = (
        f"Invalid group widget for powerpack. Error: {value!r} is not one of ['group']\n\n"
        "Failed validating 'enum' in schema['properties']['type']:\n    {'enum': ['group']}\n\n"
        f"On instance['type']:\n    {value!r}."
    )
    return bad(detail)


def _judged_here(body: Any) -> bool:
    """Bodies Datadog refuses with its own texts before any schema check (the spec gate would word them otherwise)."""
    data = body.get("data") if isinstance(body, dict) else None
    attrs = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attrs, dict):
        return False
    group = attrs.get("group_widget")
    definition = group.get("definition") if isinstance(group, dict) else None
    return group is None or (isinstance(definition, dict) and definition.get("type") != "group")


def _attributes(req: Request) -> dict[str, Any]:
    body = req.json(bad)
    data = body.get("data") if isinstance(body, dict) else None
    attrs = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attrs, dict):
        raise bad("API input validation failed: {'attributes': ['Missing data for required field.']}")
    group = attrs.get("group_widget")
    if group is None:
        raise bad("API input validation failed: {'group_widget': ['Missing data for required field.']}")
    definition = group.get("definition") if isinstance(group, dict) else None
    if not isinstance(definition, dict):
        raise bad("API input validation failed: {'group_widget': {'definition': ['Missing data for required field.']}}")
    if definition.get("type") != "group":
        raise _group_type_error(definition.get("type"))
    group = copy.deepcopy(group)
    group["definition"]["widgets"] = with_widget_ids(definition.get("widgets") or [], set())  # all new
    out: dict[str, Any] = {"name": attrs.get("name") or ""}
    if isinstance(attrs.get("description"), str):
        out["description"] = attrs["description"]
    out.update(
        group_widget=group, template_variables=attrs.get("template_variables"), tags=list(attrs.get("tags") or [])
    )
    return out


def _load(world: World, powerpack_id: str) -> dict[str, Any]:
    try:
        uuid.UUID(powerpack_id)
    except ValueError:
        raise dd_error(404, f"Powerpack has invalid UUID {powerpack_id} not found") from None
    found = world.store.get(KIND, powerpack_id)
    if found is None:
        raise dd_error(404, f"Powerpack with ID {powerpack_id} not found")
    return found


def _render(pack: dict[str, Any]) -> dict[str, Any]:
    relationships = {"author": {"data": {"type": "users", "id": USER_ID}}}
    return {"type": TYPE, "id": pack["id"], "attributes": pack["attributes"], "relationships": relationships}


def _included() -> list[dict[str, Any]]:
    return [{"type": "users", "id": USER_ID, "attributes": {"name": CREATOR["name"], "email": CREATOR["email"]}}]


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    pack_id = str(uuid.uuid1())
    pack = {"id": pack_id, "attributes": _attributes(req)}
    world.store.put(KIND, pack_id, pack)
    return Response(200, {"data": _render(pack), "included": _included()})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, {"data": _render(_load(world, p["powerpack_id"])), "included": _included()})


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        pack = _load(world, p["powerpack_id"])
        pack["attributes"] = _attributes(req)
        world.store.put(KIND, pack["id"], pack)
    return Response(200, {"data": _render(pack), "included": _included()})


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        world.store.delete(KIND, _load(world, p["powerpack_id"])["id"])
    return Response(204)


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    limit = int_arg(req, "page[limit]", DEFAULT_LIMIT, minimum=1, maximum=1000) or DEFAULT_LIMIT
    offset = int_arg(req, "page[offset]", 0) or 0
    page = world.store.list(KIND)[offset : offset + limit]
    pagination = offset_limit(offset, limit, None)
    asked = urlencode([(k, v) for k, vs in req.query.items() for v in vs])
    links = {
        "self": BASE + ("?" + asked if asked else ""),
        "last": None,
        "next": f"{BASE}?page[offset]={offset + limit}&page[limit]={limit}",
        "prev": f"{BASE}?page[offset]={max(offset - limit, 0)}&page[limit]={limit}" if offset else None,
        "first": f"{BASE}?page[offset]=0&page[limit]={limit}",
    }
    included = _included() if page else []
    return Response(
        200,
        {"data": [_render(p) for p in page], "included": included, "meta": {"pagination": pagination}, "links": links},
    )


ROUTES = [
    r if r.method in ("GET", "DELETE") else replace(r, unspecified=_judged_here)
    for r in resource_routes(
        FAMILY, "/api/v2/powerpacks", "/api/v2/powerpacks/{powerpack_id}", (list_, create, get, update, delete), "PATCH"
    )
]
