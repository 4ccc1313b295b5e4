"""A kind's list reads page at the kind's ``page_size``, and its requests go to its declared API paths.

Against the sandbox: each kind that lists itself is read with its page size changed, and the
list request it sends carries the new size (the attribute acts; a module constant would not
follow). Every request path a full read sends is one of the API paths some kind declares.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from compiler.kinds import all_kinds
from compiler.kinds.base import ReadContext
from compiler.live import open_session, read_live
from compiler.resources import ResourceSet
from compiler.sandbox.routing import Request
from compiler.targets import target_from_environment
from tests.e2e.conftest import World

pytestmark = pytest.mark.slow

SELF_LISTING = [k for k in all_kinds() if k.listed_by is None and not k.reads_after]
ODD_SIZE = 7  # no kind's real page size


def _requests(world: World) -> list[Request]:
    seen: list[Request] = []

    def observe(request: Request, _response: Any) -> None:
        seen.append(request)

    world.handle.observe(observe)
    return seen


def test_list_requests_ask_for_the_kinds_page_size(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    target = target_from_environment(os.environ)
    assert target is not None
    seen = _requests(world)
    with open_session(target) as session:
        for kind in SELF_LISTING:
            if kind.page_size is None:
                continue
            monkeypatch.setattr(kind, "page_size", ODD_SIZE)
            seen.clear()
            kind.list_live(session, ReadContext(ResourceSet()))
            sizes = [values for r in seen for values in r.query.values() if values == [str(ODD_SIZE)]]
            sent = [(r.path, r.query) for r in seen]  # (not the headers: they carry the key)
            assert len(seen) == 1 and sizes, f"{kind.address} did not ask for {ODD_SIZE} a page: {sent}"
    world.handle.observe(None)


def test_every_request_of_a_read_is_at_a_declared_api_path(world: World) -> None:
    target = target_from_environment(os.environ)
    assert target is not None
    seen = _requests(world)
    with open_session(target) as session:
        read_live(session, ResourceSet())
    world.handle.observe(None)
    declared = [(k.provider, path.split("/")) for k in all_kinds() for path in k.api_paths]

    def at(parts: list[str], template: list[str]) -> bool:
        return len(parts) == len(template) and all(
            a == b or b.startswith("{") for a, b in zip(parts, template, strict=True)
        )

    def covered(request: Request) -> bool:
        provider = "datadog" if request.path.startswith("/api/") else "pagerduty"
        return any(p == provider and at(request.path.split("/"), t) for p, t in declared)

    kinds_read = [r for r in seen if r.path not in ("/users", "/api/v1/validate")]  # people; the key check
    assert kinds_read and all(covered(r) for r in kinds_read), [r.path for r in kinds_read if not covered(r)]
