"""Building blocks shared by the per-kind normalizers.

Each helper encodes one kind of server rewrite that shows up in both APIs
(numbers re-typed, strings trimmed, set-like lists reordered, references
expanded, datetimes shifted to another offset), so the per-kind modules read
as a list of rules rather than as dictionary plumbing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from compiler.canonical import canonical_json

JSONDict = dict[str, Any]

_MISSING = object()


def as_dict(value: object) -> JSONDict:
    """A shallow copy of ``value`` if it is a mapping, else an empty dict.

    Live bodies sometimes carry ``null`` where a sub-object is expected; the
    normalizers treat that exactly like an absent object.
    """
    if isinstance(value, Mapping):
        return dict(value)
    return {}


def drop(obj: JSONDict, keys: Iterable[str]) -> None:
    """Remove server-owned keys in place."""
    for key in keys:
        obj.pop(key, None)


def edit_at(obj: JSONDict, path: str, edit: Callable[[JSONDict, str], None]) -> None:
    """``edit(parent, last)`` on the object holding dotted ``path`` (``options.silenced``) inside ``obj``.

    Each sub-object on the way is replaced by a shallow copy first, so only ``obj`` (the
    caller's own copy) is changed, never an object it shares with the body it was copied from.
    Nothing happens when the path runs through something that is not an object.
    """
    *parents, last = path.split(".")
    holder = obj
    for key in parents:
        child = holder.get(key)
        if not isinstance(child, Mapping):
            return
        copied = dict(child)
        holder[key] = copied
        holder = copied
    edit(holder, last)


def unordered(values: list[Any]) -> list[Any]:
    """An order-free list in one canonical order.

    A list of scalars is a set (``sorted_set``: sorted, duplicates dropped); a list of
    objects is sorted by their canonical text and keeps duplicates, since two equal
    entries (two identical contacts) may both be what the server holds.
    """
    if not any(isinstance(v, Mapping | list) for v in values):
        return sorted_set(values)
    return sorted(values, key=canonical_json)


def strip_fields(obj: JSONDict, keys: Iterable[str]) -> None:
    """``str.strip()`` the given fields in place, as the server does on write."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str):
            obj[key] = value.strip()


def fold_defaults(obj: JSONDict, defaults: Mapping[str, Any]) -> None:
    """Drop fields equal to the server default so that "absent" and "default" compare equal.

    Numbers are compared numerically (``300 == 300.0``) and lists as sets when
    the default is a list, because the server returns both re-typed/reordered.
    """
    for key, default in defaults.items():
        if key not in obj:
            continue
        value = obj[key]
        if isinstance(default, list) and isinstance(value, list):
            if sorted_set(value) == sorted_set(default):
                del obj[key]
        elif _same_scalar(value, default):
            del obj[key]


def _same_scalar(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def canonical_number(value: Any) -> Any:
    """Floats with an integral value become ints; other values pass through.

    The APIs return ``2`` as ``2.0`` (and the Datadog client sends ``2`` as
    ``2.0``); choosing the int form keeps plan output readable.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def finalize(value: Any, *, drop_empty_strings: bool = False) -> Any:
    """Recursively drop ``None``, ``[]`` and ``{}`` and canonicalize numbers.

    This is the "null vs empty vs absent" rule: the APIs return ``null`` or an
    empty container for fields we never set, and PUT bodies always carry the
    full object, so all three mean the same thing in a diff.
    """
    if isinstance(value, Mapping):
        out: JSONDict = {}
        for key in sorted(value):
            item = finalize(value[key], drop_empty_strings=drop_empty_strings)
            if _is_empty(item, drop_empty_strings):
                continue
            out[key] = item
        return out
    if isinstance(value, list | tuple):
        items = [finalize(v, drop_empty_strings=drop_empty_strings) for v in value]
        return [v for v in items if not _is_empty(v, drop_empty_strings)]
    return canonical_number(value)


def _is_empty(value: Any, drop_empty_strings: bool) -> bool:
    if value is None:
        return True
    if isinstance(value, dict | list) and not value:
        return True
    return drop_empty_strings and value == ""


def sorted_set(values: Iterable[Any] | None) -> list[Any]:
    """De-duplicate and sort a set-like list (tags, notify_end_states, ...).

    Mixed element types are ordered by their canonical JSON text so the result
    never depends on input order.
    """
    if values is None:
        return []
    plain = [canonical_number(v) for v in values]
    if all(isinstance(v, str) for v in plain):  # the common case (tags): no canonical JSON needed
        return sorted(set(plain))
    unique: dict[str, Any] = {}
    for v in plain:
        unique.setdefault(canonical_json(v), v)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in unique.values()):
        return sorted(unique.values())
    return [unique[k] for k in sorted(unique)]


def sorted_by(values: Iterable[Mapping[str, Any]] | None, *keys: str) -> list[JSONDict]:
    """Sort a list of objects by the given keys, then by their full canonical text.

    The tail key makes the order total, so two lists with the same elements
    always normalize identically even when the named keys tie.
    """
    items = [dict(v) for v in values or () if isinstance(v, Mapping)]

    def key(item: JSONDict) -> tuple[str, ...]:
        return (*(str(item.get(k) or "") for k in keys), canonical_json(finalize(item)))

    return sorted(items, key=key)


def reference(ref: Any, aliases: Mapping[str, str] | None = None) -> JSONDict | None:
    """Reduce a PagerDuty-style reference to ``{type, id}``.

    ``summary``, ``self`` and ``html_url`` are server-rendered; ``X`` and
    ``X_reference`` are interchangeable (PagerDuty docs "References"), so the
    suffix is dropped and known aliases (``schedule_v3`` → ``schedule``) applied.
    """
    if not isinstance(ref, Mapping):
        return None
    ref_type = str(ref.get("type") or "").strip()
    ref_type = ref_type.removesuffix("_reference")
    if aliases:
        ref_type = aliases.get(ref_type, ref_type)
    ref_id = ref.get("id")
    if ref_id is None and not ref_type:
        return None
    return {"type": ref_type, "id": ref_id}


_OFFSET_RE = re.compile(r"(Z|[+-]\d{2}(:?\d{2}){1,2}(\.\d+)?)$", re.IGNORECASE)


def canonical_instant(value: Any) -> Any:
    """An RFC 3339 string with an offset becomes a UTC ``...Z`` string; others pass through.

    Both APIs echo datetimes in another offset than the one sent (PagerDuty
    schedule/account zone, Datadog ``+00:00``), so only the instant is compared.
    Strings without an offset are wall-clock times local to some time zone
    (Datadog recurrence ``start``) and must not be shifted.
    """
    if not isinstance(value, str) or not _OFFSET_RE.search(value.strip()):
        return value
    parsed = parse_instant(value)
    if parsed is None:
        return value
    text = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    if parsed.microsecond:
        text += f".{parsed.microsecond:06d}".rstrip("0")
    return text + "Z"


def parse_instant(value: Any) -> datetime | None:
    """Parse an RFC 3339 datetime with offset into an aware UTC datetime, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def time_of_day(value: Any) -> Any:
    """``"9:00"`` / ``"09:00"`` / ``"09:00:00"`` all become ``"09:00:00"`` (PagerDuty HH:MM:SS)."""
    if not isinstance(value, str):
        return value
    parts = value.strip().split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return value.strip()
    while len(parts) < 3:
        parts.append("00")
    return ":".join(f"{int(p):02d}" for p in parts)


def map_list(values: Any, fn: Callable[[Any], Any]) -> list[Any]:
    """Apply ``fn`` to each element of a list; ``None`` or a non-list becomes ``[]``."""
    if not isinstance(values, list | tuple):
        return []
    return [fn(v) for v in values]


_TAG_ALLOWED = frozenset("_-:./")


def normalize_tag(tag: str) -> str:
    """Datadog's tag normalization, as documented for SLO and catalog tags.

    Lowercase; characters other than letters, digits, ``_ - : . /`` become
    ``_``; runs of ``_`` collapse; the tag starts with a letter and does not
    end with ``_``; at most 200 characters (datadog-api.md §3.1 rule 12; the
    Datadog "Getting started with tags" rules).
    """
    out: list[str] = []
    for ch in tag.strip().lower():
        if ch.isalnum() or ch in _TAG_ALLOWED:
            out.append(ch)
        elif not out or out[-1] != "_":
            out.append("_")
    text = "".join(out)
    text = re.sub(r"_+", "_", text)
    while text and not text[0].isalpha():
        text = text[1:]
    text = text[:200]
    return text.rstrip("_")
