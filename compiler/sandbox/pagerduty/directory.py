"""Users, teams, priorities and vendors: the account directory the compiler
resolves names against. Seeded so a fresh sandbox looks like a small account,
including the Datadog vendor (`PAM4FGS`) and the user the `From` header names."""

from __future__ import annotations

from typing import Any

from compiler.sandbox.errors import pd_error, pd_invalid
from compiler.sandbox.pagerduty.common import (
    decorate,
    get_or_404,
    paginate,
    queried,
    require_from,
    text_or_none,
    unwrap,
)
from compiler.sandbox.routing import Request, Response, route
from compiler.sandbox.world import FROM_EMAIL, World, pd_id

USERS = [
    ("PSANDB0", "Sandbox Admin", FROM_EMAIL, "admin"),
    ("PUSER01", "Alice Oncall", "alice@example.com", "user"),
    ("PUSER02", "Bob Oncall", "bob@example.com", "user"),
    ("PUSER03", "Carol Oncall", "carol@example.com", "limited_user"),
]
TEAMS = [("PTEAM01", "Platform", "Platform engineering"), ("PTEAM02", "Payments", None)]
PRIORITIES = [
    ("PPRIO01", "P1", "Critical"),
    ("PPRIO02", "P2", "High"),
    ("PPRIO03", "P3", "Moderate"),
    ("PPRIO04", "P4", "Low"),
    ("PPRIO05", "P5", "Informational"),
]
VENDORS = [
    ("PAM4FGS", "Datadog", "generic_events_api_inbound_integration"),
    ("PZQ6AUS", "Amazon CloudWatch", "aws_cloudwatch_inbound_integration"),
    ("P4L2XTD", "Prometheus", "generic_events_api_inbound_integration"),
    ("PUS0KTE", "Email", "generic_email_inbound_integration"),
]


def seed(world: World) -> None:
    with world.store.transaction():
        if world.store.count("pd_user"):
            return
        for uid, name, email, role in USERS:
            world.store.put(
                "pd_user",
                uid,
                {
                    "id": uid,
                    "name": name,
                    "email": email,
                    "role": role,
                    "time_zone": "Etc/UTC",
                    "color": "purple",
                    "description": "",
                    "job_title": "Engineer",
                    "teams": [],
                },
            )
        for tid, name, desc in TEAMS:
            world.store.put("pd_team", tid, {"id": tid, "name": name, "description": desc, "default_role": "manager"})
        for pid, name, desc in PRIORITIES:
            world.store.put("pd_priority", pid, {"id": pid, "name": name, "description": desc})
        for vid, name, itype in VENDORS:
            world.store.put("pd_vendor", vid, {"id": vid, "name": name, "integration_type": itype})


def render_user(world: World, u: dict[str, Any]) -> dict[str, Any]:
    out = {
        **u,
        "avatar_url": f"https://www.gravatar.com/avatar/{u['id']}",
        "invitation_sent": False,
        "contact_methods": [],
        "notification_rules": [],
        "coordinated_incidents": [],
    }
    return decorate(world, "user", out, u["name"])


def render_team(world: World, t: dict[str, Any]) -> dict[str, Any]:
    return decorate(world, "team", {**t, "parent": None}, t["name"])


def render_priority(world: World, p: dict[str, Any]) -> dict[str, Any]:
    return {
        **p,
        "type": "priority",
        "summary": p["name"],
        "self": f"{world.base_url}/priorities/{p['id']}",
        "html_url": None,
    }


def render_vendor(world: World, v: dict[str, Any]) -> dict[str, Any]:
    slug = v["name"].lower().replace(" ", "-")
    out = {
        "id": v["id"],
        "name": v["name"],
        "key": slug.replace("-", "_"),
        "website_url": f"https://www.{slug}.example.com",
        "logo_url": f"https://assets.example.com/{slug}_large.png",
        "thumbnail_url": f"https://assets.example.com/{slug}_thumb.png",
        "description": f"{v['name']} integration",
        "integration_guide_url": f"https://support.pagerduty.com/docs/{slug}-integration-guide",
        "alert_creation_default": "create_alerts_and_incidents",
        "alert_creation_editable": True,
        "is_pd_cef": False,
        "generic_service_type": v["integration_type"],
    }
    return decorate(world, "vendor", out, v["name"])


def _listing(world: World, req: Request, kind: str, plural: str, renderer: Any, *, fields: tuple[str, ...]) -> Response:
    items = queried(req, world.store.list(kind), *fields)
    page, meta = paginate(req, items)
    return Response(200, {plural: [renderer(world, i) for i in page], **meta})


def list_users(world: World, req: Request, _: dict[str, str]) -> Response:
    return _listing(world, req, "pd_user", "users", render_user, fields=("name", "email"))


def get_user(world: World, req: Request, p: dict[str, str]) -> Response:
    return Response(200, {"user": render_user(world, get_or_404(world, "pd_user", p["id"]))})


