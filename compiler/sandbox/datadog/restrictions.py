"""Datadog's granular access control: who may edit a monitor, an SLO or a dashboard.

Two mechanisms, as the real service has them:

* **Restriction policies** (v2, ``/api/v2/restriction_policy/{type}:{id}``): bindings of a relation
  (``editor``, ``viewer``) to principals (``role:<uuid>``, ``team:<uuid>``, ``user:<uuid>``,
  ``org:<uuid>``). Once a resource's policy binds ``editor``, only those principals may change or delete
  it; every other key gets 403, whatever its role's permissions. A resource without a policy (or with no
  ``editor`` binding) is editable as before. GET of a resource that has none answers an empty policy.
* **A monitor's ``restricted_roles``** (v1, deprecated in favour of the above but still served): when the
  list is not empty, only keys of a user holding one of those roles may update or delete the monitor. The
  organisation's admin is not held to it: the recorded `test_create_a_monitor_returns_ok_response` creates a
  monitor restricted to a role and deletes it with the same admin key (200).

Who calls is decided by the key pair. The sandbox's own credentials are the organisation's admin (the
Datadog Admin Role, with ``user_access_manage``): it may always change a restriction policy, but the
policy applies to it like to anyone, and a policy that would leave the admin without edit access is
refused unless ``allow_self_lockout=true`` (the parameter's documented purpose). Further key pairs, each a
service account holding roles, are added through the admin API (``POST /_sandbox/principals``), the way a
platform team gives each ownership scope its own service account.

Not reproduced: ``viewer`` restrictions on reads (lists and GETs stay open), team membership (a ``team:``
principal is stored and matched literally), and the other resource types' edit endpoints (their
policies are stored and served, not enforced).
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from compiler.sandbox.auth import check_datadog, same_secret
from compiler.sandbox.datadog.common import bad, body_object, bool_arg
from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.store import Store
from compiler.sandbox.world import World

FAMILY = "restriction_policy_api"
POLICY_KIND = "dd_restriction_policy"
KEY_KIND = "dd_service_account_key"  # application key → its service account and roles
ROLE_KIND = "dd_role"
ORG_UUID = "4dee724d-00cc-11ea-a77b-570c9d03c6c5"
ADMIN_USER = "3ad549bf-eba0-11e9-a77a-0705486660d0"
ADMIN_ROLE = "0f3e8a3c-0000-11ea-a77b-000000000001"
ADMIN_ROLE_NAME = "Datadog Admin Role"

# The resource types and relations the API documents (spec: UpdateRestrictionPolicy).
RELATIONS: dict[str, frozenset[str]] = {
    **{
        t: frozenset({"viewer", "editor"})
        for t in (
            "dashboard",
            "integration-service",
            "integration-webhook",
            "notebook",
            "powerpack",
            "reference-table",
            "security-rule",
            "slo",
            "synthetics-global-variable",
            "synthetics-test",
            "synthetics-private-location",
            "monitor",
            "app-builder-app",
            "connection-group",
            "rum-application",
            "cross-org-connection",
            "spreadsheet",
            "on-call-escalation-policy",
            "on-call-team-routing-rules",
            "monitor-notification-rule",
        )
    },
    "workflow": frozenset({"viewer", "runner", "editor"}),
    "connection": frozenset({"viewer", "resolver", "editor"}),
    "on-call-schedule": frozenset({"viewer", "overrider", "editor"}),
    "logs-pipeline": frozenset({"viewer", "processors_editor", "editor"}),
    "case-management-project": frozenset({"viewer", "contributor", "manager"}),
}
PRINCIPAL_TYPES = ("role", "team", "user", "org")

# Writes guarded by a resource's policy: (method, path) → the policy's resource id.
_GUARDED = (
    (frozenset({"PUT", "DELETE"}), re.compile(r"^/api/v1/monitor/(?P<id>\d+)/?$"), "monitor"),
    (frozenset({"PUT", "DELETE"}), re.compile(r"^/api/v1/slo/(?P<id>[0-9a-f]{32})/?$"), "slo"),
    (frozenset({"PUT", "DELETE"}), re.compile(r"^/api/v1/dashboard/(?P<id>[a-z0-9-]+)/?$"), "dashboard"),
)


@dataclass(frozen=True)
class Caller:
    """The principal a key pair authenticates as."""

    user: str
    roles: tuple[str, ...]
    manages_access: bool  # holds ``user_access_manage``

    def principals(self) -> set[str]:
        return {f"user:{self.user}", f"org:{ORG_UUID}", *(f"role:{r}" for r in self.roles)}


ADMIN = Caller(ADMIN_USER, (ADMIN_ROLE,), manages_access=True)


def caller(world: World, req: Request, creds: dict[str, str]) -> Caller:
    """Who the request's key pair is; Datadog's 403 ``Forbidden`` for an unknown or mismatched pair."""
    try:
        check_datadog(req, creds)  # the sandbox's own pairs: its full keys, or its read-only key for a read
        return ADMIN
    except ApiError:
        pass
    api_key, app_key = req.header("DD-API-KEY"), req.header("DD-APPLICATION-KEY")
    account = world.store.get(KEY_KIND, app_key) if app_key else None
    if account is not None and same_secret(api_key, str(account["api_key"])):
        return Caller(str(account["user_id"]), tuple(account["roles"]), manages_access=False)
    raise dd_error(403, "Forbidden")


def enforce(world: World, req: Request, who: Caller) -> None:
    """Refuse (403) a change to a monitor, SLO or dashboard whose policy or restricted roles exclude ``who``."""
    for methods, pattern, resource_type in _GUARDED:
        match = pattern.match(req.path) if req.method in methods else None
        if match is None:
            continue
        resource_id = f"{resource_type}:{match.group('id')}"
        if not _may_edit(world.store, resource_id, who):
            raise forbidden(resource_id)
        if resource_type == "monitor":
            monitor = world.store.get("dd_monitor", match.group("id")) or {}
            roles = monitor.get("restricted_roles") or []
            if roles and not who.manages_access and not set(roles) & set(who.roles):
                raise dd_error(403, f"Forbidden: monitor {match.group('id')} is restricted to roles {sorted(roles)}")
        return


def _editors(policy: dict[str, Any] | None) -> set[str] | None:
    """The principals bound to ``editor``; None when the policy restricts no editing."""
    bindings = [b for b in (policy or {}).get("bindings", []) if b.get("relation") == "editor"]
    if not bindings:
        return None
    return {p for b in bindings for p in b.get("principals", [])}


def _may_edit(store: Store, resource_id: str, who: Caller) -> bool:
    editors = _editors(store.get(POLICY_KIND, resource_id))
    return editors is None or bool(editors & who.principals())


def _resource_id(raw: str) -> tuple[str, str]:
    raw = unquote(raw)  # clients escape the colon (`monitor%3A123`)
    resource_type, _, rid = raw.partition(":")
    if not rid or resource_type not in RELATIONS:
        raise bad(f"Invalid resource_id '{raw}': expected <type>:<id> with a supported type")
    return resource_type, rid


def _response(resource_id: str, bindings: list[dict[str, Any]]) -> Response:
    return Response(
        200, {"data": {"id": resource_id, "type": "restriction_policy", "attributes": {"bindings": bindings}}}
    )


def get_policy(world: World, req: Request, params: dict[str, str]) -> Response:
    resource_type, rid = _resource_id(params["resource_id"])
    policy = world.store.get(POLICY_KIND, f"{resource_type}:{rid}") or {"bindings": []}
    return _response(f"{resource_type}:{rid}", policy["bindings"])


def _bindings(body: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    data = body.get("data")
    attributes = data.get("attributes") if isinstance(data, dict) else None
    bindings = attributes.get("bindings") if isinstance(attributes, dict) else None
    if not isinstance(bindings, list):
        raise bad("Invalid request body: data.attributes.bindings is required")
    out: list[dict[str, Any]] = []
    for binding in bindings:
        relation, principals = binding.get("relation"), binding.get("principals")
        if relation not in RELATIONS[resource_type]:
            allowed = ", ".join(sorted(RELATIONS[resource_type]))
            raise bad(f"Invalid relation '{relation}' for resource type '{resource_type}': expected one of {allowed}")
        for principal in principals:
            kind, _, pid = str(principal).partition(":")
            if kind not in PRINCIPAL_TYPES or not pid:
                raise bad(f"Invalid principal '{principal}': expected role:, team:, user: or org: and an id")
        out.append({"relation": relation, "principals": list(principals)})
    return out


def update_policy(world: World, req: Request, params: dict[str, str]) -> Response:
    resource_type, rid = _resource_id(params["resource_id"])
    resource_id = f"{resource_type}:{rid}"
    who = _who(req)
    bindings = _bindings(body_object(req), resource_type)
    with world.store.transaction():
        if not who.manages_access and not _may_edit(world.store, resource_id, who):
            raise forbidden(resource_id)
        editors = _editors({"bindings": bindings})
        if editors is not None and not editors & who.principals() and not bool_arg(req, "allow_self_lockout"):
            raise bad(
                "This restriction policy would remove your own edit access; "
                "set allow_self_lockout=true to apply it anyway"
            )
        world.store.put(POLICY_KIND, resource_id, {"bindings": bindings})
    return _response(resource_id, bindings)


def delete_policy(world: World, req: Request, params: dict[str, str]) -> Response:
    resource_type, rid = _resource_id(params["resource_id"])
    resource_id = f"{resource_type}:{rid}"
    who = _who(req)
    if not who.manages_access and not _may_edit(world.store, resource_id, who):
        raise forbidden(resource_id)
    world.store.delete(POLICY_KIND, resource_id)
    return Response(204)


def add_principal(store: Store, name: str, roles: list[str]) -> dict[str, Any]:
    """A service account holding ``roles`` (by name, made on first use) with a fresh key pair."""
    role_ids = []
    for role in roles:
        found = next((r for r in store.list(ROLE_KIND) if r["name"] == role), None)
        if found is None:
            found = {"id": str(uuid.uuid4()), "name": role}
            store.put(ROLE_KIND, found["id"], found)
        role_ids.append(str(found["id"]))
    app_key = secrets.token_hex(20)
    account: dict[str, Any] = {
        "name": name,
        "user_id": str(uuid.uuid4()),
        "roles": role_ids,
        "api_key": secrets.token_hex(16),
        "app_key": app_key,
    }
    store.put(KEY_KIND, app_key, account)
    return account


def check_access(world: World, req: Request, creds: dict[str, str]) -> None:
    """Authenticate the key pair, remember who called (for the policy routes), and guard the edit."""
    who = caller(world, req, creds)
    req.principal = who
    enforce(world, req, who)


def _who(req: Request) -> Caller:
    return req.principal if isinstance(req.principal, Caller) else ADMIN


def forbidden(resource_id: str) -> ApiError:
    return dd_error(403, f"Forbidden: no edit access to {resource_id} (restriction policy)")


ROUTES = [
    route("GET", "/api/v2/restriction_policy/{resource_id}", get_policy, FAMILY),
    route("POST", "/api/v2/restriction_policy/{resource_id}", update_policy, FAMILY),
    route("DELETE", "/api/v2/restriction_policy/{resource_id}", delete_policy, FAMILY),
]
