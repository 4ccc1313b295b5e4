"""Normalizers for the Datadog kinds: monitor (incl. ``slo alert``), slo, downtime (v2),
service_definition (v2.2) and the PagerDuty integration's service objects.

Each runs as its kind's ``rules`` (``ResourceKind.normalize``): on the unwrapped object, with
the kind's ``server_owned`` fields already removed (the ``*_SERVER_OWNED`` lists below are
what the kinds declare), its ``order_free`` lists already sorted and alertc's ownership mark
(tags, marker line) already taken out.

Rule numbers (``R3.1-n``) refer to ``reference/datadog-api.md`` §3.1, and ``§1.x``
to the endpoint sections of the same file; each rule has a golden test in
``tests/providers/normalize/test_datadog.py``.

Some rules depend on what the user *authored* (the SLO representation, an
omitted ``new_host_delay``, a downtime ``start`` left to the server). A
normalizer sees one body at a time, so those live in the ``reconcile_*``
functions, which run on the two normalized forms and only ever remove a field
from the live side that the desired side leaves to the server.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from compiler.canonical import canonical_json
from compiler.providers.normalize.common import (
    JSONDict,
    as_dict,
    canonical_instant,
    drop,
    finalize,
    fold_defaults,
    normalize_tag,
    sorted_by,
    sorted_set,
    strip_fields,
)

# --- unwrapping -------------------------------------------------------------------------------


def unwrap_slo(body: dict[str, Any]) -> dict[str, Any]:
    """SLO create/update answer ``{"data": [slo]}``, GET answers ``{"data": slo}`` (§1.3)."""
    data = body.get("data")
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
        return data[0]
    if isinstance(data, dict):
        return data
    return body


def unwrap_downtime(body: dict[str, Any]) -> dict[str, Any]:
    """JSON:API envelope ``{"data": {"type", "id", "attributes"}}`` → attributes (§1.4); an envelope
    without attributes holds an empty object."""
    data = body.get("data")
    inner = data if isinstance(data, dict) else body
    attributes = inner.get("attributes")
    if isinstance(attributes, dict):
        return attributes
    return body if inner is body else {}


def unwrap_service_definition(body: dict[str, Any]) -> dict[str, Any]:
    """``{"data": [{"attributes": {"meta", "schema"}}]}`` or the raw schema document → schema (§1.5)."""
    data = body.get("data")
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    inner = data if isinstance(data, dict) else body
    attributes = inner.get("attributes")
    if isinstance(attributes, dict) and isinstance(attributes.get("schema"), dict):
        return attributes["schema"]  # type: ignore[no-any-return]
    if isinstance(inner.get("schema"), dict):
        return inner["schema"]  # type: ignore[no-any-return]
    return inner


# --- monitor ----------------------------------------------------------------------------------

# §1.1 read-only fields, §1.8 list, Terraform's monitorComputedFields.
MONITOR_SERVER_OWNED = (
    "id", "created", "created_at", "modified", "modified_at", "deleted", "creator", "org_id",
    "multi", "overall_state", "overall_state_modified", "state", "matching_downtimes",
    "restriction_policy", "url", "classification", "author_handle", "author_name", "run_as",
    "restricted",
)  # fmt: skip
# §1.8: options the server adds or owns; never authored by alertc.
MONITOR_OPTIONS_SERVER_OWNED = ("silenced", "aggregation", "device_ids", "avalanche_window", "locked")
# R3.1-5: server fills these in when omitted.
MONITOR_OPTION_DEFAULTS: Mapping[str, Any] = {
    "notify_audit": False,
    "include_tags": True,
    "notify_no_data": False,
    "new_host_delay": 300,
    "groupby_simple_monitor": False,
    "on_missing_data": "default",  # R3.1-8
}
# R3.1-4: thresholds that only mean something for service checks.
_SERVICE_CHECK_ONLY_THRESHOLDS = ("ok", "unknown")
MONITOR_TYPE_ALIASES: Mapping[str, str] = {"metric alert": "query alert"}  # R3.1-2


def normalize_monitor(body: Mapping[str, Any]) -> JSONDict:
    # A shallow copy is enough: only top-level keys are changed in place here, sub-objects are
    # copied where they are changed (``as_dict``) and ``finalize`` builds new containers. (A deep
    # copy per monitor was a third of a 13,000-monitor plan's CPU.)
    m = dict(body)
    strip_fields(m, ("name", "message", "query"))  # R3.1-1
    if isinstance(m.get("type"), str):
        m["type"] = MONITOR_TYPE_ALIASES.get(m["type"].strip(), m["type"].strip())  # R3.1-2
    # R3.1-11: tags are not lowercased (a set: order_free; alertc's own tags are not compared)
    if m.get("priority") in (0, None):  # R3.1-9
        m.pop("priority", None)
    if m.get("draft_status") == "published":  # R3.1-20: missing == published
        del m["draft_status"]
    m["options"] = _normalize_monitor_options(as_dict(m.get("options")), m.get("type"))
    return finalize(m)  # type: ignore[no-any-return]


def _normalize_monitor_options(o: JSONDict, monitor_type: Any) -> JSONDict:
    strip_fields(o, ("escalation_message",))  # R3.1-1
    fold_defaults(o, MONITOR_OPTION_DEFAULTS)  # R3.1-5, R3.1-8
    thresholds = as_dict(o.get("thresholds"))  # R3.1-3: floats, nulls dropped
    if monitor_type != "service check":
        drop(thresholds, _SERVICE_CHECK_ONLY_THRESHOLDS)  # R3.1-4
    o["thresholds"] = {k: float(v) for k, v in thresholds.items() if _is_number(v)}
    if o.get("notify_no_data") is not True:  # R3.1-6
        o.pop("no_data_timeframe", None)
    scheduling = as_dict(o.get("scheduling_options"))
    if scheduling.get("custom_schedule"):  # R3.1-8
        o.pop("require_full_window", None)
    return o  # R3.1-10/11: restricted_roles, renotify_statuses and notify_by are sets (order_free)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def reconcile_monitor(desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
    """R3.1-7: ``new_host_delay`` is deprecated and GET may omit it; compare it only if authored."""
    del now
    options = live.get("options")
    if "new_host_delay" in desired.get("options", {}) or not isinstance(options, dict):
        return desired, live
    if "new_host_delay" not in options and options:
        return desired, live  # nothing to align: no copy (this runs for every monitor of a plan)
    live = dict(live)
    trimmed = {k: v for k, v in options.items() if k != "new_host_delay"}
    if trimmed:
        live["options"] = trimmed
    else:
        del live["options"]
    return desired, live


# --- SLO --------------------------------------------------------------------------------------

SLO_SERVER_OWNED = (
    "id", "creator", "created_at", "modified_at", "type_id", "monitor_tags", "configured_alert_ids",
    "deleted",
)  # fmt: skip
_TIMEFRAME_ORDER = {"7d": 0, "30d": 1, "90d": 2, "custom": 3}


def normalize_slo(body: Mapping[str, Any]) -> JSONDict:
    s = copy.deepcopy(dict(body))
    strip_fields(s, ("name", "description"))  # R3.1-15
    if s.get("description") == "":  # R3.1-14: "" == null
        del s["description"]
    tags = (normalize_tag(t) for t in s.get("tags") or () if isinstance(t, str))
    s["tags"] = sorted_set(t for t in tags if t)  # R3.1-12
    thresholds = [_normalize_slo_threshold(t) for t in s.get("thresholds") or () if isinstance(t, Mapping)]
    _derive_primary_threshold(s, thresholds)  # R3.1-14
    s["thresholds"] = sorted(
        thresholds, key=lambda t: (_TIMEFRAME_ORDER.get(str(t.get("timeframe")), 9), canonical_json(t))
    )
    if s.get("type") != "monitor":
        s.pop("monitor_ids", None)  # R3.1-14: server drops monitor_ids:[] on metric SLOs
    query = as_dict(s.get("query"))
    strip_fields(query, ("numerator", "denominator"))
    s["query"] = query
    s["sli_specification"] = _normalize_sli_spec(as_dict(s.get("sli_specification")))
    return finalize(s)  # type: ignore[no-any-return]


def _normalize_slo_threshold(t: Mapping[str, Any]) -> JSONDict:
    out = dict(t)
    drop(out, ("target_display", "warning_display"))  # R3.1-13
    for key in ("target", "warning"):
        if _is_number(out.get(key)):
            out[key] = float(out[key])
    return out


def _derive_primary_threshold(s: JSONDict, thresholds: list[JSONDict]) -> None:
    """The server fills ``timeframe``/``target_threshold``/``warning_threshold`` from ``thresholds``.

    Doing the same on the desired side makes "omitted" equal "derived" (R3.1-14);
    without an explicit ``timeframe`` the first threshold entry is the primary one.
    """
    if not thresholds:
        return
    timeframe = s.get("timeframe") or thresholds[0].get("timeframe")
    primary = next((t for t in thresholds if t.get("timeframe") == timeframe), None)
    s["timeframe"] = timeframe
    if primary is None:
        return
    if s.get("target_threshold") is None:
        s["target_threshold"] = primary.get("target")
    if s.get("warning_threshold") is None and primary.get("warning") is not None:
        s["warning_threshold"] = primary.get("warning")
    for key in ("target_threshold", "warning_threshold"):
        if _is_number(s.get(key)):
            s[key] = float(s[key])


def _normalize_sli_spec(spec: JSONDict) -> JSONDict:
    time_slice = as_dict(spec.get("time_slice"))
    if time_slice:
        fold_defaults(time_slice, {"query_interval_seconds": 300})  # R3.1-16
        spec["time_slice"] = time_slice
    return spec


def reconcile_slo(desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
    """R3.1-16: the server derives ``query`` and ``sli_specification`` from each other; diff the authored one."""
    del now
    live = copy.deepcopy(live)
    if "sli_specification" in desired and "query" not in desired:
        live.pop("query", None)
    if "query" in desired and "sli_specification" not in desired:
        live.pop("sli_specification", None)
    return desired, live


# --- downtime (v2) ----------------------------------------------------------------------------

# R3.1-18: recurring schedules gain ``current_downtime``.
DOWNTIME_SERVER_OWNED = ("id", "created", "modified", "canceled", "status", "run_as", "schedule.current_downtime")
DOWNTIME_DEFAULTS: Mapping[str, Any] = {  # §1.4 server defaults, R3.1-17
    "display_timezone": "UTC",
    "mute_first_recovery_notification": False,
    "notify_end_states": ["alert", "no data", "warn"],
    "notify_end_types": ["expired"],
}


def normalize_downtime(body: Mapping[str, Any]) -> JSONDict:
    d = copy.deepcopy(dict(body))
    strip_fields(d, ("message", "scope"))
    if d.get("message") == "":
        del d["message"]
    fold_defaults(d, DOWNTIME_DEFAULTS)  # R3.1-17 (set comparison; the lists come in random order: order_free)
    d["schedule"] = _normalize_downtime_schedule(as_dict(d.get("schedule")))
    return finalize(d)  # type: ignore[no-any-return]


def _normalize_downtime_schedule(s: JSONDict) -> JSONDict:
    for key in ("start", "end"):
        if key in s:
            s[key] = canonical_instant(s[key])  # instants in UTC
    if "recurrences" in s:
        fold_defaults(s, {"timezone": "UTC"})
        # Recurrence ``start`` is wall-clock local to ``timezone``: not an instant, left as is.
        s["recurrences"] = sorted_by(s["recurrences"], "start", "rrule")
    return s


def reconcile_downtime(desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
    """R3.1-18: a ``start`` left to the server (null → "now") is not compared."""
    del now
    live = copy.deepcopy(live)
    desired_schedule = desired.get("schedule", {})
    live_schedule = live.get("schedule", {})
    if "start" not in desired_schedule and "recurrences" not in desired_schedule:
        live_schedule.pop("start", None)
    if not live_schedule:
        live.pop("schedule", None)
    return desired, live


# --- service definition (v2.2) ----------------------------------------------------------------


SERVICE_DEFINITION_SERVER_OWNED = ("dd-team",)  # computed


def normalize_service_definition(body: Mapping[str, Any]) -> JSONDict:
    """R3.1-19 (Terraform's ``prepServiceDefinitionResource``)."""
    sd = copy.deepcopy(dict(body))
    if isinstance(sd.get("dd-service"), str):
        sd["dd-service"] = normalize_tag(sd["dd-service"])
    strip_fields(sd, ("description", "team", "application", "tier", "lifecycle"))
    tags = (normalize_tag(t) for t in sd.get("tags") or () if isinstance(t, str))
    sd["tags"] = sorted_set(t for t in tags if t)
    sd["contacts"] = sorted_by(sd.get("contacts"), "type", "contact", "name")
    for key in ("links", "repos", "docs"):
        sd[key] = sorted_by(sd.get(key), "name")
    integrations = as_dict(sd.get("integrations"))
    if isinstance(integrations.get("pagerduty"), str):  # v2 → v2.x shape
        integrations["pagerduty"] = {"service-url": integrations["pagerduty"]}
    sd["integrations"] = integrations
    return finalize(sd, drop_empty_strings=True)  # type: ignore[no-any-return]


# --- PagerDuty integration service object (v1, §1.7) -------------------------------------------


def normalize_pagerduty_service_object(body: Mapping[str, Any]) -> JSONDict:
    """Only ``service_name`` is comparable: ``service_key`` is write-only (GET never returns it,
    the legacy list masks it as ``*****``), so a key change must be pushed, not diffed."""
    out = {"service_name": body.get("service_name")}
    strip_fields(out, ("service_name",))
    return finalize(out)  # type: ignore[no-any-return]
