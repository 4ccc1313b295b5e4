"""``DatadogKind``: a Datadog kind as data — which client API, which operations, how its list pages,
how a body travels (its envelope).

Most Datadog kinds differ only in names: the list is a paged GET, create a POST of
the body, update a PUT or PATCH of it by id, delete a DELETE by id. A subclass says
which of the client's methods those are (``operations``), how the list pages
(``paging``, at ``page_size``) and how a body is wrapped (``envelope``); the calls
are made here. Kinds override a hook only where the API really differs (the
monitor list also carries SLO alerts; PagerDuty service objects have no list).

Lists are read as raw JSON through the client's own ``Endpoint`` objects
(``providers.datadog.endpoint``, the one place that reads the client's private
attributes); writes go through the client's typed methods, named here by operation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from compiler.kinds.base import Clients, ReadContext, ResourceKind
from compiler.providers.datadog import endpoint, plain, request_body
from compiler.providers.datadog_raw import call_json
from compiler.providers.ownership import KEY_TAG_PREFIX
from compiler.providers.paging import Paging, read_window
from compiler.resources import LiveObject


@dataclass(frozen=True)
class Operations:
    """The client's method names for a kind's calls (``list`` None: the API has no list; ``get``: the read of
    one object, needed only by a kind whose list answers summaries)."""

    list: str | None
    create: str
    update: str
    delete: str
    get: str | None = None

    @classmethod
    def crud(cls, noun: str, *, delete: str | None = None, get: bool = False) -> Operations:
        """The client's usual names: ``list_<noun>s``, ``create_<noun>``, ``update_<noun>``, ``delete_<noun>``
        (and ``get_<noun>`` with ``get``)."""
        read = f"get_{noun}" if get else None
        return cls(f"list_{noun}s", f"create_{noun}", f"update_{noun}", delete or f"delete_{noun}", read)

    def names(self) -> tuple[str, ...]:
        named = (self.list, self.create, self.update, self.delete, self.get)
        return tuple(name for name in named if name is not None)


class Envelope:
    """How a body travels: sent as it is, answered as the kind unwraps it (most v1 endpoints)."""

    def request(self, kind: DatadogKind, body: dict[str, Any], live_id: str | None) -> dict[str, Any]:
        """The request body for ``body`` (``live_id``: the object updated; None on create)."""
        return body

    def answered(self, kind: DatadogKind, answer: dict[str, Any]) -> dict[str, Any]:
        """The live body in a create or update answer."""
        return kind.unwrap(answer)

    def items(self, answer: Any) -> list[Any]:
        """The items of a list answered in one call."""
        return list(answer) if isinstance(answer, list) else []

    def listed(self, item: dict[str, Any]) -> dict[str, Any]:
        """A listed item as the live body alertc keeps."""
        return item


PLAIN = Envelope()


@dataclass(frozen=True)
class JsonApi(Envelope):
    """A JSON:API resource: requests are ``{"data": {"type", "attributes", "id"?, "relationships"?}}``.

    ``flat``: alertc keeps its bodies flat — the attributes, the id, and each relationship
    in ``relationships`` (flat field → related type) as the related object's id — so
    normalizers, ownership and the plan never see the envelope (incident configuration).
    Otherwise the listed item is kept whole and the kind's ``unwrap`` finds the attributes
    (downtimes).
    """

    type_name: str
    relationships: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    flat: bool = False

    def request(self, kind: DatadogKind, body: dict[str, Any], live_id: str | None) -> dict[str, Any]:
        return document(self.type_name, body, self.relationships, live_id, kind.api_id)

    def answered(self, kind: DatadogKind, answer: dict[str, Any]) -> dict[str, Any]:
        return self.listed(answer["data"])

    def items(self, answer: Any) -> list[Any]:
        data = answer.get("data") if isinstance(answer, dict) else None
        return list(data) if isinstance(data, list) else []

    def listed(self, item: dict[str, Any]) -> dict[str, Any]:
        return flatten(item, self.relationships) if self.flat else item


def flatten(item: dict[str, Any], relationships: Iterable[str] = ()) -> dict[str, Any]:
    """A JSON:API item as a flat body: its attributes, its id, and the named relationships' ids."""
    flat: dict[str, Any] = dict(item.get("attributes") or {})
    flat["id"] = str(item.get("id", ""))
    rels = item.get("relationships") or {}
    for name in relationships:
        data = (rels.get(name) or {}).get("data")
        if isinstance(data, dict) and data.get("id") is not None:
            flat[name] = str(data["id"])
    return flat


def document(
    type_name: str,
    body: dict[str, Any],
    relationships: Mapping[str, str],
    live_id: str | None = None,
    typed: Callable[[str], Any] = str,
) -> dict[str, Any]:
    """A flat body as a JSON:API request: relationship fields (name → related type) become ``relationships``.

    Ids (the object's and the related objects') go through ``typed``: the client wants
    UUID objects where the spec says uuid.
    """
    attributes = {k: v for k, v in body.items() if k not in relationships and k != "id"}
    data: dict[str, Any] = {"type": type_name, "attributes": attributes}
    if live_id is not None:
        data["id"] = typed(live_id)
    rels = {
        name: {"data": {"id": typed(str(body[name])), "type": related}}
        for name, related in relationships.items()
        if body.get(name) is not None
    }
    if rels:
        data["relationships"] = rels
    return {"data": data}


