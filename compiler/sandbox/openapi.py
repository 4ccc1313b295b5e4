"""Validation of bodies against the vendors' published OpenAPI documents.

The sandbox answers 400 to request bodies the real API would reject on schema
grounds, and the contract tests check every response against the documented
response schema. The documents ship with the sandbox (`specs/`, trimmed to the
paths it serves, see specs/README.md), so an installed sandbox validates exactly
like the tested one. Trimmed and gzip'd they parse in milliseconds: there is no
on-disk cache to trust or to protect.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from pathlib import Path
from typing import Any

from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30Validator,
    oas30_format_checker,
)

SPEC_DIR = Path(__file__).resolve().parent / "specs"
SPEC_FILES = {
    "datadog-v1": "datadog-v1.json.gz",
    "datadog-v2": "datadog-v2.json.gz",
    "pagerduty": "pagerduty.json.gz",
    "events": "events.json.gz",
}
TIME_ZONES_FILE = SPEC_DIR / "pagerduty-time-zones.tsv"
# Path prefixes the spec's `servers` entries add (events.pagerduty.com/v2).
SERVER_PREFIX = {"events": "/v2"}
PD_NULL = re.compile(
    r"None for not nullable|None is not (of type|one of)|\{'type': None, 'config': None\} is not valid"
)


# APIs whose servers read `null` as a value in any field (PagerDuty developer docs, Types).
NULLS_ARE_VALUES = frozenset({"pagerduty", "events"})
# APIs whose PUT changes the fields sent and keeps the others, so the schema's `required` binds creates
# only (PagerDuty: pdpyras' documented `rput(entity, json={"name": ...})`; issue 22's partial PUT).
PARTIAL_PUT = frozenset({"pagerduty"})


class OperationMissing(Exception):
    """A route the sandbox serves whose operation the packaged spec lacks: regenerate the specs
    (`python -m compiler.sandbox.specs.trim`) or declare the route undocumented with its evidence."""


def load_spec(path: Path) -> dict[str, Any]:
    """A packaged spec: gzip'd JSON written by `specs/trim.py`."""
    return dict(json.loads(gzip.decompress(path.read_bytes())))


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
        target: Any = components
        for part in node["$ref"].split("/")[2:]:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


class SpecValidator:
    def __init__(self, spec_dir: Path = SPEC_DIR) -> None:
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
            # Requests: `readOnly` is no server rule (check_request); responses must not carry writeOnly.
            cls = OAS30Validator if write else OAS30ReadValidator
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

    def check_request(self, api_name: str, method: str, path: str, body: Any) -> tuple[Any, list[str]]:
        """The body as the handler should see it, and what the real service would refuse in it.

        Requests are read the way the real services read them, not the way the spec's response-side
        annotations suggest (SPEC_EXCEPTIONS.md): Datadog ignores `readOnly` fields (`id`, `multi`,
        `created`, ...) and reads a `null` in a field the spec does not make nullable as absent, so both
        are removed before validation and never reach the handler; PagerDuty reads every null as a value
        ("any field may be null unless required") and its `readOnly` marks are not server rules.
        Raises `OperationMissing` for a served operation the packaged spec lacks.
        """
        api = self.api(api_name)
        found = api.operation(method, path)
        if found is None:
            raise OperationMissing(f"{method} {path}: operation not in the packaged {api_name} spec")
        template, op = found
        schema = self._json_schema(api, op.get("requestBody"))
        if schema is None:
            return body, []
        nulls_are_values = api_name in NULLS_ARE_VALUES
        if not nulls_are_values:
            body = _as_read(api.components, schema, body)
        partial = method == "PUT" and api_name in PARTIAL_PUT
        v = self._validator(api_name, (api_name, template, method, "req"), schema, write=True)
        errors = [_describe(e) for e in v.iter_errors(body) if not (partial and e.validator == "required")]
        if nulls_are_values:
            errors = [e for e in errors if not PD_NULL.search(e)]
        return body, errors

    def response_errors(self, api_name: str, method: str, path: str, status: int, body: Any) -> list[str]:
        """Errors of `body` against the documented response; a missing documentation is an error too."""
        api = self.api(api_name)
        found = api.operation(method, path)
        if found is None:
            return [f"{method} {path}: no such operation in {api_name}"]
        template, op = found
        responses = op.get("responses", {})
        # Presence, not truth: a trimmed `204: {}` (its description dropped) still documents the status.
        code = next((c for c in (str(status), f"{str(status)[0]}XX", "default") if c in responses), None)
        holder = responses[code] if code is not None else None
        if holder is None:
            return [f"{method} {template}: status {status} is not documented"]
        schema = self._json_schema(api, holder)
        if schema is None:
            return [] if body in (None, b"", "") else [f"{method} {template} {status}: body not documented"]
        v = self._validator(api_name, (api_name, template, method, "resp", str(status)), schema, write=False)
        return [_describe(e) for e in v.iter_errors(body)]


