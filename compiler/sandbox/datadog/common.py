"""Conventions shared by the Datadog endpoints: tag normalization, number shapes,
query-parameter parsing with Datadog's 400s."""

from __future__ import annotations

import re
from typing import Any

from compiler.sandbox.errors import ApiError, dd_error
from compiler.sandbox.routing import Request
from compiler.sandbox.world import World

CREATOR = {"name": None, "handle": "sandbox@example.com", "email": "sandbox@example.com", "id": 1445416}
ORG_ID = 321813


def bad(*messages: str) -> ApiError:
    return dd_error(400, *messages)


def body_object(req: Request) -> dict[str, Any]:
    body = req.json(bad)
    if not isinstance(body, dict):
        raise bad("Invalid JSON: expected an object")
    return body


def stored(world: World, kind: str, obj_id: str, missing: str) -> dict[str, Any]:
    """The stored object, or Datadog's 404 `{"errors": [missing]}`."""
    obj = world.store.get(kind, obj_id)
    if obj is None:
        raise dd_error(404, missing)
    return obj


def int_arg(req: Request, name: str, default: int | None, minimum: int = 0, maximum: int | None = None) -> int | None:
    raw = req.arg(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise bad(f"Invalid value for parameter '{name}': {raw!r} is not an integer") from exc
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise bad(f"Invalid value for parameter '{name}': must be {bound}")
    return value


def bool_arg(req: Request, name: str) -> bool:
    return (req.arg(name) or "").lower() == "true"


_TAG_BAD = re.compile(r"[^a-z0-9_:./\-]")


def normalize_tag(tag: str) -> str:
    """Datadog's tag normalization (lower case, invalid characters to `_`, 200 chars)."""
    t = tag.strip().lower()
    t = _TAG_BAD.sub("_", t)
    t = re.sub(r"_+", "_", t).strip("_")
    return t[:200]


def as_float(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return float(value)


def compact_number(value: Any) -> Any:
    """Write responses echo integral numbers without a fraction (`"target_threshold": 97`)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def display(value: float) -> str:
    """`97` → "97.", `99.5` → "99.5" as in recorded `target_display` values."""
    return f"{value:.10f}".rstrip("0")


def offset_limit(offset: int, limit: int, count: int | None) -> dict[str, Any]:
    """Datadog's `offset_limit` pagination block (SLO corrections and search, powerpacks); `count` None where the
    answer names no last offset (powerpacks: `last_offset: null`)."""
    return {
        "offset": offset,
        "first_offset": 0,
        "prev_offset": max(offset - limit, 0),
        "next_offset": offset + limit,
        "last_offset": None if count is None else max((count - 1) // limit * limit, 0),
        "limit": limit,
        "type": "offset_limit",
    }


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
