"""PagerDuty REST conventions: references, wrapped entities, classic pagination,
time zones and the offset rewriting of datetimes."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from compiler.sandbox.clock import parse_instant
from compiler.sandbox.errors import pd_error, pd_invalid
from compiler.sandbox.routing import Request
from compiler.sandbox.world import World

HTML_BASE = "https://sandbox.pagerduty.com"
PLURAL = {
    "service": "services",
    "escalation_policy": "escalation_policies",
    "schedule": "schedules",
    "user": "users",
    "team": "teams",
    "maintenance_window": "maintenance_windows",
    "incident": "incidents",
    "vendor": "vendors",
    "priority": "priorities",
}
HTML_PATHS = {**PLURAL, "service": "service-directory"}  # the web app's paths: the API's, but for services
MAX_OFFSET = 10000


def self_url(world: World, kind: str, obj_id: str) -> str:
    return f"{world.base_url}/{PLURAL[kind]}/{obj_id}"


def decorate(world: World, kind: str, obj: dict[str, Any], summary: str | None) -> dict[str, Any]:
    obj["type"] = kind
    obj["summary"] = summary
    obj["self"] = self_url(world, kind, obj["id"])
    obj["html_url"] = f"{HTML_BASE}/{HTML_PATHS.get(kind, PLURAL[kind])}/{obj['id']}"
    return obj


def ref(world: World, kind: str, obj_id: str, summary: str | None) -> dict[str, Any]:
    return {
        "id": obj_id,
        "type": f"{kind}_reference",
        "summary": summary,
        "self": self_url(world, kind, obj_id),
        "html_url": f"{HTML_BASE}/{HTML_PATHS.get(kind, PLURAL[kind])}/{obj_id}",
    }


def refs(world: World, kind: str, ids: list[str]) -> list[dict[str, Any]]:
    """References to stored objects of `kind` (`pd_<kind>`), summarized by name (None once deleted)."""
    out = []
    for obj_id in ids:
        obj = world.store.get(f"pd_{kind}", obj_id)
        out.append(ref(world, kind, obj_id, obj["name"] if obj else None))
    return out


def ref_id(value: Any, kind: str, field: str) -> str:
    """A writable reference: `{id, type}` with type `kind` or `kind_reference`."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise pd_invalid(f"{field} must be a reference object with an id")
    if value.get("type") not in (kind, f"{kind}_reference"):
        raise pd_invalid(f"{field}.type must be {kind}_reference")
    return str(value["id"])


def unwrap(req: Request, name: str) -> dict[str, Any]:
    body = req.json(pd_invalid)
    if not isinstance(body, dict) or not isinstance(body.get(name), dict):
        raise pd_invalid(f"The request body must be an object wrapped in '{name}'")
    return dict(body[name])


def paginate(req: Request, items: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    try:
        limit = int(req.arg("limit") or 25)
        offset = int(req.arg("offset") or 0)
    except ValueError as exc:
        raise pd_invalid("limit and offset must be integers") from exc
    if limit < 1 or offset < 0:
        raise pd_invalid("limit must be positive and offset non-negative")
    limit = min(limit, 100)
    if offset + limit > MAX_OFFSET:
        raise pd_error(
            400,
            "Arguments Caused Error",
            2001,
            [
                "Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search to reduce "
                "the returned set of records below this number, like adding a date range."
            ],
        )
    page = items[offset : offset + limit]
    total = len(items) if (req.arg("total") or "").lower() in ("true", "1") else None
    return page, {"limit": limit, "offset": offset, "more": offset + len(page) < len(items), "total": total}


def includes(req: Request) -> set[str]:
    return set(req.args("include"))


def queried(req: Request, items: list[dict[str, Any]], *fields: str) -> list[dict[str, Any]]:
    """PagerDuty's ``query`` filter: the items holding it in one of ``fields``, whatever the case (absent: all)."""
    text = (req.arg("query") or "").lower()
    if not text:
        return items
    return [i for i in items if any(text in str(i.get(f) or "").lower() for f in fields)]


def having(
    req: Request, param: str, items: list[dict[str, Any]], ids_of: Callable[[dict[str, Any]], Iterable[str]]
) -> list[dict[str, Any]]:
    """An id filter (``team_ids[]``, ``service_ids[]``): the items whose ``ids_of`` holds one of them (absent: all)."""
    wanted = set(req.args(param))
    if not wanted:
        return items
    return [i for i in items if not wanted.isdisjoint(ids_of(i))]


def read_time_zone_file(path: Path | None) -> frozenset[str] | None:
    """The documented list of accepted zones ships with the specs; without it (None) any IANA zone passes."""
    if path is None or not path.exists():
        return None
    names = [
        line.split("\t")[0].strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return frozenset(names)


def check_time_zone(world: World, name: Any, field: str = "time_zone") -> str:
    """A zone this sandbox's PagerDuty accepts (its own list: two sandboxes in one process do not share it)."""
    accepted = world.accepted_time_zones
    if not isinstance(name, str) or (accepted is not None and name not in accepted):
        raise pd_invalid(f"{field} must be a valid time zone")
    try:
        zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise pd_invalid(f"{field} must be a valid time zone") from exc
    return name


@cache
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def parse_time(value: Any, field: str) -> dt.datetime:
    try:
        return parse_instant(value if isinstance(value, str) else "")
    except ValueError as exc:
        raise pd_invalid(f"{field} must be an ISO 8601 date-time") from exc


ACCOUNT_TZ = "America/New_York"


def fmt_time(t: dt.datetime, tz: str = ACCOUNT_TZ) -> str:
    """Datetimes come back in the account's or schedule's offset, not as sent."""
    text = t.astimezone(zone(tz)).isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def require_from(world: World, req: Request) -> dict[str, Any]:
    email = (req.header("From") or "").strip().lower()
    for user in world.store.list("pd_user"):
        if user["email"].lower() == email and email:
            return user
    raise pd_invalid("The From header is required and must be the email address of a valid user")


def get_or_404(world: World, kind: str, obj_id: str, missing: tuple[str, int] = ("Not Found", 2100)) -> dict[str, Any]:
    obj = world.store.get(kind, obj_id)
    if obj is None:
        raise pd_error(404, missing[0], missing[1])
    return obj


def text_or_none(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise pd_invalid(f"{field} must be a string")
    return value.strip() or None
