"""Validation of bodies against the vendors' published OpenAPI documents.

The sandbox answers 400 to request bodies the real API would reject on schema
grounds, and the contract tests check every response against the documented
response schema. The specs are large (the Datadog v2 YAML takes seconds to
parse), so each parsed document is cached as a pickle in the temp directory,
keyed by size and mtime, and shared by every process on the machine.

The specs are optional at run time: the product ships without them, and the
sandbox then relies on its hand-written validation only.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    OAS30WriteValidator,
    oas30_format_checker,
)

SPEC_FILES = {
    "datadog-v1": "datadog-v1.yaml",
    "datadog-v2": "datadog-v2.yaml",
    "pagerduty": "pagerduty-openapiv3.json",
    "events": "pagerduty-events-v2-openapiv3.json",
}
# Path prefixes the spec's `servers` entries add (events.pagerduty.com/v2).
SERVER_PREFIX = {"events": "/v2"}
PD_NULL = re.compile(
    r"None for not nullable|None is not (of type|one of)|\{'type': None, 'config': None\} is not valid"
)


def default_spec_dir() -> Path | None:
    """`shared/specs` beside the checkout, as in CI; None when absent (e.g. installed product)."""
    env = os.environ.get("ALERTC_SANDBOX_SPECS")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / ".." / "shared" / "specs")
    for c in candidates:
        if (c / SPEC_FILES["datadog-v1"]).exists():
            return c.resolve()
    return None


def load_spec(path: Path) -> dict[str, Any]:
    st = path.stat()
    cache_dir = Path(tempfile.gettempdir()) / "alertc-sandbox-spec-cache"
    cache = cache_dir / f"{path.name}-{st.st_size}-{int(st.st_mtime)}.pickle"
    if cache.exists():
        try:
            with cache.open("rb") as fh:
                return dict(pickle.load(fh))
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
    text = path.read_text()
    if path.suffix == ".json":
        data = dict(json.loads(text))
    else:
        data = dict(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache)
    return data


class _Api:
    def __init__(self, spec: dict[str, Any], prefix: str) -> None:
        self.spec = spec
        self.components = spec.get("components", {})
        entries = []
        for template, item in spec["paths"].items():
            regex = "^" + re.escape(prefix + template).replace(r"\{", "{").replace(r"\}", "}") + "$"
            regex = re.sub(r"\{[^}/]+\}", "[^/]+", regex)
            entries.append((template.count("{"), template, re.compile(regex), item))
        entries.sort(key=lambda e: e[0])  # literal segments win over parameters
        self.paths = entries

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for _, template, regex, item in self.paths:
            if regex.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None


def _deref(components: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/components/"):
        _, _, kind, name = node["$ref"].split("/", 3)
        node = components[kind][name]
    return node


class SpecValidator:
    def __init__(self, spec_dir: Path) -> None:
        self.spec_dir = spec_dir
        self._apis: dict[str, _Api] = {}
        self._validators: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    def api(self, name: str) -> _Api:
        with self._lock:
            if name not in self._apis:
                spec = load_spec(self.spec_dir / SPEC_FILES[name])
                self._apis[name] = _Api(spec, SERVER_PREFIX.get(name, ""))
            return self._apis[name]

    def preload(self) -> None:
        for name in SPEC_FILES:
            self.api(name)

    def _validator(self, api_name: str, key: tuple[str, ...], schema: dict[str, Any], write: bool) -> Any:
        with self._lock:
            v = self._validators.get(key)
        if v is None:
            api = self._apis[api_name]
            root = {**schema, "components": api.components}
            # PagerDuty's spec marks `type` and other sent fields readOnly through shared allOf parts
            # (SPEC_EXCEPTIONS.md), so its request bodies are checked without the readOnly rule.
            if write:
                cls = OAS30WriteValidator if api_name.startswith("datadog") else OAS30Validator
            else:
                cls = OAS30ReadValidator
            v = cls(root, format_checker=oas30_format_checker)
            with self._lock:
                self._validators[key] = v
        return v

    @staticmethod
    def _json_schema(api: _Api, holder: Any) -> dict[str, Any] | None:
        holder = _deref(api.components, holder)
        if not isinstance(holder, dict):
            return None
        content = holder.get("content", {})
        for media, entry in content.items():
            if "json" in media and "schema" in entry:
                return dict(entry["schema"])
        return None

    def request_errors(self, api_name: str, method: str, path: str, body: Any) -> list[str]:
        api = self.api(api_name)
        found = api.operation(method, path)
        if found is None:
            return []
        template, op = found
        schema = self._json_schema(api, op.get("requestBody"))
        if schema is None:
            return []
        v = self._validator(api_name, (api_name, template, method, "req"), schema, write=True)
        errors = [_describe(e) for e in v.iter_errors(body)]
        if api_name == "pagerduty":  # "any field may be null unless required" (developer docs, Types)
            errors = [e for e in errors if not PD_NULL.search(e)]
        return errors

    def response_errors(self, api_name: str, method: str, path: str, status: int, body: Any) -> list[str]:
        """Errors of `body` against the documented response; a missing documentation is an error too."""
        api = self.api(api_name)
        found = api.operation(method, path)
        if found is None:
            return [f"{method} {path}: no such operation in {api_name}"]
        template, op = found
        responses = op.get("responses", {})
        holder = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if holder is None:
            return [f"{method} {template}: status {status} is not documented"]
        schema = self._json_schema(api, holder)
        if schema is None:
            return [] if body in (None, b"", "") else [f"{method} {template} {status}: body not documented"]
        v = self._validator(api_name, (api_name, template, method, "resp", str(status)), schema, write=False)
        return [_describe(e) for e in v.iter_errors(body)]


def _describe(err: Any) -> str:
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    return f"{where}: {err.message[:300]}"
