"""Selected live objects → native definitions YAML, one file per kind, stable byte for byte.

Keys are slugs of the objects' names (``[SSOe] Errors`` → ``ssoe-errors``); two
objects with one slug are told apart by their ids. Each definition carries
``adopt: <live id>``, so the next plan adopts it in place instead of creating a
copy. References between imported objects become definition keys (an escalation
policy's schedule, a service's policy); people are written by email.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compiler.kinds import get_kind
from compiler.resources import LiveObject

SCHEMA_HEADER = "# yaml-language-server: $schema=../schema/definitions.schema.json\n"  # from definitions/
MAX_KEY = 64


def slug(text: str) -> str:
    """A definition key from a display name: lowercase letters, digits and single dashes."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out[:MAX_KEY].rstrip("-")


@dataclass
class Names:
    """Definition keys of the imported objects, and people's emails (the kinds' ``NativeNames``)."""

    keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (provider:kind, live id) → key
    emails: dict[str, str] = field(default_factory=dict)  # PagerDuty user id → email

    def key_for(self, address: str, live_id: str) -> str | None:
        return self.keys.get((address, live_id))

    def email_for(self, user_id: str) -> str | None:
        return self.emails.get(user_id)


def assign_keys(objects: list[LiveObject]) -> Names:
    """Stable keys: a slug of the name, or ``<slug>-<id>`` when several objects of a kind share it."""
    names = Names()
    by_file: dict[str, dict[str, list[LiveObject]]] = {}  # keys are unique per definitions list
    for obj in objects:
        spec = get_kind(obj.provider, obj.kind)
        base = slug(obj.name) or f"{obj.kind.replace('_', '-')}"
        by_file.setdefault(spec.native_kind or spec.address, {}).setdefault(base, []).append(obj)
    for groups in by_file.values():
        for base, group in groups.items():
            for obj in group:
                key = base if len(group) == 1 else f"{base[: MAX_KEY - len(obj.live_id) - 1]}-{slug(obj.live_id)}"
                names.keys[(f"{obj.provider}:{obj.kind}", obj.live_id)] = key
    return names


def native_definitions(objects: list[LiveObject], users: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Native kind → definitions (sorted by key), each ``key``, ``adopt``, then the kind's fields."""
    names = assign_keys(objects)
    names.emails = {user_id: email for email, user_id in users.items()}
    out: dict[str, list[dict[str, Any]]] = {}
    for obj in objects:
        spec = get_kind(obj.provider, obj.kind)
        if spec.native_kind is None:
            continue
        key = names.keys[(spec.address, obj.live_id)]
        out.setdefault(spec.native_kind, []).append({"key": key, "adopt": obj.live_id, **spec.to_native(obj, names)})
    return {kind: sorted(items, key=lambda d: str(d["key"])) for kind, items in sorted(out.items())}


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line strings as literal blocks (messages read as they are in Datadog)."""


# Plain scalars the definitions loader (YAML 1.2) reads as numbers but PyYAML (YAML 1.1) writes unquoted, e.g. 1e5.
_NUMBER_LIKE = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) and "\r" not in value else None
    if _NUMBER_LIKE.match(value):
        style = "'"  # a string that would read back as a number
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any) -> str:
    """YAML as alertc writes it for people to review: block style, keys in the given order, messages as blocks."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def render(kind: str, items: list[dict[str, Any]], header: str = SCHEMA_HEADER) -> str:
    body = dump_yaml({kind: items})
    return f"{header}# Written by 'alertc import': review, then 'alertc plan' adopts these objects.\n{body}"


def schema_header(out_dir: Path, schema: Path) -> str:
    """The ``$schema`` line of a file written into ``out_dir``: the path from there to ``schema``."""
    relative = Path(os.path.relpath(schema.resolve(), out_dir.resolve())).as_posix()
    return f"# yaml-language-server: $schema={relative}\n"


def write_definitions(
    out_dir: Path, definitions: dict[str, list[dict[str, Any]]], *, schema: Path | None = None
) -> list[Path]:
    """One file per kind (``<kind>.yaml``), each naming ``schema`` relative to it; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    header = schema_header(out_dir, schema) if schema is not None else SCHEMA_HEADER
    written = []
    for kind, items in definitions.items():
        path = out_dir / f"{kind}.yaml"
        path.write_text(render(kind, items, header), encoding="utf-8")
        written.append(path)
    return written