def create_user(world: World, req: Request, _: dict[str, str]) -> Response:
    require_from(world, req)
    body = unwrap(req, "user")
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not name.strip() or not isinstance(email, str) or "@" not in email:
        raise pd_invalid("Name and a valid email are required")
    with world.store.transaction():
        if any(u["email"].lower() == email.lower() for u in world.store.list("pd_user")):
            raise pd_invalid("Email has already been taken")
        user: dict[str, Any] = {
            "id": pd_id(),
            "name": name.strip(),
            "email": email,
            "role": body.get("role") or "user",
            "time_zone": body.get("time_zone") or "Etc/UTC",
            "color": body.get("color") or "purple",
            "description": text_or_none(body.get("description"), "description") or "",
            "job_title": text_or_none(body.get("job_title"), "job_title") or "",
            "teams": [],
        }
        world.store.put("pd_user", user["id"], user)
    return Response(201, {"user": render_user(world, user)})


def list_teams(world: World, req: Request, _: dict[str, str]) -> Response:
    return _listing(world, req, "pd_team", "teams", render_team, fields=("name",))


def get_team(world: World, req: Request, p: dict[str, str]) -> Response:
    team = get_or_404(world, "pd_team", p["id"], ("Team Not Found", 6001))
    return Response(200, {"team": render_team(world, team)})


def _team_fields(world: World, body: dict[str, Any], team_id: str | None) -> dict[str, Any]:
    """Name 1-100 characters and unique (case-insensitively) among the other teams; description optional."""
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise pd_invalid("Name must be between 1 and 100 characters")
    if any(t["name"].lower() == name.strip().lower() and t["id"] != team_id for t in world.store.list("pd_team")):
        raise pd_invalid("Name has already been taken")
    return {"name": name.strip(), "description": text_or_none(body.get("description"), "description")}


def create_team(world: World, req: Request, _: dict[str, str]) -> Response:
    body = unwrap(req, "team")
    with world.store.transaction():
        team: dict[str, Any] = {
            "id": pd_id(),
            **_team_fields(world, body, None),
            "default_role": body.get("default_role") or "manager",
        }
        world.store.put("pd_team", team["id"], team)
    return Response(201, {"team": render_team(world, team)})


def update_team(world: World, req: Request, p: dict[str, str]) -> Response:
    """PUT /teams/{id}: name and description are replaced; default_role kept unless sent."""
    body = unwrap(req, "team")
    with world.store.transaction():
        team = dict(get_or_404(world, "pd_team", p["id"], ("Team Not Found", 6001)))
        fields = _team_fields(world, {"name": team["name"], **body}, team["id"])
        team.update(fields if "description" in body else {"name": fields["name"]})
        team["default_role"] = body.get("default_role") or team.get("default_role") or "manager"
        world.store.put("pd_team", team["id"], team)
    return Response(200, {"team": render_team(world, team)})


def delete_team(world: World, req: Request, p: dict[str, str]) -> Response:
    """DELETE /teams/{id}: succeeds only if no escalation policy, service or schedule belongs to the team.

    Services belong to their escalation policy's team, so checking policies and schedules covers them.
    """
    with world.store.transaction():
        get_or_404(world, "pd_team", p["id"], ("Team Not Found", 6001))
        for kind in ("pd_escalation_policy", "pd_schedule"):
            if any(p["id"] in obj.get("team_ids", []) for obj in world.store.list(kind)):
                raise pd_invalid("Team has associated escalation policies, services or schedules")
        world.store.delete("pd_team", p["id"])
    return Response(204)


def list_priorities(world: World, req: Request, _: dict[str, str]) -> Response:
    page, meta = paginate(req, world.store.list("pd_priority"))
    return Response(200, {"priorities": [render_priority(world, p) for p in page], **meta})


def list_vendors(world: World, req: Request, _: dict[str, str]) -> Response:
    return _listing(world, req, "pd_vendor", "vendors", render_vendor, fields=("name",))


def get_vendor(world: World, req: Request, p: dict[str, str]) -> Response:
    vendor = world.store.get("pd_vendor", p["id"])
    if vendor is None:
        raise pd_error(404, "Vendor Not Found", 5001)
    return Response(200, {"vendor": render_vendor(world, vendor)})


ROUTES = [
    route("GET", "/users", list_users),
    route("POST", "/users", create_user),
    route("GET", "/users/{id}", get_user),
    route("GET", "/teams", list_teams),
    route("POST", "/teams", create_team),
    route("GET", "/teams/{id}", get_team),
    route("PUT", "/teams/{id}", update_team),
    route("DELETE", "/teams/{id}", delete_team),
    route("GET", "/priorities", list_priorities),
    route("GET", "/vendors", list_vendors),
    route("GET", "/vendors/{id}", get_vendor),
]
