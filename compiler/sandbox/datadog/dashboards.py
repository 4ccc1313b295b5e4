"""v1 dashboards, v1 manual dashboard lists and their v2 item endpoints.

A dashboard is stored as sent (the spec validates its widgets) with what Datadog adds: a
`abc-def-ghi` id, an id on every widget (nested group widgets too), `url` from the title's slug,
`author_*`, `is_read_only: false`, `restricted_roles: []`, and `null` for an omitted `description`,
`notify_list` or `template_variables` (every recorded create in the public corpus shows these).
Deleting is soft, as in Datadog: a deleted dashboard answers 404, is listed with
`filter[deleted]=true` and can be restored (`PATCH /api/v1/dashboard`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from typing import Any

from compiler.sandbox.datadog.common import CREATOR, bad, body_object, int_arg, stored
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, resource_routes, route
from compiler.sandbox.world import World, iso_micro

KIND = "dd_dashboard"
LISTS = "dd_dashboard_list"
FAMILY = "dashboards_api"
LIST_FAMILY = "dashboard_lists_api"
ID_CHARS = string.ascii_lowercase + string.digits
SERVER_NULLS = ("description", "notify_list", "template_variables")
TYPES = {"ordered": "custom_timeboard", "free": "custom_screenboard"}


def _new_id() -> str:
    return "-".join("".join(secrets.choice(ID_CHARS) for _ in range(3)) for _ in range(3))


def slug(title: str) -> str:
    """Datadog's URL slug: lower case, only letters, digits, spaces and dashes kept, spaces to dashes,
    80 characters and no dash left at the cut (recorded `url`s, e.g. "...[Default Microversion]" →
    "...-default-microversion"; a title cut after "-with " ends "...-with")."""
    kept = re.sub(r"[^a-z0-9 -]", "", title.lower())
    return re.sub(r"-+", "-", kept.replace(" ", "-"))[:80].rstrip("-")


def with_widget_ids(widgets: Any, known: set[int]) -> Any:
    """Every widget gets an id (group widgets' members too); sent ids of known widgets are kept."""
    if not isinstance(widgets, list):
        return widgets
    out = []
    for sent in widgets:
        if not isinstance(sent, dict):
            out.append(sent)
            continue
        w = dict(sent)
        if not isinstance(w.get("id"), int) or w["id"] not in known:
            w["id"] = secrets.randbits(52)
        definition = w.get("definition")
        if isinstance(definition, dict) and isinstance(definition.get("widgets"), list):
            w["definition"] = {**definition, "widgets": with_widget_ids(definition["widgets"], known)}
        out.append(w)
    return out


def _widget_ids(widgets: Any) -> set[int]:
    ids: set[int] = set()
    for w in widgets if isinstance(widgets, list) else []:
        if isinstance(w, dict):
            if isinstance(w.get("id"), int):
                ids.add(w["id"])
            ids |= _widget_ids((w.get("definition") or {}).get("widgets"))
    return ids


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _check(body: dict[str, Any]) -> None:
    """What Datadog refuses beyond the spec: tags other than ``team:``, a template variable with both its
    deprecated ``default`` and ``defaults``, a preset's variable with both ``value`` and ``values`` (the
    public recordings' 400s and their texts)."""
    tags = body.get("tags")
    for tag in tags if isinstance(tags, list) else []:
        if not isinstance(tag, str) or not tag.startswith("team:"):
            raise bad("Invalid tag format. Valid tag keys are: team.")
    if any("default" in v and "defaults" in v for v in _objects(body.get("template_variables"))):
        raise bad("'template_variables' is invalid")
    for preset in _objects(body.get("template_variable_presets")):
        for variable in _objects(preset.get("template_variables")):
            if "value" in variable and "values" in variable:
                raise bad(f"'template_variables' value '{variable!r}' is invalid")


def _build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    _check(body)
    now = iso_micro(world.now())
    dash = {k: v for k, v in body.items() if k not in ("id", "url", "author_handle", "author_name")}
    for key in SERVER_NULLS:
        dash.setdefault(key, None)
    dash.setdefault("restricted_roles", [])
    dash.setdefault("is_read_only", False)
    dash["id"] = existing["id"] if existing else _new_id()
    dash["widgets"] = with_widget_ids(body.get("widgets"), _widget_ids((existing or {}).get("widgets")))
    dash["url"] = f"/dashboard/{dash['id']}/{slug(str(dash.get('title') or ''))}"
    dash["author_handle"], dash["author_name"] = CREATOR["handle"], CREATOR["name"]
    dash["created_at"] = existing["created_at"] if existing else now
    dash["modified_at"] = now
    return dash


def _get(world: World, dashboard_id: str) -> dict[str, Any]:
    dash = world.store.get(KIND, dashboard_id)
    if dash is None or dash.get("_deleted_at"):
        raise dd_error(404, f"Dashboard with ID {dashboard_id} not found")
    return dash


def _public(dash: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in dash.items() if not k.startswith("_")}


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    with world.store.transaction():
        dash = _build(world, body_object(req), None)
        world.store.put(KIND, dash["id"], dash)
    return Response(200, _public(dash))


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, _public(_get(world, p["dashboard_id"])))


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        dash = _build(world, body_object(req), _get(world, p["dashboard_id"]))
        world.store.put(KIND, dash["id"], dash)
    return Response(200, _public(dash))


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        dash = _get(world, p["dashboard_id"])
        dash["_deleted_at"] = iso_micro(world.now())
        world.store.put(KIND, dash["id"], dash)
    return Response(200, {"deleted_dashboard_id": dash["id"]})


