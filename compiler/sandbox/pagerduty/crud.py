"""The life cycle every PagerDuty REST entity shares, written once.

A resource module declares what differs (how a body becomes a stored object, how it is rendered, which
error a missing id gets, what happens around a create, an update or a delete) and gets its five routes:
list, create (201, wrapped), get, update (PUT, the fields sent) and delete (204). The wrapping follows the
API: bodies and answers are `{"<entity>": {...}}` (developer docs, "Wrapped entities").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compiler.sandbox.pagerduty.common import get_or_404, unwrap
from compiler.sandbox.routing import Handler, Request, Response, Route, resource_routes
from compiler.sandbox.world import World, pd_id

Build = Callable[[World, dict[str, Any], "dict[str, Any] | None"], dict[str, Any]]
Render = Callable[[World, dict[str, Any], Request], dict[str, Any]]
Hook = Callable[[World, Request, dict[str, Any]], None]


def _nothing(world: World, req: Request, obj: dict[str, Any]) -> None:
    return None


def _remove(world: World, req: Request, obj: dict[str, Any], kind: str) -> None:
    world.store.delete(kind, obj["id"])


@dataclass(frozen=True)
class Entity:
    kind: str  # the store's kind
    name: str  # the wrapper key: "service"
    path: str  # "/services"
    build: Build
    render: Render
    list_: Handler
    missing: tuple[str, int] = ("Not Found", 2100)
    before_create: Hook = _nothing  # e.g. the `From` header, ids the server assigns besides `id`
    before_update: Hook = _nothing  # sees the stored object before the body is applied
    after_write: Hook = _nothing  # e.g. timestamps, on creates and updates
    before_delete: Hook = _nothing  # raises when the object is still in use
    delete: Callable[[World, Request, dict[str, Any], str], None] = _remove

    def load(self, world: World, obj_id: str) -> dict[str, Any]:
        return get_or_404(world, self.kind, obj_id, self.missing)

    def _create(self, world: World, req: Request, _: dict[str, str]) -> Response:
        body = unwrap(req, self.name)
        with world.store.transaction():
            obj = self.build(world, body, None)
            obj["id"] = pd_id()
            self.before_create(world, req, obj)
            self.after_write(world, req, obj)
            world.store.put(self.kind, obj["id"], obj)
        return Response(201, {self.name: self.render(world, obj, req)})

    def _get(self, world: World, req: Request, p: dict[str, str]) -> Response:
        return Response(200, {self.name: self.render(world, self.load(world, p["id"]), req)})

    def _update(self, world: World, req: Request, p: dict[str, str]) -> Response:
        body = unwrap(req, self.name)
        with world.store.transaction():
            existing = self.load(world, p["id"])
            self.before_update(world, req, existing)
            obj = self.build(world, body, existing)
            self.after_write(world, req, obj)
            world.store.put(self.kind, obj["id"], obj)
        return Response(200, {self.name: self.render(world, obj, req)})

    def _delete(self, world: World, req: Request, p: dict[str, str]) -> Response:
        with world.store.transaction():
            obj = self.load(world, p["id"])
            self.before_delete(world, req, obj)
            self.delete(world, req, obj, self.kind)
        return Response(204)

    def routes(self) -> list[Route]:
        return resource_routes(
            "", self.path, self.path + "/{id}", (self.list_, self._create, self._get, self._update, self._delete)
        )
