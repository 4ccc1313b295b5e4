"""Transport-neutral request/response types and path routing.

Handlers see parsed requests and return plain data so that the API behaviour
modules know nothing about sockets, TLS or fault injection.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from compiler.sandbox.errors import ApiError
from compiler.sandbox.openapi import OperationMissing

if TYPE_CHECKING:
    from compiler.sandbox.world import World


# Far deeper than any real body (a monitor or a schedule nests under ten levels); shallow enough that
# the schema validator's recursion stays inside Python's limit.
MAX_JSON_DEPTH = 64


def json_depth(data: Any) -> int:
    """Nesting depth of parsed JSON, iteratively (a recursive walk would hit the limit it measures)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in node)
    return deepest


_UNREAD: Any = object()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    raw_body: bytes
    # The body as the gate read it (spec-checked, read-only fields and meaningless nulls removed).
    parsed: Any = field(default=_UNREAD, repr=False)
    # Who the credentials are, as the vendor's auth gate decided (Datadog: a restrictions.Caller).
    principal: Any = field(default=None, repr=False)

    @classmethod
    def parse(cls, method: str, target: str, headers: dict[str, str], body: bytes) -> Request:
        parts = urlsplit(target)
        return cls(method, parts.path, parse_qs(parts.query, keep_blank_values=True), headers, body)

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def args(self, name: str) -> list[str]:
        """Repeated parameters, accepting both `x[]=` and `x=` spellings."""
        return self.query.get(name + "[]", []) + self.query.get(name, [])

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self, error: Callable[[str], ApiError], *, yaml_ok: bool = False) -> Any:
        """The decoded body (YAML too when `yaml_ok`: JSON is YAML, and some clients post YAML)."""
        if self.parsed is not _UNREAD:
            return self.parsed
        if not self.raw_body:
            raise error("Request body is empty")
        try:
            data = json.loads(self.raw_body)
        except (ValueError, UnicodeDecodeError) as exc:
            if not yaml_ok:
                raise error(f"Invalid JSON: {exc}") from exc
            data = _yaml(self.raw_body, error)
        except RecursionError as exc:
            raise error(f"Invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels") from exc
        if json_depth(data) > MAX_JSON_DEPTH:
            raise error(f"Invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels")
        return data


def _yaml(raw: bytes, error: Callable[[str], ApiError]) -> Any:
    import yaml  # noqa: PLC0415  # only for the few routes that take YAML documents

    try:
        return yaml.safe_load(raw)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(f"Invalid JSON or YAML document: {exc}") from exc


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        return json.dumps(self.body).encode()


Handler = Callable[["World", Request, dict[str, str]], Response]


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    family: str
    template: str = ""
    # Evidence that the real API serves this operation although its published spec lacks it; such a
    # route's body is checked by its handler alone. Every other route must be in the packaged spec.
    undocumented: str = ""
    yaml_body: bool = False  # the body may be a YAML document (JSON is YAML)
    # Bodies the real API accepts that the spec does not describe (checked by the handler alone).
    unspecified: Callable[[Any], bool] | None = None


def route(
    method: str,
    template: str,
    handler: Handler,
    family: str = "",
    *,
    undocumented: str = "",
    yaml_body: bool = False,
    unspecified: Callable[[Any], bool] | None = None,
) -> Route:
    """`/api/v1/monitor/{monitor_id}` → a regex with named groups."""
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(
        method, re.compile("^" + regex + "/?$"), handler, family, template, undocumented, yaml_body, unspecified
    )


def routes_of(packages: Iterable[str]) -> list[Route]:
    """The ``ROUTES`` of every module of ``packages`` (in module-name order; modules without any, such as
    shared helpers, are skipped): a router serves a new handler module without a list naming it."""
    routes: list[Route] = []
    for name in packages:
        package = importlib.import_module(name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            routes += getattr(importlib.import_module(f"{name}.{info.name}"), "ROUTES", [])
    return routes


Lifecycle = tuple["Handler | None", "Handler | None", "Handler | None", "Handler | None", "Handler | None"]


def resource_routes(
    family: str, collection: str, member: str, handlers: Lifecycle, update_method: str = "PUT"
) -> list[Route]:
    """The routes of a resource's life cycle, `handlers` = (list, create, get, update, delete): list and
    create on the collection, the others on one member; a None is an operation the API does not serve."""
    methods = (("GET", collection), ("POST", collection), ("GET", member), (update_method, member), ("DELETE", member))
    return [route(m, t, h, family) for (m, t), h in zip(methods, handlers, strict=True) if h is not None]


def dispatch(
    world: World,
    req: Request,
    found: tuple[Route, dict[str, str]],
    headers: dict[str, str],
    api: str,
    invalid: Callable[[list[str]], ApiError],
) -> Response:
    """Check the body against the packaged spec, run the handler, add `headers` to whatever comes back."""
    r, params = found
    try:
        _check_body(world, req, r, api, invalid)
        resp = r.handler(world, req, params)
    except ApiError as exc:
        exc.headers = {**headers, **exc.headers}
        raise
    resp.headers = {**headers, **resp.headers}
    return resp


def _check_body(world: World, req: Request, r: Route, api: str, invalid: Callable[[list[str]], ApiError]) -> None:
    if world.validator is None or req.method not in ("POST", "PUT", "PATCH") or not req.raw_body:
        return
    body = req.json(lambda m: invalid([m]), yaml_ok=r.yaml_body)
    if r.undocumented or (r.unspecified is not None and r.unspecified(body)):
        req.parsed = body
        return
    try:
        cleaned, errors = world.validator.check_request(api, req.method, req.path, body)
    except OperationMissing as exc:
        raise ApiError(500, {"errors": [f"sandbox: {exc}"]}) from exc
    if errors:
        raise invalid(errors[:5])
    req.parsed = cleaned


def _specificity(r: Route) -> tuple[bool, ...]:
    """Per path segment, whether it is a parameter: sorted on this, a literal segment comes before a
    parameter in the same place (``/api/v1/slo/search`` before ``/api/v1/slo/{slo_id}``)."""
    return tuple(segment.startswith("{") for segment in r.template.split("/"))


class Router:
    """The routes of one API, tried most specific first.

    Two routes can match one path only where one has a literal segment and the other a parameter
    (templates have fixed lengths), and the literal one is meant: so the order in which handler
    modules are collected (``routes_of``) does not matter, and no list of them needs a careful order.
    """

    def __init__(self, routes: list[Route]) -> None:
        self.routes = sorted(routes, key=_specificity)  # stable: the handler's own order otherwise

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | bool | None:
        """The route and its parameters; False when the path exists under another method."""
        path_known = False
        for r in self.routes:
            m = r.pattern.match(path)
            if m is None:
                continue
            if r.method == method:
                return r, m.groupdict()
            path_known = True
        return False if path_known else None
