"""v1 SLO corrections, and the SLO reads real clients call besides CRUD: search and history.

Corrections follow the public corpus (v1 `service_level_objective_corrections`): a create answers
`created_at`/`modified_at: null` (stamped on later reads), `modifier` is set by the first update,
`end` or `rrule` + `duration`. History answers the documented shape with no data points: the sandbox
ingests no SLI metrics, so every series is empty and the SLI is null, as Datadog reports an SLO
without data.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any
from urllib.parse import urlencode

from compiler.sandbox.datadog import slos
from compiler.sandbox.datadog.common import CREATOR, bad, body_object, int_arg, offset_limit, stored
from compiler.sandbox.errors import dd_error
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import World

KIND = "dd_slo_correction"
USER_ID = "3ad549bf-eba0-11e9-a77a-0705486660d0"
CATEGORIES = {"Scheduled Maintenance", "Outside Business Hours", "Deployment", "Other"}
WRITABLE = ("slo_id", "start", "end", "description", "category", "timezone", "rrule", "duration", "slo_query")


def _user() -> dict[str, Any]:
    email = str(CREATOR["email"])
    icon = "https://secure.gravatar.com/avatar/" + hashlib.md5(email.encode()).hexdigest() + "?s=48&d=retro"
    attributes = {"uuid": USER_ID, "handle": email, "email": email, "name": CREATOR["name"], "icon": icon}
    return {"data": {"type": "users", "id": USER_ID, "attributes": attributes}}


def _attributes(req: Request) -> dict[str, Any]:
    data = body_object(req).get("data")
    if not isinstance(data, dict) or data.get("type") != "correction" or not isinstance(data.get("attributes"), dict):
        raise bad("data must be a correction with attributes")
    return dict(data["attributes"])


def _check(world: World, c: dict[str, Any]) -> None:
    """A correction applies to one SLO (`slo_id`) or to the SLOs an `slo_query` selects (recorded 2026)."""
    if c.get("slo_id") is None and c.get("slo_query"):
        pass
    elif world.store.get(slos.KIND, str(c.get("slo_id"))) is None:
        raise dd_error(404, f"SLO not found: {c.get('slo_id')} not found")
    if c.get("category") not in CATEGORIES:
        raise bad(f"Invalid category: {c.get('category')!r}")
    if c.get("end") is None and c.get("rrule") is None:
        raise bad("Either end or rrule and duration must be provided")


def render(c: dict[str, Any], *, fresh: bool = False) -> dict[str, Any]:
    attributes = {k: c.get(k) for k in WRITABLE if k != "slo_query" or c.get(k) is not None}
    attributes["created_at"] = None if fresh else c["created_at"]
    attributes["modified_at"] = None if fresh else c["modified_at"]
    attributes["creator"] = _user()
    attributes["modifier"] = _user() if c.get("modified") else None
    return {"type": "correction", "id": c["id"], "attributes": attributes}


def _get(world: World, correction_id: str) -> dict[str, Any]:
    return stored(world, KIND, correction_id, f"SLO correction {correction_id} not found")


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    attrs = _attributes(req)
    with world.store.transaction():
        c = {k: attrs.get(k) for k in WRITABLE}
        c["timezone"] = c["timezone"] or "UTC"
        _check(world, c)
        now = int(world.now().timestamp())
        c.update(id=str(uuid.uuid1()), created_at=now, modified_at=now, modified=False)
        world.store.put(KIND, str(c["id"]), c)
    return Response(200, {"data": render(c, fresh=True)})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, {"data": render(_get(world, p["correction_id"]))})


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    attrs = _attributes(req)
    with world.store.transaction():
        c = _get(world, p["correction_id"])
        c.update({k: v for k, v in attrs.items() if k in WRITABLE and k != "slo_id"})
        _check(world, c)
        c["modified"] = True
        world.store.put(KIND, c["id"], c)
    return Response(200, {"data": render(c)})


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        world.store.delete(KIND, _get(world, p["correction_id"])["id"])
    return Response(204)


def _page(req: Request, items: list[dict[str, Any]], base: str) -> dict[str, Any]:
    offset = int_arg(req, "offset", None) or int_arg(req, "page[offset]", 0) or 0
    limit = int_arg(req, "limit", None, minimum=1) or int_arg(req, "page[limit]", 10, minimum=1) or 10
    page = items[offset : offset + limit]
    pagination = {**offset_limit(offset, limit, len(items)), "total": len(items)}
    links = {
        "self": base,
        "last": None,
        "next": f"{base}?page[offset]={offset + limit}&page[limit]={limit}",
        "prev": None,
        "first": f"{base}?page[offset]=0&page[limit]={limit}",
    }
    return {"data": [render(c) for c in page], "meta": {"pagination": pagination}, "links": links}


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    return Response(200, _page(req, world.store.list(KIND), "https://api.datadoghq.com/api/v1/slo/correction"))


def for_slo(world: World, req: Request, p: dict[str, str]) -> Response:
    slo = stored(world, slos.KIND, p["slo_id"], f"SLO not found: {p['slo_id']} not found")
    items = [c for c in world.store.list(KIND) if c["slo_id"] == slo["id"]]
    return Response(200, _page(req, items, f"https://api.datadoghq.com/api/v1/slo/{slo['id']}/corrections"))


def search(world: World, req: Request, _: dict[str, str]) -> Response:
    """GET /api/v1/slo/search: SLOs whose name contains the query (or carrying a `tag:value` term).

    Paged the way it was asked: `page[size]`/`page[number]` answer `number_size` pagination (the public
    corpus, 2023), anything else `offset_limit` with a limit of 10 (datadogpy's recorded
    TestDatadog.test_service_level_objective_crud, 2022, sends only `query`); `links` in both."""
    query = (req.arg("query") or "").strip()
    hits = [s for s in world.store.list(slos.KIND) if _matches(s, query)]
    by_number = req.arg("page[size]") is not None or req.arg("page[number]") is not None
    if by_number:
        size = int_arg(req, "page[size]", 10, minimum=1) or 10
        number = int_arg(req, "page[number]", 0) or 0
        start, names = number * size, ("number", "size")
        pagination: dict[str, Any] = {
            "number": number,
            "first_number": 0,
            "prev_number": max(number - 1, 0),
            "next_number": number + 1,
            "last_number": max((len(hits) - 1) // size, 0),
            "size": size,
            "type": "number_size",
        }
        following, first = number + 1, 0
    else:
        size = int_arg(req, "page[limit]", 10, minimum=1) or 10
        start = int_arg(req, "page[offset]", 0) or 0
        pagination = offset_limit(start, size, len(hits))
        following, first, names = start + size, 0, ("offset", "limit")
    pagination["total"] = len(hits)
    page = hits[start : start + size]
    results = [{"data": {"type": "slo", "id": s["id"], "attributes": _search_attributes(s)}} for s in page]
    data = {"type": "service_level_objective_search_results", "attributes": {"slos": results}}
    base = "https://api.datadoghq.com/api/v1/slo/search"
    asked = urlencode([(k, v) for k, vs in req.query.items() for v in vs])
    plain = base + ("?" + urlencode({"query": query}) if query else "")
    joiner = "&" if query else "?"
    links = {
        "self": base + ("?" + asked if asked else ""),
        "last": None,
        "next": f"{plain}{joiner}page[{names[0]}]={following}&page[{names[1]}]={size}",
        "prev": None,
        "first": f"{plain}{joiner}page[{names[0]}]={first}&page[{names[1]}]={size}",
    }
    return Response(200, {"data": data, "meta": {"pagination": pagination}, "links": links})


def _matches(slo: dict[str, Any], query: str) -> bool:
    for term in query.split():
        if ":" in term and term.split(":", 1)[0] not in ("name",):
            if term.lower() not in slo["tags"]:
                return False
        elif term.split(":", 1)[-1].lower() not in slo["name"].lower():
            return False
    return True


def _search_attributes(slo: dict[str, Any]) -> dict[str, Any]:
    primary = slo["thresholds"][0]
    status = {"state": "no_data", "sli": None, "error_budget_remaining": None, "raw_error_budget_remaining": None}
    return {
        "name": slo["name"],
        "description": slo.get("description") or None,
        "slo_type": slo["type"],
        "all_tags": slo["tags"],
        "env_tags": [t for t in slo["tags"] if t.startswith("env:")],
        "service_tags": [t for t in slo["tags"] if t.startswith("service:")],
        "team_tags": [t for t in slo["tags"] if t.startswith("team:")],
        "monitor_ids": slo.get("monitor_ids"),
        "groups": slo.get("groups"),
        "thresholds": slo["thresholds"],
        "timeframe": slo["timeframe"],
        "target_threshold": primary["target"],
        "warning_threshold": primary.get("warning"),
        "query": {**slo["query"], "metrics": None} if "query" in slo else None,
        "status": status,
        "overall_status": [{**status, "target": primary["target"], "timeframe": slo["timeframe"]}],
        "created_at": slo["created_at"],
        "modified_at": slo["modified_at"],
    }


def history(world: World, req: Request, p: dict[str, str]) -> Response:
    """GET /api/v1/slo/{slo_id}/history?from_ts=&to_ts=: the documented shape, no data points (no SLI metrics
    are ingested by the sandbox)."""
    slo = stored(world, slos.KIND, p["slo_id"], f"SLO not found: {p['slo_id']} not found")
    start, end = int_arg(req, "from_ts", None), int_arg(req, "to_ts", None)
    if start is None or end is None:
        raise bad("from_ts and to_ts are required")
    if end <= start:
        raise bad("to_ts must be after from_ts")
    thresholds = {t["timeframe"]: t for t in slo["thresholds"]}
    overall = {"name": slo["name"], "sli_value": None, "span_precision": 2, "uptime": None, "preview": False}
    data: dict[str, Any] = {
        "from_ts": start,
        "to_ts": end,
        "type": slo["type"],
        "type_id": slo["type_id"],
        "thresholds": thresholds,
        "overall": overall,
    }
    if slo["type"] == "metric":
        empty = {"count": 0, "sum": 0, "values": [], "times": [], "metadata": {}}
        data["series"] = {"numerator": empty, "denominator": empty, "times": [], "interval": 0, "query": ""}
    else:
        data["monitors"] = [{"monitor_id": m, "sli_value": None, "history": []} for m in slo.get("monitor_ids", [])]
    return Response(200, {"data": data, "errors": None})


ROUTES = [
    route("GET", "/api/v1/slo/search", search, slos.FAMILY),
    route("GET", "/api/v1/slo/correction", list_, slos.FAMILY),
    route("POST", "/api/v1/slo/correction", create, slos.FAMILY),
    route("GET", "/api/v1/slo/correction/{correction_id}", get, slos.FAMILY),
    route("PATCH", "/api/v1/slo/correction/{correction_id}", update, slos.FAMILY),
    route("DELETE", "/api/v1/slo/correction/{correction_id}", delete, slos.FAMILY),
    route("GET", "/api/v1/slo/{slo_id}/corrections", for_slo, slos.FAMILY),
    route("GET", "/api/v1/slo/{slo_id}/history", history, slos.FAMILY),
]
