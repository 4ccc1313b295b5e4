"""Escalation policies. Rule ids are server-assigned; a policy in use by a
service cannot be deleted; names reject the characters the API rejects."""

from __future__ import annotations

import re
from typing import Any

from compiler.sandbox.errors import pd_error, pd_invalid
from compiler.sandbox.pagerduty.common import decorate, having, paginate, queried, ref, refs, text_or_none
from compiler.sandbox.pagerduty.crud import Entity
from compiler.sandbox.routing import Request, Response
from compiler.sandbox.world import World, pd_id

KIND = "pd_escalation_policy"
BAD_NAME = re.compile(r"[\\/&<>]")
NOT_FOUND = ("Escalation Policy Not Found", 5001)
TARGETS = {"user": "pd_user", "schedule": "pd_schedule"}


def _target(world: World, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise pd_invalid("Escalation rule targets must be references with an id and type")
    kind = str(raw.get("type", "")).removesuffix("_reference")
    if kind == "schedule_v3":
        kind = "schedule"
    if kind not in TARGETS:
        raise pd_invalid("Escalation rule target type must be user_reference or schedule_reference")
    if world.store.get(TARGETS[kind], raw["id"]) is None:
        raise pd_invalid(f"Escalation rule target {raw['id']} not found")
    return {"id": raw["id"], "kind": kind}


def build(world: World, body: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    ep = dict(existing or {})
    name = body.get("name", ep.get("name"))
    if not isinstance(name, str) or not name.strip():
        raise pd_invalid("Name cannot be empty.")
    if BAD_NAME.search(name) or name != name.rstrip():
        raise pd_invalid("Name cannot contain \\ / & < > or trailing spaces.")
    ep["name"] = name
    if "description" in body or existing is None:
        ep["description"] = text_or_none(body.get("description"), "description")
    loops = body.get("num_loops", ep.get("num_loops", 0))
    if not isinstance(loops, int) or isinstance(loops, bool) or loops < 0:
        raise pd_invalid("num_loops must be a non-negative integer")
    ep["num_loops"] = loops
    handoff = body.get("on_call_handoff_notifications", ep.get("on_call_handoff_notifications")) or "if_has_services"
    if handoff not in ("if_has_services", "always"):
        raise pd_invalid("on_call_handoff_notifications must be if_has_services or always")
    ep["on_call_handoff_notifications"] = handoff
    if "escalation_rules" in body or existing is None:
        rules = body.get("escalation_rules")
        if not isinstance(rules, list) or not rules:
            raise pd_invalid("Escalation rules cannot be empty.")
        out = []
        for r in rules:
            if not isinstance(r, dict):
                raise pd_invalid("Escalation rules must be objects")
            delay = r.get("escalation_delay_in_minutes")
            if not isinstance(delay, int) or isinstance(delay, bool) or delay < 1:
                raise pd_invalid("Escalation delay must be at least 1 minute")
            targets = r.get("targets")
            if not isinstance(targets, list) or not 1 <= len(targets) <= 10:
                raise pd_invalid("Escalation rules must have between 1 and 10 targets")
            out.append(
                {"id": pd_id(), "escalation_delay_in_minutes": delay, "targets": [_target(world, t) for t in targets]}
            )
        ep["rules"] = out
    if "teams" in body or existing is None:
        teams = body.get("teams") or []
        if not isinstance(teams, list) or len(teams) > 1:
            raise pd_invalid("An escalation policy can belong to at most one team")
        for t in teams:
            if world.store.get("pd_team", str((t or {}).get("id"))) is None:
                raise pd_invalid("Team not found")
        ep["team_ids"] = [t["id"] for t in teams]
    return ep


def _services_by_policy(world: World) -> dict[str, list[tuple[str, str]]]:
    """Policy id → its services; rebuilt only when a service changes, not per policy rendered."""

    def build() -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for s in world.store.list("pd_service"):
            out.setdefault(s["escalation_policy_id"], []).append((s["id"], s["name"]))
        return out

    return world.store.derived("services_by_policy", ("pd_service",), build)


def render(world: World, ep: dict[str, Any]) -> dict[str, Any]:
    rules = []
    for r in ep["rules"]:
        targets = []
        for t in r["targets"]:
            obj = world.store.get(TARGETS[t["kind"]], t["id"])
            targets.append(ref(world, t["kind"], t["id"], obj["name"] if obj else None))
        rules.append(
            {"id": r["id"], "escalation_delay_in_minutes": r["escalation_delay_in_minutes"], "targets": targets}
        )
    services = [ref(world, "service", sid, name) for sid, name in _services_by_policy(world).get(ep["id"], [])]
    teams = refs(world, "team", ep["team_ids"])
    out = {
        "id": ep["id"],
        "name": ep["name"],
        "description": ep["description"],
        "num_loops": ep["num_loops"],
        "on_call_handoff_notifications": ep["on_call_handoff_notifications"],
        "escalation_rules": rules,
        "services": services,
        "teams": teams,
    }
    return decorate(world, "escalation_policy", out, ep["name"])


def _in_use(world: World, req: Request, ep: dict[str, Any]) -> None:
    if any(s["escalation_policy_id"] == ep["id"] for s in world.store.list("pd_service")):
        raise pd_error(400, "Invalid Input Provided", 2001, ["Escalation Policy must not be in use by any services."])


def list_(world: World, req: Request, _: dict[str, str]) -> Response:
    items = queried(req, world.store.list(KIND), "name")
    items = having(req, "team_ids", items, lambda e: e["team_ids"])
    items = having(req, "user_ids", items, lambda e: (t["id"] for r in e["rules"] for t in r["targets"]))
    items.sort(key=lambda e: e["name"].lower())
    page, meta = paginate(req, items)
    return Response(200, {"escalation_policies": [render(world, e) for e in page], **meta})


POLICIES = Entity(
    KIND,
    "escalation_policy",
    "/escalation_policies",
    build,
    lambda world, ep, _: render(world, ep),
    list_,
    NOT_FOUND,
    before_delete=_in_use,
)
ROUTES = POLICIES.routes()
