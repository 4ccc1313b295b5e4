"""v1 monitors with the server-side rewrites the product has to undo.

Rewrites reproduced (datadog-api.md §3.1): whitespace trimmed in name, message,
query and escalation message; option defaults filled; thresholds as floats with
nulls dropped; `options` replaced wholesale by PUT; `metric alert` becoming
`query alert` for non-trivial queries; priority 0 read back as null.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from compiler.evaluate import query as q
from compiler.sandbox.datadog.common import CREATOR, ORG_ID, as_float, bad, body_object, bool_arg, int_arg, is_number
from compiler.sandbox.errors import dd_error
from compiler.sandbox.evaluation import engine as evaluation
from compiler.sandbox.routing import Request, Response, resource_routes, route
from compiler.sandbox.world import World, iso_micro

KIND = "dd_monitor"
FINGERPRINTS = "dd_monitor_fingerprint"
FAMILY = "monitor_api"
TYPES = {
    "composite",
    "event alert",
    "log alert",
    "metric alert",
    "process alert",
    "query alert",
    "rum alert",
    "service check",
    "synthetics alert",
    "trace-analytics alert",
    "slo alert",
    "event-v2 alert",
    "audit alert",
    "ci-pipelines alert",
    "ci-tests alert",
    "error-tracking alert",
    "database-monitoring alert",
    "network-performance alert",
    "cost alert",
    "data-quality alert",
    "network-path alert",
    "data-jobs alert",
    "llm-observability alert",
}
GROUPBY_SIMPLE_TYPES = {
    "log alert",
    "rum alert",
    "ci-pipelines alert",
    "ci-tests alert",
    "error-tracking alert",
    "llm-observability alert",
}
WRITABLE = {
    "name",
    "message",
    "query",
    "type",
    "tags",
    "priority",
    "options",
    "restricted_roles",
    "draft_status",
    "assets",
}
NOT_FOUND = "Monitor not found"
NUMERIC_THRESHOLDS = {"critical", "critical_recovery", "ok", "unknown", "warning", "warning_recovery"}


def _trim(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


METRIC_FAMILY = {"metric alert", "query alert"}
NO_OPERATOR = "invalid operator specified: "


def _same_type(sent: Any, existing: dict[str, Any]) -> bool:
    """A monitor keeps its type, but `metric alert` and `query alert` are one family Datadog rewrites both
    ways (datadog-api.md §3.1 rule 2; datadogpy's recorded TestDogshell.test_monitors updates a metric alert
    with `type: query alert` and gets 200)."""
    if sent in (existing["_requested_type"], existing["type"]):
        return True
    return sent in METRIC_FAMILY and existing["_requested_type"] in METRIC_FAMILY


def _keeps_query_alert(body: dict[str, Any], existing: dict[str, Any]) -> bool:
    """`metric alert` is the older name of `query alert`: sent to a monitor that is a `query alert`, the
    monitor stays one (datadogpy's recorded TestDogshell.test_monitors, #7: a PUT with `type: metric alert`
    answered `query alert`)."""
    return body.get("type") == "metric alert" and existing["type"] == "query alert"


def _check_types(body: dict[str, Any]) -> None:
    for key in ("name", "message", "query", "type"):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise bad(f"The value provided for parameter '{key}' is invalid: expected a string")
    tags = body.get("tags")
    if tags is not None and (not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)):
        raise bad("The value provided for parameter 'tags' is invalid: expected a list of strings")
    priority = body.get("priority")
    if priority is not None and (not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 5):
        raise bad("The value provided for parameter 'priority' is invalid: must be between 1 and 5")
    options = body.get("options")
    if options is not None and not isinstance(options, dict):
        raise bad("The value provided for parameter 'options' is invalid: expected an object")


def normalize_options(monitor_type: str, options: dict[str, Any] | None) -> dict[str, Any]:
    opts = dict(options or {})
    if "escalation_message" in opts:
        opts["escalation_message"] = _trim(opts["escalation_message"])
    thresholds = opts.get("thresholds")
    if thresholds is not None:
        if not isinstance(thresholds, dict):
            raise bad("The value provided for parameter 'options.thresholds' is invalid: expected an object")
        cleaned = {}
        for k, v in thresholds.items():
            if v is None:
                continue
            if k in NUMERIC_THRESHOLDS and not is_number(v):
                raise bad(f"The value provided for parameter 'options.thresholds.{k}' is invalid")
            # Keys the API does not document (the UI's `comparison`, `period`, `timeAggregator` on log and
            # event-v2 alerts) are stored and returned as sent, as Datadog does with exported monitors.
            cleaned[k] = as_float(v) if k in NUMERIC_THRESHOLDS else v
        if cleaned:
            opts["thresholds"] = cleaned
        else:
            del opts["thresholds"]
    for key in ("notify_no_data", "notify_audit", "include_tags", "require_full_window", "locked"):
        if key in opts and opts[key] is not None and not isinstance(opts[key], bool):
            raise bad(f"The value provided for parameter 'options.{key}' is invalid: expected a boolean")
    for key in (
        "renotify_interval",
        "timeout_h",
        "new_host_delay",
        "new_group_delay",
        "evaluation_delay",
        "no_data_timeframe",
    ):
        v = opts.get(key)
        if v is not None and (not is_number(v) or v < 0):
            raise bad(f"The value provided for parameter 'options.{key}' is invalid")
    opts.setdefault("notify_no_data", False)
    opts.setdefault("notify_audit", False)
    opts.setdefault("new_host_delay", 300)
    opts.setdefault("include_tags", True)
    if monitor_type in GROUPBY_SIMPLE_TYPES:
        opts.setdefault("groupby_simple_monitor", False)
    opts.setdefault("silenced", {})
    return opts


def _check_thresholds(world: World, monitor_type: str, query: str, options: dict[str, Any], self_id: int | None) -> str:
    """The stored type; a query Datadog rejects is answered with its 400 and text."""
    try:
        return _checked_type(world, monitor_type, query, options, self_id)
    except q.QueryError as exc:
        if monitor_type in METRIC_FAMILY and str(exc) == str(q.invalid(NO_OPERATOR)):
            # A metric query that is not a comparison at all gets the bare text (datadogpy's recorded
            # test_monitor_validate and TestDogshell.test_monitors, 2020 and 2023: `THIS IS A BAD QUERY`);
            # the detail is what log alerts get (the public corpus: `query` as a log alert's query).
            raise bad("The value provided for parameter 'query' is invalid") from None
        raise bad(str(exc)) from None


def _checked_type(world: World, monitor_type: str, query: str, options: dict[str, Any], self_id: int | None) -> str:
    parsed = q.parse(monitor_type, query)
    thresholds = options.get("thresholds", {})
    critical = thresholds.get("critical")
    if parsed.threshold is not None and critical is not None and float(critical) != parsed.threshold:
        raise bad(f"Alert threshold ({critical}) does not match that used in the query ({parsed.threshold}).")
    warning = thresholds.get("warning")
    if warning is not None and critical is not None and parsed.op is not None:
        above = parsed.op in (">", ">=")
        if (above and warning >= critical) or (not above and warning <= critical):
            side = "below" if above else "above"
            raise bad(f"Warning threshold ({warning}) must be {side} the alert threshold ({critical}).")
    if monitor_type == "slo alert":
        _check_slo_alert(world, parsed.expr, parsed.threshold)
    if monitor_type == "composite":
        ids = q.composite_ids(query)
        missing = [i for i in ids if i == self_id or world.store.get(KIND, str(i)) is None]
        if missing:
            raise bad("Some monitor IDs are invalid", f"Invalid monitor IDs: {missing}")
    if monitor_type in ("metric alert", "query alert") and options.get("variables"):
        return "metric alert"  # formula and function monitors (recorded: a sent `query alert` comes back so)
    return "query alert" if monitor_type == "metric alert" and not q.is_simple_metric(query) else monitor_type


def _check_slo_alert(world: World, expr: str, threshold: float | None) -> None:
    m = q.SLO_QUERY.match(expr)
    assert m is not None
    slo = world.store.get("dd_slo", m.group("slo"))
    if slo is None:
        raise q.invalid(f"SLO {m.group('slo')} not found")
    timeframes = {t["timeframe"]: t for t in slo["thresholds"]}
    over = m.group("over")
    if over not in timeframes:
        raise q.invalid(f"timeframe {over} is not configured on SLO {slo['id']} ({sorted(timeframes)})")
    if m.group("fn") == "burn_rate":
        long_s = q.duration_seconds(m.group("long") or "")
        short_s = q.duration_seconds(m.group("short") or "")
        if long_s is None or short_s is None:
            raise q.invalid("long_window and short_window must be durations such as 1h or 5m")
        if not 3600 <= long_s <= 48 * 3600:
            raise q.invalid("long_window must be between 1h and 48h")
        if short_s >= long_s:
            raise q.invalid("short_window must be shorter than long_window")
        target = float(timeframes[over]["target"])
        maximum = 1 / (1 - target / 100)
        if threshold is None or not 0 < threshold <= maximum:
            raise q.invalid(f"burn rate threshold must be > 0 and <= {maximum:.2f} for a target of {target}")


def _matching_downtimes(world: World, monitor: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for dt_ in world.store.list("dd_downtime"):
        attrs = dt_["attributes"]
        if attrs.get("canceled"):
            continue
        ident = attrs["monitor_identifier"]
        if "monitor_id" in ident:
            hit = ident["monitor_id"] == monitor["id"]
        else:
            wanted = set(ident.get("monitor_tags", []))
            hit = wanted == {"*"} or wanted <= set(monitor.get("tags", []))
        if hit:
            sched = attrs["schedule"]
            start = sched.get("start") or attrs["created"]
            end = sched.get("end")
            out.append(
                {
                    "id": int(dt_["id"].replace("-", "")[:12], 16),
                    "scope": [attrs["scope"]],
                    "start": int(dt.datetime.fromisoformat(start).timestamp()),
                    "end": int(dt.datetime.fromisoformat(end).timestamp()) if end else None,
                }
            )
    return out


def build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    _check_types(body)
    merged: dict[str, Any] = dict(existing or {})
    for key in WRITABLE:
        if key in body:
            merged[key] = body[key]
    if existing is None:
        if not merged.get("type"):
            raise bad("The value provided for parameter 'type' is invalid: type is required")
        if merged.get("query") in (None, ""):
            raise bad("The value provided for parameter 'query' is invalid: query is required")
    elif "type" in body and not _same_type(body["type"], existing):
        raise bad("The value provided for parameter 'type' is invalid: a monitor's type cannot be changed")
    if existing is not None and body.get("type") in METRIC_FAMILY and not _keeps_query_alert(body, existing):
        existing = {**existing, "_requested_type": body["type"]}  # `dog monitor update --type query alert`
    requested_type = str(merged["type"]) if existing is None else existing["_requested_type"]
    if requested_type not in TYPES:
        raise bad(f"The value provided for parameter 'type' is invalid: unknown monitor type {requested_type!r}")
    for key in ("name", "message", "query"):
        merged[key] = _trim(merged.get(key)) or ""
    if existing is None and not merged["name"]:
        merged["name"] = default_name(merged["query"])
    sent_options = body.get("options") if "options" in body else (existing or {}).get("options")
    if existing is not None and isinstance(sent_options, dict) and "silenced" not in sent_options:
        # A PUT replaces `options`, but not the mutes: datadogpy's recorded TestDatadog.test_monitor_crud
        # updates options without `silenced` and the `*` mute set on create is still there.
        sent_options = {**sent_options, "silenced": existing["options"].get("silenced", {})}
    options = normalize_options(requested_type, sent_options)
    merged["options"] = options
    merged["type"] = _check_thresholds(
        world, requested_type, merged["query"], options, existing["id"] if existing else None
    )
    merged["_requested_type"] = requested_type
    merged["tags"] = list(merged.get("tags") or [])
    if not merged.get("priority"):
        merged["priority"] = None
    merged.setdefault("restricted_roles", None)
    if merged.get("draft_status") is None:
        merged["draft_status"] = "published"
    if merged.get("assets") is None:
        merged["assets"] = []
    return merged


_SIMPLE = re.compile(
    r"^(?P<agg>avg|sum|max|min)\(last_(?P<window>\w+)\):\w+:(?P<metric>[\w.]+)\{(?P<scope>[^}]*)\}"
    r"(?:\s+by\s+\{[^}]*\})?\s*(?P<op>>=|<=|>|<)\s*(?P<threshold>-?[\d.]+)$"
)
_AGG_WORDS = {"avg": "on average", "sum": "in total", "max": "at least once", "min": "at all times"}


def default_name(query: str) -> str:
    """The name Datadog gives a monitor created without one (recorded by datadogpy, TestDatadog.
    test_monitor_muting: "**system.net.bytes_rcvd** over **host:host0** was **> 100.0** on average during the
    **last 1h**."); other queries are named after themselves."""
    m = _SIMPLE.match(query)
    if m is None:
        return query
    return (
        f"**{m['metric']}** over **{m['scope']}** was **{m['op']} {float(m['threshold'])}** "
        f"{_AGG_WORDS[m['agg']]} during the **last {m['window']}**."
    )


def _fingerprint(mon: dict[str, Any]) -> str:
    """What makes two monitors the same monitor to Datadog: everything the user set."""
    key = [
        mon["_requested_type"],
        mon["name"],
        mon["message"],
        mon["query"],
        sorted(mon["tags"]),
        mon["options"],
        mon.get("priority"),
    ]
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


def _check_duplicate(world: World, mon: dict[str, Any], self_id: int | None) -> str:
    """Datadog refuses a monitor identical to an existing one: 400 "Duplicate of an existing
    monitor_id:N org_id:M" (terraform-provider-datadog#1739). Indexed so that creates stay O(1)."""
    fingerprint = _fingerprint(mon)
    other = world.store.get(FINGERPRINTS, fingerprint)
    if other is not None and other["id"] != self_id and world.store.get(KIND, str(other["id"])) is not None:
        raise bad(f"Duplicate of an existing monitor_id:{other['id']} org_id:{ORG_ID}")
    return fingerprint


def _index(world: World, mon: dict[str, Any], previous: str | None) -> None:
    if previous is not None:
        world.store.delete(FINGERPRINTS, previous)
    mon["_fingerprint"] = fingerprint = _fingerprint(mon)
    world.store.put(FINGERPRINTS, fingerprint, {"id": mon["id"]})


def render(mon: dict[str, Any], *, creator: bool = True) -> dict[str, Any]:
    out = {
        "id": mon["id"],
        "org_id": ORG_ID,
        "type": mon["type"],
        "name": mon["name"],
        "message": mon["message"],
        "tags": mon["tags"],
        "query": mon["query"],
        "options": mon["options"],
        "multi": q.is_multi(mon["query"]),
        "created_at": mon["created_at"],
        "created": mon["created"],
        "modified": mon["modified"],
        "deleted": None,
        "restricted_roles": mon["restricted_roles"],
        "priority": mon["priority"],
        "restriction_policy": None,
        "overall_state_modified": None,
        "overall_state": "No Data",
    }
    for key in ("draft_status", "assets"):
        if key in mon:
            out[key] = mon[key]
    if creator:
        out["creator"] = dict(CREATOR)
    return out


def load(world: World, monitor_id: str) -> dict[str, Any]:
    if not monitor_id.isdigit():
        raise bad(f"Invalid monitor_id: {monitor_id!r} is not an integer")
    mon = world.store.get(KIND, monitor_id)
    if mon is None:
        raise dd_error(404, NOT_FOUND)
    return mon


def create(world: World, req: Request, _: dict[str, str]) -> Response:
    body = body_object(req)
    with world.store.transaction():
        mon = build(world, body, None)
        _check_duplicate(world, mon, None)
        now = world.now()
        mon["id"] = world.store.next_counter("monitor_id", 150000001)
        mon["assets"] = [{**a, "monitor_id": mon["id"]} for a in mon["assets"] if isinstance(a, dict)]
        _index(world, mon, None)
        mon["created_at"] = int(now.timestamp() * 1000)
        mon["created"] = mon["modified"] = iso_micro(now)
        world.store.put(KIND, str(mon["id"]), mon)
    return Response(200, render(mon))


def _evaluated(world: World, out: dict[str, Any], group_states: bool) -> dict[str, Any]:
    """The state the sandbox's evaluation gives the monitor (``compiler.sandbox.evaluation``), once it has data."""
    state = evaluation.monitor_state(world, str(out["id"]))
    if state is not None:
        out["overall_state"], out["overall_state_modified"] = state["overall_state"], state["overall_state_modified"]
        if group_states:
            out["state"] = {"groups": state["groups"]}
    return out


def get(world: World, req: Request, p: dict[str, str]) -> Response:
    mon = load(world, p["monitor_id"])
    out = _evaluated(world, render(mon), bool(req.arg("group_states")))
    if req.arg("with_downtimes") is None or bool_arg(req, "with_downtimes"):
        out["matching_downtimes"] = _matching_downtimes(world, mon)
    return Response(200, out)


def update(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req)
    with world.store.transaction():
        existing = load(world, p["monitor_id"])
        previous = existing.get("_fingerprint")
        mon = build(world, body, existing)
        _check_duplicate(world, mon, mon["id"])
        _index(world, mon, previous)
        mon["modified"] = iso_micro(world.now())
        world.store.put(KIND, str(mon["id"]), mon)
    return Response(200, render(mon, creator=False))


def _references(world: World, monitor_id: int) -> list[str]:
    """What refers to a monitor, in Datadog's words (datadogpy's recorded TestDogshell.test_monitors:
    "is referenced in slos: [<id>,<name>]")."""
    refs = []
    for slo in world.store.list("dd_slo"):
        if monitor_id in slo.get("monitor_ids", []):
            refs.append(f"slos: [{slo['id']},{slo['name']}]")
    for other in world.store.list(KIND):
        if other["type"] == "composite" and monitor_id in q.composite_ids(other["query"]):
            refs.append(f"composite monitors: [{other['id']},{other['name']}]")
    return refs


def delete(world: World, req: Request, p: dict[str, str]) -> Response:
    with world.store.transaction():
        mon = load(world, p["monitor_id"])
        refs = _references(world, mon["id"])
        if refs and (req.arg("force") or "").lower() != "true":
            raise bad(f"monitor [{mon['id']},{mon['name']}] is referenced in {', '.join(refs)}")
        world.store.delete(KIND, p["monitor_id"])
        world.store.delete(FINGERPRINTS, str(mon.get("_fingerprint")))
    return Response(200, {"deleted_monitor_id": mon["id"]})


_SEARCH_TERM = re.compile(r'(?:(?P<field>[a-z_]+):)?(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')


def _status_matches(wanted: str, status: str) -> bool:
    """``status:alert`` etc.; ``triggered`` is any of Alert, Warn and No Data (Datadog's manage-page facet)."""
    if wanted.lower() == "triggered":
        return status in ("Alert", "Warn", "No Data")
    return wanted.lower() == status.lower()


def _search_matches(monitor: dict[str, Any], query: str, status: str | None = None) -> bool:
    """Datadog's monitor search, the subset of its syntax the sandbox knows: ``tag:``, ``type:``, ``id:``,
    ``status:`` (against ``status``, the evaluated state; not applied when None) and free text in the name;
    terms AND-ed. Unknown fields match everything (accept and record, never reject what Datadog accepts)."""
    for term in _SEARCH_TERM.finditer(query):
        field, value = (
            term.group("field"),
            term.group("quoted") if term.group("quoted") is not None else term.group("bare"),
        )
        if field == "tag" and value not in monitor.get("tags", []):
            return False
        if field == "type" and value != monitor.get("type"):
            return False
        if field == "id" and value != str(monitor.get("id")):
            return False
        if field == "status" and status is not None and not _status_matches(value, status):
            return False
        if field is None and value.lower() not in str(monitor.get("name", "")).lower():
            return False
    return True


def _groups_of(world: World, monitor: dict[str, Any]) -> list[tuple[str, str]]:
    """(group, status) of a monitor: its evaluated groups, or one ``*`` group in No Data before any data."""
    state = evaluation.monitor_state(world, str(monitor["id"]))
    if state is None:
        return [("*", "No Data")]
    return sorted((group, entry["status"]) for group, entry in state["groups"].items())


def _overall(world: World, monitor: dict[str, Any]) -> str:
    state = evaluation.monitor_state(world, str(monitor["id"]))
    return "No Data" if state is None else str(state["overall_state"])


STATUSES = {"alert", "warn", "no data", "ok", "ignored", "skipped", "unknown", "triggered"}
GROUP_STATES = {"all", "alert", "warn", "no data", "ok", "ignored", "skipped", "unknown"}


def _check_statuses(query: str) -> None:
    """Recorded (v1 `monitors`): an unknown `status:` is a query parsing error."""
    for term in _SEARCH_TERM.finditer(query):
        value = term.group("quoted") if term.group("quoted") is not None else term.group("bare")
        if term.group("field") == "status" and value.lower() not in STATUSES:
            raise bad(f"Query parsing error: '{value}' is not a valid monitor status")


def search_groups(world: World, req: Request, _: dict[str, str]) -> Response:
    """GET /api/v1/monitor/groups/search: one row per monitor group with its evaluated status (a monitor without
    data yet is one group ``*`` in No Data); Datadog's shape (groups, counts by status, metadata)."""
    query = req.arg("query") or ""
    _check_statuses(query)
    page = int_arg(req, "page", 0) or 0
    per_page = int_arg(req, "per_page", 30, minimum=1, maximum=1000) or 30
    rows = [
        {"group": group, "group_tags": group.split(","), "monitor_id": m["id"], "monitor_name": m["name"], "status": st}
        for m in sorted(world.store.list(KIND), key=lambda m: int(m["id"]))
        if _search_matches(m, query)
        for group, st in _groups_of(world, m)
        if _search_matches(m, query, st)
    ]
    groups = rows[page * per_page : (page + 1) * per_page]
    pages = (len(rows) + per_page - 1) // per_page
    metadata = {"page": page, "page_count": pages, "per_page": per_page, "total_count": len(rows)}
    by_status: dict[str, int] = {}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
    counts = {"status": [{"count": n, "name": name} for name, n in sorted(by_status.items())], "type": []}
    return Response(200, {"groups": groups, "counts": counts, "metadata": metadata})


def search(world: World, req: Request, _: dict[str, str]) -> Response:
    """GET /api/v1/monitor/search: one page of matching monitors (``page`` from 0, ``per_page`` default 30)."""
    _check_statuses(req.arg("query") or "")
    page = int_arg(req, "page", 0) or 0
    per_page = int_arg(req, "per_page", 30, minimum=1, maximum=1000) or 30
    query = req.arg("query") or ""
    found = [
        m
        for m in sorted(world.store.list(KIND), key=lambda m: int(m["id"]))
        if _search_matches(m, query, _overall(world, m))
    ]
    chunk = found[page * per_page : (page + 1) * per_page]
    monitors = [
        {
            "id": m["id"],
            "name": m["name"],
            "type": m["type"],
            "query": m["query"],
            "tags": m.get("tags", []),
            "status": _overall(world, m),
        }
        for m in chunk
    ]
    pages = (len(found) + per_page - 1) // per_page
    metadata = {"page": page, "page_count": pages, "per_page": per_page, "total_count": len(found)}
    return Response(200, {"monitors": monitors, "metadata": metadata, "counts": {}})


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    states = [s.strip() for s in (req.arg("group_states") or "").split(",") if s.strip()]
    if any(s not in GROUP_STATES for s in states):
        raise bad("Invalid group_state filters.")
    page = int_arg(req, "page", None)
    page_size = int_arg(req, "page_size", None, minimum=1, maximum=1000)
    id_offset = int_arg(req, "id_offset", None)
    # Sorted once per change of the monitors, not once per page (a 30,000-monitor plan reads 30 pages).
    tags = [t for t in (req.arg("monitor_tags") or "").split(",") if t]
    if tags:  # only the monitors with the first tag are candidates (find-by-key before every create)
        monitors = sorted(world.store.having(KIND, "tags", tags[0]), key=lambda m: int(m["id"]))
    else:
        monitors = world.store.derived(
            "monitors_by_id", (KIND,), lambda: sorted(world.store.list(KIND), key=lambda m: int(m["id"]))
        )
    if tags:
        monitors = [m for m in monitors if set(tags) <= set(m["tags"])]
    scope = [t for t in (req.arg("tags") or "").split(",") if t]
    if scope:
        monitors = [m for m in monitors if all(t in m["query"] for t in scope)]
    name = (req.arg("name") or "").lower()
    if name:
        monitors = [m for m in monitors if name in m["name"].lower()]
    if id_offset is not None:
        monitors = [m for m in monitors if m["id"] > id_offset]
    if page is not None or page_size is not None:
        size = page_size or 100
        start = (page or 0) * size
        monitors = monitors[start : start + size]
    with_dt = req.arg("with_downtimes") is None or bool_arg(req, "with_downtimes")
    out = []
    for m in monitors:
        item = _evaluated(world, render(m), bool(states))
        if with_dt:
            item["matching_downtimes"] = _matching_downtimes(world, m)
        out.append(item)
    return Response(200, out)


def validate(world: World, req: Request, p: dict[str, str]) -> Response:
    body = body_object(req)
    existing = load(world, p["monitor_id"]) if "monitor_id" in p else None
    if existing is not None and "type" in body and not _same_type(body["type"], existing):
        raise bad("The value provided for parameter 'type' is invalid: a monitor's type cannot be changed")
    build(world, body, None)
    return Response(200, {})


def can_delete(world: World, req: Request, _: dict[str, str]) -> Response:
    raw = req.arg("monitor_ids") or ""
    try:
        ids = [int(x) for x in raw.split(",") if x]
    except ValueError as exc:
        raise bad("Invalid monitor_ids") from exc
    if not ids:
        raise bad("monitor_ids is required")
    ok, errors = [], {}
    for i in ids:
        refs = _references(world, i)
        if refs:
            mon = world.store.get(KIND, str(i)) or {"name": ""}
            errors[str(i)] = [f"monitor [{i},{mon['name']}] is referenced in {', '.join(refs)}"]
        else:
            ok.append(i)
    if errors:
        return Response(409, {"data": {"ok": ok}, "errors": errors})
    return Response(200, {"data": {"ok": ok}, "errors": None})


ROUTES = [
    route("GET", "/api/v1/monitor/can_delete", can_delete, FAMILY),
    route("POST", "/api/v1/monitor/validate", validate, FAMILY),
    route("POST", "/api/v1/monitor/{monitor_id}/validate", validate, FAMILY),
    route("GET", "/api/v1/monitor/search", search, FAMILY),
    route("GET", "/api/v1/monitor/groups/search", search_groups, FAMILY),
    *resource_routes(FAMILY, "/api/v1/monitor", "/api/v1/monitor/{monitor_id}", (list_, create, get, update, delete)),
]
