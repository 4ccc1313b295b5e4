"""Trim the vendors' full OpenAPI documents to exactly the operations the sandbox serves.

The full specs are 8.6 MB; the sandbox serves a few dozen operations of them. Which ones is read from
the sandbox's routers (`operations()`), so a new route is validated as soon as the specs are regenerated,
and `tests/sandbox/test_packaged_specs.py` fails while a served operation is missing. This keeps those
operations with the `$ref` closure of the components they use, drops annotations validation never reads
(descriptions, summaries, examples, `x-*` extensions), and writes compact gzip'd JSON with a fixed
timestamp so the same input always gives the same bytes.

Sources are pinned by sha256 (`SOURCES`, and specs/README.md says where each one comes from); the
command refuses other bytes. Refresh:
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

# Source file per packaged spec, and the sha256 of the full document it was trimmed from (README.md).
SOURCES: dict[str, str] = {
    "datadog-v1": "datadog-v1.yaml",
    "datadog-v2": "datadog-v2.yaml",
    "pagerduty": "pagerduty-openapiv3.json",
    "events": "pagerduty-events-v2-openapiv3.json",
}
PINNED: dict[str, str] = {
    "datadog-v1": "e8e3972a2d77b1395e28f7044e830f526258a4bc5e07d9401c2c07b2bcccabb4",
    "datadog-v2": "6b75d3862eecf6516f6fc44e20ad6ba9c39b628df6164063b0f95319c085bf0a",
    "pagerduty": "b2e80f8b83b170f29702e96a69adf230702b4ec43dddab7e348a2985c707ef35",
    "events": "f5570ec1049850501363447415a9202118586281286c3ccc8cd996f8429d1908",
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def shape(template: str) -> str:
    """A path template with its parameter names dropped: `/a/{id}` and `/a/{a_id}` are one path."""
    return re.sub(r"\{[^}/]+\}", "{}", template.rstrip("/") or "/")


def operations() -> dict[str, set[tuple[str, str]]]:
    """(method, path shape) of every documented operation the sandbox's routers serve, per spec."""
    from compiler.sandbox import datadog, pagerduty  # noqa: PLC0415  # the routers import the validator

    out: dict[str, set[tuple[str, str]]] = {name: set() for name in SOURCES}
    out["events"].add(("POST", "/enqueue"))
    for r in datadog.ROUTER.routes:
        if not r.undocumented:
            api = "datadog-v2" if r.template.startswith("/api/v2/") else "datadog-v1"
            out[api].add((r.method, shape(r.template)))
    for r in pagerduty.ROUTER.routes:
        if not r.undocumented:
            out["pagerduty"].add((r.method, shape(r.template)))
    return out


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


def trim(spec: dict[str, Any], keep: set[tuple[str, str]], origin: dict[str, str] | None = None) -> dict[str, Any]:
    """The operations in `keep` (method, path shape) and the components they reach, without annotations."""
    paths: dict[str, Any] = {}
    for path, item in spec.get("paths", {}).items():
        served = {k: v for k, v in item.items() if k not in METHODS or (k.upper(), shape(path)) in keep}
        if any(k in METHODS for k in served):
            paths[path] = _strip(served)
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
    served = operations()
    for name, file in SOURCES.items():
        source = source_dir / file
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if digest != PINNED[name]:
            print(f"{source}: sha256 {digest} is not the pinned {PINNED[name]} (update PINNED and README.md)")
            return 1
        trimmed = trim(load_full(source), served[name], {"source": file, "sha256": digest})
        write_gz(trimmed, HERE / f"{name}.json.gz")
        print(f"{name}: {len(trimmed['paths'])} paths -> {name}.json.gz")
    tz = source_dir / "pagerduty-time-zones.tsv"
    if tz.exists():
        (HERE / tz.name).write_bytes(tz.read_bytes())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