def _bulk_ids(req: Request) -> list[str]:
    data = body_object(req).get("data")
    if not isinstance(data, list) or not data:
        raise bad("data must be a non-empty list of dashboards")
    return [str(d.get("id")) for d in data if isinstance(d, dict)]


def delete_many(world: World, req: Request, _: dict[str, str]) -> Response:
    ids = _bulk_ids(req)
    with world.store.transaction():
        dashes = [_get(world, i) for i in ids]
        for dash in dashes:
            dash["_deleted_at"] = iso_micro(world.now())
            world.store.put(KIND, dash["id"], dash)
    return Response(204)


def restore_many(world: World, req: Request, _: dict[str, str]) -> Response:
    ids = _bulk_ids(req)
    with world.store.transaction():
        for i in ids:
            dash = world.store.get(KIND, i)
            if dash is None:
                raise dd_error(404, f"Dashboard with ID {i} not found")
            dash.pop("_deleted_at", None)
            world.store.put(KIND, i, dash)
    return Response(204)


def summary(dash: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "description", "layout_type", "url", "is_read_only", "created_at", "modified_at")
    out = {k: dash.get(k) for k in keys}
    out["author_handle"] = dash["author_handle"]
    out["deleted_at"] = dash.get("_deleted_at")
    return out


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    deleted = (req.arg("filter[deleted]") or "").lower() == "true"
    start = int_arg(req, "start", 0) or 0
    count = int_arg(req, "count", None, minimum=1)
    dashes = [d for d in world.store.list(KIND) if bool(d.get("_deleted_at")) == deleted]
    page = dashes[start : start + count] if count is not None else dashes[start:]
    return Response(200, {"dashboards": [summary(d) for d in page]})


# -- manual dashboard lists -----------------------------------------------------------------------------
def _list_get(world: World, list_id: str) -> dict[str, Any]:
    found = world.store.get(LISTS, list_id) if list_id.isdigit() else None
    if found is None:
        raise dd_error(404, f"Manual Dashboard List with id {list_id} not found")
    return found


def _render_list(dl: dict[str, Any]) -> dict[str, Any]:
    return {
        "is_favorite": False,
        "name": dl["name"],
        "dashboard_count": len(dl["items"]),
        "author": {"handle": CREATOR["handle"], "name": CREATOR["name"]},
        "created": dl["created"],
        "type": "manual_dashboard_list",
        "dashboards": None,
        "modified": dl["modified"],
        "id": dl["id"],
    }


def _list_name(req: Request) -> str:
    name = body_object(req).get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad("name is required")
    return name


def create_list(world: World, req: Request, _: dict[str, str]) -> Response:
    name = _list_name(req)
    with world.store.transaction():
        now = iso_micro(world.now())
        dl = {"id": world.store.next_counter("dashboard_list_id", 284001), "name": name, "items": []}
        dl.update(created=now, modified=now)
        world.store.put(LISTS, str(dl["id"]), dl)
    return Response(200, _render_list(dl))


def get_list(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, _render_list(_list_get(world, p["list_id"])))


