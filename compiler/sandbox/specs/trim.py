"""Trim the vendors' full OpenAPI documents to what the sandbox serves.

The full specs are 8.6 MB; the sandbox needs a few dozen paths of them. This
keeps the path families listed in `KEEP` with the `$ref` closure of the
components they use, drops annotations validation never reads (descriptions,
summaries, examples, `x-*` extensions), and writes compact gzip'd JSON with a
fixed timestamp so the same input always gives the same bytes.

Refresh (see README.md beside this file):
    python -m compiler.sandbox.specs.trim /path/to/full/specs
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# Source file, output name and the path families kept (regexes on the path template).
SOURCES: dict[str, str] = {
    "datadog-v1": "datadog-v1.yaml",
    "datadog-v2": "datadog-v2.yaml",
    "pagerduty": "pagerduty-openapiv3.json",
    "events": "pagerduty-events-v2-openapiv3.json",
}
KEEP: dict[str, str] = {
    "datadog-v1": r"^/api/v1/(monitor|slo|integration/pagerduty)(/|$)",
    "datadog-v2": r"^/api/v2/(downtime|services/definitions|incidents/config)(/|$)",
    "pagerduty": (
        r"^/(services|escalation_policies|schedules|maintenance_windows|users|teams|priorities|vendors"
        r"|incidents|oncalls|abilities|business_services)(/|$)"
    ),
    "events": r".",
}
ANNOTATIONS = frozenset({"description", "summary", "example", "examples", "externalDocs", "tags"})
# Mappings whose keys are names (a property called `description`), not keywords.
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "paths",
        "responses",
        "schemas",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "content",
        "mapping",
        "variables",
        "encoding",
        "links",
        "callbacks",
    }
)


def _strip(node: Any, names: bool = False) -> Any:
    """A copy without annotations; `names` says the keys of this mapping are names."""
    if isinstance(node, list):
        return [_strip(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if not names and (key in ANNOTATIONS or key.startswith("x-")):
            continue
        out[key] = _strip(value, names=not names and key in NAME_MAPS)
    return out


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _pointer(ref: str) -> tuple[str, str]:
    """The component a reference lands in: `#/components/schemas/A~1B/properties/x` → ("schemas", "A/B")."""
    parts = ref.split("/")
    if len(parts) < 4 or parts[:2] != ["#", "components"]:
        raise ValueError(f"unsupported $ref {ref!r} (only #/components/<kind>/<name>...)")
    return parts[2], parts[3].replace("~1", "/").replace("~0", "~")


def trim(spec: dict[str, Any], keep: str, origin: dict[str, str] | None = None) -> dict[str, Any]:
    """The paths matching `keep` and the components they reach, without annotations."""
    pattern = re.compile(keep)
    paths = {p: _strip(item) for p, item in spec.get("paths", {}).items() if pattern.search(p)}
    components = spec.get("components", {})
    kept: dict[str, dict[str, Any]] = {}
    pending = list(_refs(paths))
    security = components.get("securitySchemes")
    while pending:
        kind, name = _pointer(pending.pop())
        if name in kept.get(kind, {}):
            continue
        node = _strip(components[kind][name])
        kept.setdefault(kind, {})[name] = node
        pending.extend(_refs(node))
    if security:
        kept["securitySchemes"] = _strip(security, names=True)
    info = {k: v for k, v in spec.get("info", {}).items() if k in ("title", "version", "license")}
    out: dict[str, Any] = {"openapi": spec["openapi"], "info": {**info, "x-alertc-trimmed": origin or {}}}
    for key in ("servers", "security"):
        if key in spec:
            out[key] = spec[key]
    out["paths"] = paths
    out["components"] = {kind: dict(sorted(items.items())) for kind, items in sorted(kept.items())}
    return out


def load_full(path: Path) -> dict[str, Any]:
    text = path.read_bytes()
    if path.suffix == ".json":
        return dict(json.loads(text))
    import yaml  # noqa: PLC0415  # only to read the upstream YAML specs when refreshing

    return dict(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def write_gz(data: Any, target: Path) -> None:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    target.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m compiler.sandbox.specs.trim FULL_SPECS_DIR", file=sys.stderr)
        return 2
    source_dir = Path(argv[0])
    for name, file in SOURCES.items():
        source = source_dir / file
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        trimmed = trim(load_full(source), KEEP[name], {"source": file, "sha256": digest})
        write_gz(trimmed, HERE / f"{name}.json.gz")
        print(f"{name}: {len(trimmed['paths'])} paths -> {name}.json.gz")
    tz = source_dir / "pagerduty-time-zones.tsv"
    if tz.exists():
        (HERE / tz.name).write_bytes(tz.read_bytes())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