class DatadogKind(ResourceKind):
    """A Datadog kind made of data; subclasses set the API, operations, paging and envelope.

    * ``api``: the client's API class (``MonitorsApi``).
    * ``operations``: its method names for list, create, update and delete.
    * ``paging``: how the list pages (at ``page_size``); None with ``page_size`` None: one call lists all.
    * ``list_params``: parameters every list call carries.
    * ``key_filter``: the list parameter that narrows the list to one tag; apply's look for an
      object by its ownership key (``find_by_key``) then costs its matches, not the account.
    * ``envelope``: how bodies are wrapped (``PLAIN`` or a ``JsonApi``).
    * ``upsert``: create and update are one call by name (the answer is the body sent).
    * ``unstable``: the client marks the operations unstable; they are switched on before use.
    """

    provider = "datadog"
    api: type
    operations: Operations
    paging: Paging | None = None
    list_params: Mapping[str, Any] = MappingProxyType({})
    key_filter: str | None = None
    envelope: Envelope = PLAIN
    upsert: bool = False
    unstable: bool = False

    def api_id(self, live_id: str) -> Any:
        """The id as the client's typed parameter wants it (a string by default)."""
        return live_id

    def outgoing(self, body: dict[str, Any]) -> dict[str, Any]:
        """The body as it is sent (a kind may reshape a field, e.g. a one-line name)."""
        return body

    def client_api(self, clients: Clients) -> Any:
        return clients.datadog.api(self.api, unstable=self.operations.names() if self.unstable else ())

    def call(
        self, clients: Clients, operation: str, *args: Any, what: str, idempotent: bool = True, **kwargs: Any
    ) -> Any:
        """The client's ``operation`` with these arguments, paced and retried; the answer as plain JSON."""
        method = getattr(self.client_api(clients), operation)
        return plain(clients.datadog.call(self, lambda: method(*args, **kwargs), idempotent=idempotent, what=what))

    def list_bodies(self, clients: Clients, narrowed: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every listed body (``narrowed``: extra list parameters), as the envelope keeps them."""
        operation = self.operations.list
        if operation is None:
            raise NotImplementedError(f"{self.address} has no list operation")
        params = {**self.list_params, **(narrowed or {})}
        if self.paging is None or self.page_size is None:
            items = self.envelope.items(self.call(clients, operation, **params, what=f"list {self.kind}s"))
        else:
            found = endpoint(self.client_api(clients), operation)
            items = clients.datadog.list_json(self, found, self.paging, self.page_size, params)
        return [self.envelope.listed(item) for item in items]

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        return [obj for body in self.list_bodies(clients) if (obj := self.listed_object(body)) is not None]

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """With a ``key_filter``: one narrowed list (the key is checked here anyway). An upsert cannot make
        a second object, so there is nothing to look for."""
        if self.upsert:
            return []
        if self.key_filter is None:
            return super().find_by_key(clients, key, body)
        tag = f"{KEY_TAG_PREFIX}{self.kind}/{key}"
        found = (
            self.live_object(b, self.live_id(b), self.live_name(b))
            for b in self.list_bodies(clients, {self.key_filter: tag})
            if self.owns_live(b)
        )
        return self.read_in_full(clients, [obj for obj in found if obj.key == key])

    def read_in_full(self, clients: Clients, objects: list[LiveObject]) -> list[LiveObject]:
        """Each summary read by id (``operations.get``, as raw JSON), a few at a time; ownership and scope
        stay the listed object's (the mark is in the summary too)."""
        if not self.lists_summaries or not objects:
            return objects
        if self.operations.get is None:
            return super().read_in_full(clients, objects)
        found = endpoint(self.client_api(clients), self.operations.get)
        id_param = next(name for name, p in found.params_map.items() if p.get("location") == "path")

        def one(obj: LiveObject) -> LiveObject | None:
            params = {id_param: self.api_id(obj.live_id)}
            body = clients.datadog.get_or_none(
                self, lambda: call_json(found, **params), what=f"get {self.kind} {obj.live_id}"
            )
            return None if body is None else dataclasses.replace(obj, body=body)

        workers = read_window(clients.datadog.limiter, self.api_family)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="alertc-full") as pool:
            return [obj for obj in pool.map(one, objects) if obj is not None]

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        request = self.envelope.request(self, self.outgoing(body), None)
        what = f"create {self.kind}"
        answer = self.call(clients, self.operations.create, body=request_body(request), idempotent=False, what=what)
        created = body if self.upsert else self.envelope.answered(self, answer)
        return self.live_id(created), created

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        request = self.envelope.request(self, self.outgoing(body), live_id)
        by_id = () if self.upsert else (self.api_id(live_id),)
        what = f"update {self.kind} {live_id}"
        answer = self.call(clients, self.operations.update, *by_id, body=request_body(request), what=what)
        return body if self.upsert else self.envelope.answered(self, answer)

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        method = getattr(self.client_api(clients), self.operations.delete)
        typed = self.api_id(live_id)
        clients.datadog.delete(self, lambda: method(typed), what=f"delete {self.kind} {live_id}")