def _branches(components: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """The schema and every schema it combines (allOf/oneOf/anyOf), dereferenced, flattened."""
    out: list[dict[str, Any]] = []
    stack = [schema]
    seen: set[int] = set()
    while stack:
        node = _deref(components, stack.pop())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        for key in ("allOf", "oneOf", "anyOf"):
            stack.extend(node.get(key) or [])
    return out


def _nullable(components: dict[str, Any], schema: Any) -> bool:
    branches = _branches(components, schema)
    if any(b.get("nullable") for b in branches):
        return True
    constrained = ("type", "properties", "enum", "items", "allOf", "oneOf", "anyOf", "format")
    return not any(key in b for b in branches for key in constrained)  # `{}` accepts anything, null too


def _as_read(components: dict[str, Any], schema: Any, value: Any) -> Any:
    """`value` without the fields a Datadog server ignores: properties every defining branch marks
    `readOnly`, and nulls in properties no branch makes nullable (read as absent). Unknown fields stay."""
    if isinstance(value, str):
        return _as_number(components, schema, value)
    if isinstance(value, list):
        items = [b["items"] for b in _branches(components, schema) if isinstance(b.get("items"), dict)]
        return [_as_read(components, {"anyOf": items}, v) for v in value] if items else value
    if not isinstance(value, dict):
        return value
    properties: dict[str, list[Any]] = {}
    extra: list[Any] = []
    for branch in _branches(components, schema):
        for name, sub in (branch.get("properties") or {}).items():
            properties.setdefault(name, []).append(sub)
        if isinstance(branch.get("additionalProperties"), dict):
            extra.append(branch["additionalProperties"])
    out = {}
    for name, item in value.items():
        subs = properties.get(name) or extra
        if not subs:
            out[name] = item
            continue
        resolved = [_deref(components, sub) for sub in subs]
        if name in properties and all(isinstance(r, dict) and r.get("readOnly") for r in resolved):
            continue
        if item is None and not any(_nullable(components, sub) for sub in subs):
            continue
        out[name] = _as_read(components, {"anyOf": subs} if len(subs) > 1 else subs[0], item)
    return out


def _as_number(components: dict[str, Any], schema: Any, value: str) -> Any:
    """A numeral string where the spec wants only a number is read as that number, and a string where it
    wants a list of strings as that one string: Datadog answered 200
    to `"priority": "5"` and `"start": "1580748437"` from the `dog` CLI (datadogpy's recorded
    TestDogshell.test_monitors and test_downtime_schedule) and stored the numbers."""
    branches = _branches(components, schema)
    types = {b.get("type") for b in branches if b.get("type")}
    if types == {"array"} and all(_deref(components, b.get("items", {})).get("type") == "string" for b in branches):
        return [value]  # one scope sent as a string (`dog downtime post`): recorded TestDogshell.test_downtime_schedule
    if not types or not types <= {"integer", "number"}:
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "integer" in types else number


def _describe(err: Any) -> str:
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    return f"{where}: {err.message[:300]}"