def update_list(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        dl = _list_get(world, p["list_id"])
        dl["name"], dl["modified"] = _list_name(req), iso_micro(world.now())
        world.store.put(LISTS, str(dl["id"]), dl)
    return Response(200, _render_list(dl))


def delete_list(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        dl = _list_get(world, p["list_id"])
        world.store.delete(LISTS, str(dl["id"]))
    return Response(200, {"deleted_dashboard_list_id": dl["id"]})


def list_lists(world: World, req: Request, _: dict[str, str]) -> Response:
    return Response(200, {"dashboard_lists": [_render_list(dl) for dl in world.store.list(LISTS)]})


def _items(req: Request) -> list[dict[str, str]]:
    raw = body_object(req).get("dashboards")
    if not isinstance(raw, list):
        raise bad("dashboards must be a list")
    return [{"type": str(d.get("type")), "id": str(d.get("id"))} for d in raw if isinstance(d, dict)]


def _item(world: World, item: dict[str, str]) -> dict[str, Any]:
    dash = world.store.get(KIND, item["id"])
    return {
        "popularity": 0,
        "title": (dash or {}).get("title"),
        "is_favorite": False,
        "id": item["id"],
        "icon": None,
        "integration_id": None,
        "is_shared": False,
        "author": {"handle": CREATOR["handle"], "name": CREATOR["name"]},
        "url": (dash or {}).get("url"),
        "created": (dash or {}).get("created_at"),
        "modified": (dash or {}).get("modified_at"),
        "is_read_only": bool((dash or {}).get("is_read_only")),
        "type": item["type"],
    }


def get_items(world: World, req: Request, p: dict[str, str]) -> Response:
    dl = _list_get(world, p["list_id"])
    return Response(200, {"total": len(dl["items"]), "dashboards": [_item(world, i) for i in dl["items"]]})


def _change_items(world: World, req: Request, p: dict[str, str], how: str) -> Response:
    items = _items(req)
    with world.store.transaction():
        dl = _list_get(world, p["list_id"])
        current = [i for i in dl["items"] if how == "add" or i not in items]
        if how == "add":
            current += [i for i in items if i not in current]
        elif how == "replace":
            current = items
        dl["items"], dl["modified"] = current, iso_micro(world.now())
        world.store.put(LISTS, str(dl["id"]), dl)
    if how == "add":
        return Response(200, {"added_dashboards_to_list": items})
    if how == "delete":
        return Response(200, {"deleted_dashboards_from_list": items})
    return Response(200, {"dashboards": items})


def add_items(world: World, req: Request, p: dict[str, str]) -> Response:
    return _change_items(world, req, p, "add")


def delete_items(world: World, req: Request, p: dict[str, str]) -> Response:
    return _change_items(world, req, p, "delete")


def replace_items(world: World, req: Request, p: dict[str, str]) -> Response:
    return _change_items(world, req, p, "replace")


# -- shared (public) dashboards --------------------------------------------------------------------------
SHARED = "dd_shared_dashboard"
SHARED_FIELDS = (
    "global_time",
    "global_time_selectable_enabled",
    "selectable_template_vars",
    "share_type",
    "expiration",
)
TOKEN_PREFIX = "fasjyydbcgwwc2uc"  # the recorded org's token prefix: a share token is `<org part>-<32 hex>`


def _shared_get(world: World, token: str) -> dict[str, Any]:
    return stored(world, SHARED, token, f"Shared dashboard with token {token} not found")


def _invitees(world: World, shared: dict[str, Any]) -> list[dict[str, Any]]:
    if shared["share_type"] != "invite":
        return []
    return [
        {"email": e, "access_expiration": None, "last_accessed": None, "created_at": shared["created"]}
        for e in shared.get("share_list") or []
    ]


def render_shared(world: World, shared: dict[str, Any]) -> dict[str, Any]:
    dash = world.store.get(KIND, shared["dashboard_id"]) or {}
    invite = shared["share_type"] == "invite"
    return {
        "author": {"handle": CREATOR["handle"], "name": CREATOR["name"]},
        "dashboard_id": shared["dashboard_id"],
        "dashboard_type": shared["dashboard_type"],
        "status": "active",
        "title": dash.get("title"),
        "viewing_preferences": {},
        "expiration": shared.get("expiration"),
        "last_accessed": None,
        "global_time_selectable_enabled": bool(shared.get("global_time_selectable_enabled")),
        "global_time": shared.get("global_time"),
        "selectable_template_vars": shared.get("selectable_template_vars"),
        "token": shared["token"],
        "public_url": f"https://p.datadoghq.com/sb/{shared['token']}",
        "created": shared["created"],
        "share_type": shared["share_type"],
        "share_list": shared.get("share_list") if invite or shared.get("share_list") is not None else None,
        # kept after an invite share turns open (recorded 2025-06; a 2024-11 recording answered null)
        "session_duration_in_days": 30 if invite or shared.get("was_invite") else None,
        "invitees": _invitees(world, shared),
        "embeddable_domains": [],  # in every answer recorded since 2025-06, whatever the share type
    }


def create_shared(world: World, req: Request, _: dict[str, str]) -> Response:
    body = body_object(req)
    dash_id, dash_type = str(body.get("dashboard_id")), str(body.get("dashboard_type"))
    with world.store.transaction():
        dash = world.store.get(KIND, dash_id)
        if dash is None or dash.get("_deleted_at") or TYPES.get(str(dash.get("layout_type"))) != dash_type:
            raise dd_error(404, f"{dash_type} {dash_id} not found")
        shared = {k: body.get(k) for k in SHARED_FIELDS}
        shared["share_type"] = shared["share_type"] or "open"
        shared.update(
            token=f"{TOKEN_PREFIX}-{secrets.token_hex(16)}",
            dashboard_id=dash_id,
            dashboard_type=dash_type,
            share_list=body.get("share_list"),
            created=iso_micro(world.now()),
            was_invite=shared["share_type"] == "invite",
        )
        world.store.put(SHARED, str(shared["token"]), shared)
    return Response(200, render_shared(world, shared))


def get_shared(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, render_shared(world, _shared_get(world, p["token"])))


def update_shared(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req)
    with world.store.transaction():
        shared = _shared_get(world, p["token"])
        shared.update({k: body[k] for k in (*SHARED_FIELDS, "share_list") if k in body})
        world.store.put(SHARED, shared["token"], shared)
    return Response(200, render_shared(world, shared))


def delete_shared(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        world.store.delete(SHARED, _shared_get(world, p["token"])["token"])
    return Response(200, {"deleted_public_dashboard_token": p["token"]})


def list_invitations(world: World, req: Request, p: dict[str, str]) -> Response:
    shared = _shared_get(world, p["token"])
    items = [
        {"type": "public_dashboard_invitation", "attributes": _invitation(shared, e)}
        for e in shared.get("invited") or []
    ]
    return Response(200, {"data": items, "meta": {"page": {"total_count": len(items)}}})


def _invitation(shared: dict[str, Any], email: str) -> dict[str, Any]:
    return {
        "email": email,
        "share_token": shared["token"],
        "created_at": shared["created"],
        "invitation_expiry": None,
        "has_session": False,
        "session_expiry": None,
    }


def _invited_emails(req: Request) -> list[str]:
    data = body_object(req).get("data")
    items = data if isinstance(data, list) else [data]
    return [
        str(d["attributes"]["email"]) for d in items if isinstance(d, dict) and isinstance(d.get("attributes"), dict)
    ]


def send_invitations(world: World, req: Request, p: dict[str, str]) -> Response:
    emails = _invited_emails(req)
    with world.store.transaction():
        shared = _shared_get(world, p["token"])
        shared["invited"] = list(dict.fromkeys([*(shared.get("invited") or []), *emails]))
        world.store.put(SHARED, shared["token"], shared)
    expiry = iso_micro(world.now() + dt.timedelta(hours=1))
    data = [
        {"type": "public_dashboard_invitation", "attributes": {**_invitation(shared, e), "invitation_expiry": expiry}}
        for e in emails
    ]
    return Response(201, {"data": data[0] if len(data) == 1 else data})


def revoke_invitations(world: World, req: Request, p: dict[str, str]) -> Response:
    emails = set(_invited_emails(req))
    with world.store.transaction():
        shared = _shared_get(world, p["token"])
        shared["invited"] = [e for e in shared.get("invited") or [] if e not in emails]
        world.store.put(SHARED, shared["token"], shared)
    return Response(204)


PUBLIC = "/api/v1/dashboard/public"
ONE_LIST = "/api/v1/dashboard/lists/manual/{list_id}"
ITEMS = "/api/v2/dashboard/lists/manual/{list_id}/dashboards"
ROUTES = [
    *resource_routes(
        FAMILY, PUBLIC, PUBLIC + "/{token}", (None, create_shared, get_shared, update_shared, delete_shared)
    ),
    route("GET", PUBLIC + "/{token}/invitation", list_invitations, FAMILY),
    route("POST", PUBLIC + "/{token}/invitation", send_invitations, FAMILY),
    route("DELETE", PUBLIC + "/{token}/invitation", revoke_invitations, FAMILY),
    *resource_routes(
        LIST_FAMILY,
        "/api/v1/dashboard/lists/manual",
        ONE_LIST,
        (list_lists, create_list, get_list, update_list, delete_list),
    ),
    route("GET", ITEMS, get_items, LIST_FAMILY),
    route("POST", ITEMS, add_items, LIST_FAMILY),
    route("PUT", ITEMS, replace_items, LIST_FAMILY),
    route("DELETE", ITEMS, delete_items, LIST_FAMILY),
    route("DELETE", "/api/v1/dashboard", delete_many, FAMILY),
    route("PATCH", "/api/v1/dashboard", restore_many, FAMILY),
    *resource_routes(
        FAMILY, "/api/v1/dashboard", "/api/v1/dashboard/{dashboard_id}", (list_, create, get, update, delete)
    ),
]
