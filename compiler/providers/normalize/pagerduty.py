"""Normalizers for the PagerDuty kinds: schedule, escalation_policy, service, integration,
maintenance_window.

Rule numbers (``R5-n``) refer to ``reference/pagerduty-api.md`` §5, ``§2.x`` to its
endpoint sections; each rule has a golden test in
``tests/providers/normalize/test_pagerduty.py``.

Two rewrites need more than one body: schedule layer ``start`` (R5-1) and
maintenance window ``start_time`` are replaced by the server when they lie in
the past, and ended layers are hidden (R5-5). Those need the plan's ``now``
and live in the ``reconcile_*`` functions. The layer order reversal between
GET and PUT (R5-4) is a property of the *response*, so it is undone by
``schedule_from_live`` before normalizing a live body.

Each normalizer runs as its kind's ``rules`` (``ResourceKind.normalize``): on the unwrapped
entity, with the kind's ``server_owned`` fields already removed (the ``*_SERVER_OWNED`` lists
below are what the kinds declare), its ``order_free`` lists already sorted and alertc's marker
line already out of the description.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from compiler.providers.normalize.common import (
    JSONDict,
    as_dict,
    canonical_instant,
    drop,
    finalize,
    fold_defaults,
    map_list,
    parse_instant,
    reference,
    sorted_by,
    sorted_set,
    strip_fields,
    time_of_day,
)

# R5-7 and §2.4: EP targets may name the same object several ways.
REFERENCE_ALIASES: Mapping[str, str] = {"schedule_v3": "schedule"}
# DOCS "References": summary/self/html_url are rendered by the server.
_RENDERED = ("id", "summary", "self", "html_url", "type")


def _description(obj: JSONDict) -> None:
    """R5-14: ``null`` == ``""`` (the ownership marker is already out of the user's text)."""
    text = obj.get("description")
    text = text.strip() if isinstance(text, str) else text
    if text:
        obj["description"] = text
    else:
        obj.pop("description", None)


def _ref(value: Any) -> JSONDict | None:
    return reference(value, REFERENCE_ALIASES)


def _refs_as_set(values: Any) -> list[Any]:
    return sorted_set(r for r in map_list(values, _ref) if r is not None)


# --- schedule ---------------------------------------------------------------------------------

# §2.4 read-only; ``teams`` only honoured on create (R5-6), so never diffed.
SCHEDULE_SERVER_OWNED = (
    *_RENDERED, "final_schedule", "overrides_subschedule", "escalation_policies", "users", "teams",
    "next_oncall_for_user",
)  # fmt: skip
LAYER_SERVER_OWNED = ("id", "rendered_schedule_entries", "rendered_coverage_percentage")


def schedule_from_live(body: Mapping[str, Any]) -> JSONDict:
    """R5-4: GET returns ``schedule_layers`` in the opposite order of PUT/POST; restore request order."""
    out = copy.deepcopy(dict(body))
    wrapped = out.get("schedule")  # PagerDuty wraps entities in their singular name
    inner = wrapped if isinstance(wrapped, dict) else out
    layers = inner.get("schedule_layers")
    if isinstance(layers, list):
        inner["schedule_layers"] = list(reversed(layers))
    return out


def normalize_schedule(body: Mapping[str, Any]) -> JSONDict:
    s = copy.deepcopy(dict(body))
    strip_fields(s, ("name", "time_zone"))
    _description(s)
    s["schedule_layers"] = [_normalize_layer(as_dict(layer)) for layer in s.get("schedule_layers") or ()]
    return finalize(s)  # type: ignore[no-any-return]


def _normalize_layer(layer: JSONDict) -> JSONDict:
    drop(layer, LAYER_SERVER_OWNED)  # R5-8-like: ids are server-assigned
    strip_fields(layer, ("name",))
    for key in ("start", "end", "rotation_virtual_start"):  # R5-2, R5-3: instants in UTC
        if key in layer:
            layer[key] = canonical_instant(layer[key])
    # users: order is rotation order, so a list (not a set) of references.
    layer["users"] = [
        _ref(u.get("user") if isinstance(u, Mapping) and "user" in u else u) for u in layer.get("users") or ()
    ]
    layer["restrictions"] = sorted_by(
        (_normalize_restriction(as_dict(r)) for r in layer.get("restrictions") or ()),
        "type", "start_day_of_week", "start_time_of_day",
    )  # fmt: skip
    return layer


def _normalize_restriction(r: JSONDict) -> JSONDict:
    r["start_time_of_day"] = time_of_day(r.get("start_time_of_day"))
    if r.get("type") != "weekly_restriction":
        r.pop("start_day_of_week", None)  # only meaningful for weekly restrictions
    return r


def reconcile_schedule(desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
    """R5-5 hide live layers that have ended; R5-1 don't compare a layer ``start`` in the past.

    PagerDuty rewrites a past ``start`` to "now" or to the last update time;
    Terraform's ``SuppressScheduleLayerStartDiff`` ignores it when both sides are
    in the past. Here the test is that the desired start is past and the live
    one is not earlier than it: PagerDuty only ever moves a start forward, and
    this stays true when alertc's clock runs behind the server's (right after
    an apply, or with a pinned ``ALERTC_NOW``). Layers are matched by name (R5-4).
    """
    desired, live = copy.deepcopy(desired), copy.deepcopy(live)
    live_layers = [layer for layer in live.get("schedule_layers", []) if not _is_past(layer.get("end"), now)]
    desired_by_name = {layer.get("name"): layer for layer in desired.get("schedule_layers", [])}
    for layer in live_layers:
        mine = desired_by_name.get(layer.get("name"))
        if mine is None:
            continue
        if _is_past(mine.get("start"), now) and _not_earlier(layer.get("start"), mine.get("start")):
            mine.pop("start", None)
            layer.pop("start", None)
    if live_layers:
        live["schedule_layers"] = live_layers
    else:
        live.pop("schedule_layers", None)
    return desired, live


def _not_earlier(value: Any, than: Any) -> bool:
    instant, reference = parse_instant(value), parse_instant(than)
    return instant is not None and reference is not None and instant >= reference


def _is_past(value: Any, now: datetime) -> bool:
    instant = parse_instant(value)
    return instant is not None and instant <= now


# --- escalation policy ------------------------------------------------------------------------

EP_SERVER_OWNED = (*_RENDERED, "services")
EP_DEFAULTS: Mapping[str, Any] = {"num_loops": 0, "on_call_handoff_notifications": "if_has_services"}


def normalize_escalation_policy(body: Mapping[str, Any]) -> JSONDict:
    ep = copy.deepcopy(dict(body))
    strip_fields(ep, ("name",))
    _description(ep)
    fold_defaults(ep, EP_DEFAULTS)
    ep["teams"] = _refs_as_set(ep.get("teams"))
    # R5-8: rules are positional (level 1, 2, ...); rule ids are server-assigned.
    ep["escalation_rules"] = [_normalize_rule(as_dict(r)) for r in ep.get("escalation_rules") or ()]
    return finalize(ep)  # type: ignore[no-any-return]


def _normalize_rule(rule: JSONDict) -> JSONDict:
    rule.pop("id", None)
    rule["targets"] = _refs_as_set(rule.get("targets"))  # R5-7: a set of (type, id)
    strategy = rule.get("escalation_rule_assignment_strategy")
    if isinstance(strategy, Mapping):  # R5-9: string in SPEC, object in practice
        strategy = strategy.get("type")
    if strategy in (None, "assign_to_everyone"):  # R5-9: missing == assign_to_everyone
        rule.pop("escalation_rule_assignment_strategy", None)
    else:
        rule["escalation_rule_assignment_strategy"] = strategy
    return rule


# --- service ----------------------------------------------------------------------------------

# §2.1 read-only, plus R5-11 (status/last_incident_timestamp), R5-12 (alert_creation) and the
# deprecated alert_grouping fields that real responses carry as null.
SERVICE_SERVER_OWNED = (
    *_RENDERED, "created_at", "updated_at", "last_incident_timestamp", "teams", "integrations",
    "addons", "alert_creation", "alert_grouping", "alert_grouping_timeout", "response_play",
)  # fmt: skip


def normalize_service(body: Mapping[str, Any]) -> JSONDict:
    svc = copy.deepcopy(dict(body))
    status = svc.pop("status", None)
    strip_fields(svc, ("name",))
    _description(svc)
    if status == "disabled":  # R5-11: only enabled vs disabled is desired state
        svc["status"] = "disabled"
    for key in ("auto_resolve_timeout", "acknowledgement_timeout"):  # R5-10: 0 == null
        if svc.get(key) == 0:
            svc.pop(key)
    svc["escalation_policy"] = _ref(svc.get("escalation_policy"))
    rule = _normalize_urgency_rule(as_dict(svc.get("incident_urgency_rule")))
    svc["incident_urgency_rule"] = rule
    if rule.get("type") == "use_support_hours":  # R5-13
        svc["support_hours"] = _normalize_support_hours(as_dict(svc.get("support_hours")))
        svc["scheduled_actions"] = sorted_by(
            (_normalize_scheduled_action(as_dict(a)) for a in svc.get("scheduled_actions") or ()),
            "type", "to_urgency",
        )  # fmt: skip
    else:  # only sent with use_support_hours (§2.1, TF #535)
        svc.pop("support_hours", None)
        svc.pop("scheduled_actions", None)
    grouping = as_dict(svc.get("alert_grouping_parameters"))
    svc["alert_grouping_parameters"] = grouping
    pause = as_dict(svc.get("auto_pause_notifications_parameters"))
    svc["auto_pause_notifications_parameters"] = pause if pause.get("enabled") is True else {}
    return finalize(svc)  # type: ignore[no-any-return]


def _normalize_urgency_rule(rule: JSONDict) -> JSONDict:
    if rule.get("type") == "use_support_hours":
        rule.pop("urgency", None)  # R5-13: top-level urgency must be absent
        for key in ("during_support_hours", "outside_support_hours"):
            rule[key] = _normalize_urgency_rule(as_dict(rule.get(key)))
    return rule


def _normalize_support_hours(sh: JSONDict) -> JSONDict:
    for key in ("start_time", "end_time"):  # R5-13: HH:MM:SS
        if key in sh:
            sh[key] = time_of_day(sh[key])
    return sh  # R5-13: days_of_week sorted (order_free)


def _normalize_scheduled_action(action: JSONDict) -> JSONDict:
    at = as_dict(action.get("at"))
    action["at"] = at
    return action


# --- integration ------------------------------------------------------------------------------

# §2.2 read-only; integration_key is read-only and secret-like; ``service`` is the parent (the
# engine matches integrations under their service).
INTEGRATION_SERVER_OWNED = ("id", "self", "html_url", "created_at", "integration_key", "service")


def normalize_integration(body: Mapping[str, Any]) -> JSONDict:
    i = copy.deepcopy(dict(body))
    summary = i.pop("summary", None)
    if not i.get("name") and isinstance(summary, str):
        i["name"] = summary  # references in service.integrations carry only summary
    strip_fields(i, ("name",))
    vendor = _ref(i.get("vendor"))
    i["vendor"] = vendor
    if vendor is not None and vendor.get("id"):
        # §2.2: with a vendor the server chooses the type (generic_events_api_inbound_integration,
        # event_transformer_api_inbound_integration, or service_integration as sent); never by type.
        i.pop("type", None)
    elif isinstance(i.get("type"), str):
        i["type"] = i["type"].removesuffix("_reference")
    return finalize(i)  # type: ignore[no-any-return]


# --- maintenance window -----------------------------------------------------------------------

MW_SERVER_OWNED = (*_RENDERED, "sequence_number", "created_by", "teams")


def normalize_maintenance_window(body: Mapping[str, Any]) -> JSONDict:
    mw = copy.deepcopy(dict(body))
    _description(mw)
    for key in ("start_time", "end_time"):  # R5-2, R5-17: instants
        if key in mw:
            mw[key] = canonical_instant(mw[key])
    mw["services"] = _refs_as_set(mw.get("services"))  # R5-17: a set
    return finalize(mw)  # type: ignore[no-any-return]


def reconcile_maintenance_window(desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
    """§2.5: a past ``start_time`` is replaced by the server with the creation time."""
    desired, live = copy.deepcopy(desired), copy.deepcopy(live)
    if _is_past(desired.get("start_time"), now) and _is_past(live.get("start_time"), now):
        desired.pop("start_time", None)
        live.pop("start_time", None)
    return desired, live
