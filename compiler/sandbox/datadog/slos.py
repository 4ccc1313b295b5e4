"""v1 service level objectives.

Reproduced rewrites: tags normalized (lower case, invalid characters) and
returned in a different order on every read; targets as floats with `*_display`
strings; the primary timeframe/target/warning derived from `thresholds`;
description trimmed and defaulted to ""; `monitor_ids: []` dropped on metric SLOs;
a metric `query` derived from a count `sli_specification`; time-slice
`query_interval_seconds` defaulted to 300.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from compiler.evaluate import query as q
from compiler.sandbox.datadog.common import (
    CREATOR,
    as_float,
    bad,
    body_object,
    bool_arg,
    compact_number,
    display,
    int_arg,
    normalize_tag,
    stored,
)
from compiler.sandbox.routing import Request, Response, resource_routes, route
from compiler.sandbox.world import World

KIND = "dd_slo"
FAMILY = "slo_api"
TYPE_IDS = {"monitor": 0, "metric": 1, "time_slice": 2}
TIMEFRAMES = {"7d", "30d", "90d", "custom"}
MAX_TAGS = 32


def _substitute(formula: str, queries: dict[str, str]) -> str:
    return re.sub(r"\b(\w+)\b", lambda m: queries.get(m.group(1), m.group(1)), formula)


def _thresholds(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise bad("thresholds: at least one threshold is required")
    out = []
    for t in raw:
        if not isinstance(t, dict):
            raise bad("thresholds: each threshold must be an object")
        tf = t.get("timeframe")
        if tf not in TIMEFRAMES:
            raise bad(f"thresholds: invalid timeframe {tf!r}")
        target = t.get("target")
        if not isinstance(target, int | float) or isinstance(target, bool) or not 0 < target < 100:
            raise bad("thresholds: target must be a number between 0 and 100 (exclusive)")
        item: dict[str, Any] = {"timeframe": tf, "target": float(target), "target_display": display(float(target))}
        warning = t.get("warning")
        if warning is not None:
            if not isinstance(warning, int | float) or not 0 < warning < 100:
                raise bad("thresholds: warning must be a number between 0 and 100 (exclusive)")
            if warning <= target:
                raise bad("thresholds: warning must be greater than target")
            item["warning"] = float(warning)
            item["warning_display"] = display(float(warning))
        out.append(item)
    if len({t["timeframe"] for t in out}) != len(out):
        raise bad("thresholds: each timeframe may appear only once")
    return out


def build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    for key in ("name", "thresholds", "type"):
        if body.get(key) is None:
            raise bad(f"Missing required field '{key}'")
    name = body["name"]
    if not isinstance(name, str) or not name.strip():
        raise bad("name must be a non-empty string")
    slo_type = body["type"]
    if slo_type not in TYPE_IDS:
        raise bad(f"Invalid SLO type {slo_type!r}")
    if (
        existing is not None
        and existing["type"] == "metric"
        and not (body.get("query") or body.get("sli_specification"))
    ):
        # recorded (v1/test_update_an_slo_returns_bad_request_response): a metric SLO's PUT is read as a
        # metric SLO first, whatever `type` it sends
        raise bad("Invalid payload: must specify the query for count types")
    if existing is not None and slo_type != existing["type"]:
        raise bad("The SLO type cannot be changed")
    thresholds = _thresholds(body["thresholds"])
    by_tf = {t["timeframe"]: t for t in thresholds}
    timeframe = body.get("timeframe") or thresholds[0]["timeframe"]
    if timeframe not in by_tf:
        raise bad(f"timeframe {timeframe!r} must match one of the thresholds")
    primary = by_tf[timeframe]
    if body.get("target_threshold") is not None and float(body["target_threshold"]) != primary["target"]:
        raise bad("target_threshold must match the target of the primary timeframe threshold")
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("tags must be a list of strings")
    norm_tags = sorted({normalize_tag(t) for t in tags} - {""})
    if len(norm_tags) > MAX_TAGS:
        raise bad(f"SLOs cannot have more than {MAX_TAGS} tags")
    description = body.get("description")
    slo: dict[str, Any] = {
        "id": existing["id"] if existing else secrets.token_hex(16),
        "name": name.strip(),
        "tags": norm_tags,
        "monitor_tags": [],
        "thresholds": thresholds,
        "type": slo_type,
        "type_id": TYPE_IDS[slo_type],
        "description": description.strip() if isinstance(description, str) else "",
        "timeframe": timeframe,
        "target_threshold": primary["target"],
    }
    if "warning" in primary:
        slo["warning_threshold"] = primary["warning"]
    if slo_type == "metric":
        _metric(body, slo)
    elif slo_type == "monitor":
        _monitor(world, body, slo)
    else:
        _time_slice(body, slo)
    if body.get("groups"):
        if slo_type not in {"monitor", "metric"}:
            raise bad("groups are only allowed on monitor SLOs")
        slo["groups"] = list(body["groups"])
    return slo


def _metric(body: dict[str, Any], slo: dict[str, Any]) -> None:
    query = body.get("query")
    spec = body.get("sli_specification")
    if query is None and not (isinstance(spec, dict) and "count" in spec):
        raise bad("Invalid payload: must specify the query for count types")
    if query is not None:
        if not isinstance(query, dict) or not all(
            isinstance(query.get(k), str) and query[k].strip() for k in ("numerator", "denominator")
        ):
            raise bad("query must have non-empty numerator and denominator strings")
        slo["query"] = {"denominator": query["denominator"].strip(), "numerator": query["numerator"].strip()}
    if isinstance(spec, dict) and "count" in spec:
        count = spec["count"]
        queries = {x["name"]: x["query"] for x in count.get("queries", []) if isinstance(x, dict)}
        if "total_events_formula" not in count:  # good + bad: Datadog derives the total (recorded 2026-02-25)
            good = _substitute(count["good_events_formula"]["formula"], queries)
            bad_events = _substitute(count["bad_events_formula"]["formula"], queries)
            total = f"({good}) + ({bad_events})"
        else:
            total = _substitute(count["total_events_formula"]["formula"], queries)
            if "good_events_formula" in count:
                good = _substitute(count["good_events_formula"]["formula"], queries)
            else:
                good = f"{total} - {_substitute(count['bad_events_formula']['formula'], queries)}"
        slo.setdefault("query", {"numerator": good, "denominator": total})
        slo["sli_specification"] = spec


def _monitor(world: World, body: dict[str, Any], slo: dict[str, Any]) -> None:
    ids = body.get("monitor_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, int) for i in ids):
        raise bad("Invalid payload: must specify monitor_ids")
    missing = [i for i in ids if world.store.get("dd_monitor", str(i)) is None]
    if missing:
        raise bad(f"Monitor(s) not found: {missing}")
    if body.get("groups") and len(ids) != 1:
        raise bad("groups are only allowed when monitor_ids has exactly one monitor")
    slo["monitor_ids"] = list(ids)


def _time_slice(body: dict[str, Any], slo: dict[str, Any]) -> None:
    spec = body.get("sli_specification")
    if not isinstance(spec, dict) or not isinstance(spec.get("time_slice"), dict):
        raise bad("time_slice SLOs need sli_specification.time_slice")
    ts = dict(spec["time_slice"])
    if ts.get("comparator") not in (">", ">=", "<", "<="):
        raise bad("time_slice.comparator must be one of >, >=, <, <=")
    if len(ts.get("query", {}).get("formulas", [])) != 1:
        raise bad("time_slice.query.formulas must contain exactly one formula")
    interval = ts.setdefault("query_interval_seconds", 300)
    if interval not in (60, 300):
        raise bad("time_slice.query_interval_seconds must be 60 or 300")
    slo["sli_specification"] = {"time_slice": ts}


def render(world: World, slo: dict[str, Any], *, write: bool = False) -> dict[str, Any]:
    out = dict(slo)
    if write:
        out["tags"] = sorted(slo["tags"])
        for key in ("target_threshold", "warning_threshold"):
            if key in out:
                out[key] = compact_number(out[key])
    else:
        out["tags"] = world.shuffled(slo["tags"])
        for key in ("target_threshold", "warning_threshold"):
            if key in out:
                out[key] = as_float(out[key])
    out["creator"] = {k: v for k, v in CREATOR.items() if k != "id"}
    return out


def _get(world: World, slo_id: str) -> dict[str, Any]:
    return stored(world, KIND, slo_id, f"SLO not found: {slo_id} not found")


def _alerts_by_slo(world: World) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for mon in world.store.list("dd_monitor"):
        if mon["type"] == "slo alert":
            m = q.SLO_QUERY.match(q.parse("slo alert", mon["query"]).expr)
            if m:
                out.setdefault(m.group("slo"), []).append(int(mon["id"]))
    return out


def _alerts_for(world: World, slo_id: str) -> list[int]:
    """Built once per change of the monitors, not once per SLO rendered (a list renders 1,000)."""
    index = world.store.derived("slo_alerts_by_slo", ("dd_monitor",), lambda: _alerts_by_slo(world))
    return list(index.get(slo_id, []))


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    body = body_object(req)
    with world.store.transaction():
        slo = build(world, body, None)
        now = int(world.now().timestamp())
        slo["created_at"] = slo["modified_at"] = now
        world.store.put(KIND, slo["id"], slo)
    return Response(200, {"data": [render(world, slo, write=True)], "error": None})


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    slo = _get(world, p["slo_id"])
    out = render(world, slo)
    if bool_arg(req, "with_configured_alert_ids"):
        out["configured_alert_ids"] = _alerts_for(world, slo["id"])
    return Response(200, {"data": out, "error": None})


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req)
    with world.store.transaction():
        existing = _get(world, p["slo_id"])
        slo = build(world, body, existing)
        slo["created_at"] = existing["created_at"]
        slo["modified_at"] = int(world.now().timestamp())
        world.store.put(KIND, slo["id"], slo)
    return Response(200, {"data": [render(world, slo, write=True)], "error": None})


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        slo = _get(world, p["slo_id"])
        alerts = _alerts_for(world, slo["id"])
        if alerts and (req.arg("force") or "").lower() != "true":
            return Response(409, {"data": [], "errors": {slo["id"]: f"SLO is referenced in monitors: {alerts}"}})
        world.store.delete(KIND, slo["id"])
    return Response(200, {"data": [slo["id"]], "error": None})


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    limit = int_arg(req, "limit", 1000, minimum=1)
    offset = int_arg(req, "offset", 0) or 0
    slos = world.store.list(KIND)
    total = len(slos)
    ids = [i for i in (req.arg("ids") or "").split(",") if i]
    if ids:
        slos = [s for s in slos if s["id"] in ids]
    text = (req.arg("query") or "").lower()
    if text:
        slos = [s for s in slos if text in s["name"].lower()]
    tags_query = req.arg("tags_query") or req.arg("tags")
    if tags_query:
        wanted = [normalize_tag(t) for t in re.split(r",|\s+AND\s+", tags_query) if t.strip()]
        slos = [s for s in slos if set(wanted) <= set(s["tags"])]
    metrics = (req.arg("metrics_query") or "").lower()
    if metrics:
        slos = [s for s in slos if metrics in str(s.get("query", "")).lower()]
    filtered = len(slos)
    page = slos[offset : offset + (limit or 1000)]
    return Response(
        200,
        {
            "data": [render(world, s) for s in page],
            "error": None,
            "metadata": {"page": {"total_count": total, "total_filtered_count": filtered}},
        },
    )


def can_delete(world: World, req: Request, _: dict[str, str]) -> Response:
    ids = [i for i in (req.arg("ids") or "").split(",") if i]
    if not ids:
        raise bad("ids is required")
    ok, errors = [], {}
    for i in ids:
        alerts = _alerts_for(world, i)
        if alerts:
            errors[i] = f"SLO {i} is referenced in monitors: {alerts}"
        else:
            ok.append(i)
    if errors:
        return Response(409, {"data": {"ok": ok}, "errors": errors})
    return Response(200, {"data": {"ok": ok}})


ROUTES = [
    route("GET", "/api/v1/slo/can_delete", can_delete, FAMILY),
    *resource_routes(FAMILY, "/api/v1/slo", "/api/v1/slo/{slo_id}", (list_, create, get, update, delete)),
]
