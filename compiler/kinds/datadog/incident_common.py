"""What the Datadog incident configuration kinds share: the v2 IncidentsApi and the JSON:API plumbing.

Notification templates, notification rules and postmortem templates live under
``/api/v2/incidents/config/`` (issue 17). All three are JSON:API resources
without pagination (one list call answers everything) and without tags, and the
client marks their operations *unstable*: they must be switched on (by their names without the
``v2.`` prefix: the client raises on the prefixed form of a name it knows) in the
client's configuration before the first call (reference §1.6), which
``incidents_api`` does.

alertc keeps these objects *flat* on both sides: the desired body is the
``attributes`` object plus, for relationships, the related object's id under
the relationship's name (``notification_template``). ``flatten`` turns a
listed JSON:API item into that shape and ``envelope`` turns a flat body back
into a request, so normalizers, ownership and the plan never see the envelope.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from datadog_api_client.v2.api.incidents_api import IncidentsApi

from compiler.kinds.base import Clients, ReadContext, ResourceKind
from compiler.providers.datadog import plain, request_body
from compiler.resources import LiveObject

API_FAMILY = "datadog:incident_config"
SERVER_OWNED = ("id", "created", "modified", "createdAt", "modifiedAt", "createdBy", "lastModifiedBy")

_NOUNS = ("notification_rule", "notification_template", "postmortem_template")
_UNSTABLE = (
    *(f"{verb}_incident_{noun}" for noun in _NOUNS for verb in ("create", "get", "update", "delete")),
    *(f"list_incident_{noun}s" for noun in _NOUNS),
)


# alertc enables these operations on purpose; the client would warn on every first use of each
warnings.filterwarnings("ignore", message=r"Using unstable operation '\w+_incident_(notification|postmortem)_")


def incidents_api(clients: Clients) -> IncidentsApi:
    """The v2 IncidentsApi on the target's client, with the config operations enabled."""
    client = clients.datadog.client
    for operation in _UNSTABLE:
        client.configuration.unstable_operations[operation] = True
    return IncidentsApi(client)  # type: ignore[no-untyped-call]


def flatten(item: dict[str, Any], relationships: Iterable[str] = ()) -> dict[str, Any]:
    """A JSON:API item as alertc's flat body: its attributes, its id, and the named relationships' ids."""
    flat: dict[str, Any] = dict(item.get("attributes") or {})
    flat["id"] = str(item.get("id", ""))
    rels = item.get("relationships") or {}
    for name in relationships:
        data = (rels.get(name) or {}).get("data")
        if isinstance(data, dict) and data.get("id") is not None:
            flat[name] = str(data["id"])
    return flat


def envelope(
    type_name: str,
    body: dict[str, Any],
    relationships: dict[str, str],
    live_id: object | None = None,
    typed: Callable[[str], Any] = str,
) -> dict[str, Any]:
    """A flat body as a JSON:API request: relationship fields (name → related type) become ``relationships``
    (their ids passed through ``typed``: the client wants UUID objects where the spec says uuid)."""
    attributes = {k: v for k, v in body.items() if k not in relationships and k != "id"}
    data: dict[str, Any] = {"type": type_name, "attributes": attributes}
    if live_id is not None:
        data["id"] = live_id
    rels = {
        name: {"data": {"id": typed(str(body[name])), "type": related}}
        for name, related in relationships.items()
        if body.get(name) is not None
    }
    if rels:
        data["relationships"] = rels
    return {"data": data}


class IncidentConfigKind(ResourceKind):
    """One ``/api/v2/incidents/config/...`` collection; subclasses name the type and the client calls."""

    provider = "datadog"
    api_family = API_FAMILY
    server_owned = SERVER_OWNED
    max_concurrency = 2
    type_name: str
    relationships: ClassVar[dict[str, str]] = {}  # flat field → JSON:API type of the related object
    uuid_ids: bool = True  # the client types these ids as UUIDs (postmortem templates: plain strings)

    def api_id(self, live_id: str) -> Any:
        """The id as the client's typed parameter wants it."""
        return uuid.UUID(live_id) if self.uuid_ids else live_id

    # the client calls, per kind
    def _list(self, api: IncidentsApi) -> Any:
        raise NotImplementedError

    def _create(self, api: IncidentsApi, request: Any) -> Any:
        raise NotImplementedError

    def _update(self, api: IncidentsApi, live_id: Any, request: Any) -> Any:
        raise NotImplementedError

    def _delete(self, api: IncidentsApi, live_id: Any) -> Any:
        raise NotImplementedError

    def outgoing(self, body: dict[str, Any]) -> dict[str, Any]:
        """The flat body as it is sent (a kind may reshape a field, e.g. a one-line name)."""
        return body

    def listed(self, clients: Clients) -> list[dict[str, Any]]:
        """Every object of the collection, flat."""
        api = incidents_api(clients)
        response = plain(clients.datadog.call(self, lambda: self._list(api), what=f"list {self.kind}s"))
        return [flatten(item, self.relationships) for item in response.get("data") or []]

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        return [self.live_object(body, body["id"], self.display_name(body) or "") for body in self.listed(clients)]

    def _answered(self, response: Any) -> dict[str, Any]:
        return flatten(plain(response)["data"], self.relationships)

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        api = incidents_api(clients)
        request = request_body(envelope(self.type_name, self.outgoing(body), self.relationships, None, self.api_id))
        call: Callable[[], Any] = lambda: self._create(api, request)  # noqa: E731
        answered = self._answered(clients.datadog.call(self, call, idempotent=False, what=f"create {self.kind}"))
        return answered["id"], answered

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        api = incidents_api(clients)
        typed = self.api_id(live_id)
        request = request_body(envelope(self.type_name, self.outgoing(body), self.relationships, typed, self.api_id))
        call: Callable[[], Any] = lambda: self._update(api, typed, request)  # noqa: E731
        return self._answered(clients.datadog.call(self, call, what=f"update {self.kind} {live_id}"))

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        api = incidents_api(clients)
        typed = self.api_id(live_id)
        clients.datadog.delete(self, lambda: self._delete(api, typed), what=f"delete {self.kind} {live_id}")
