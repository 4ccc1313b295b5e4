"""What PagerDuty's REST kinds share: a collection path, entities wrapped in their singular name, marker ownership.

A PagerDuty kind names its ``collection`` (``escalation_policies``); its API paths
(``/escalation_policies``, ``/escalation_policies/{id}``), list, create, update and delete
follow from it. PagerDuty paces the whole REST API of one key together: one family.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from compiler.errors import TargetError
from compiler.kinds.base import Clients, IdFormat, NativeNames, ReadContext, ResourceKind
from compiler.providers.families import PAGERDUTY_FAMILY
from compiler.providers.ownership import OwnershipStyle
from compiler.providers.pagerduty import PAGE
from compiler.resources import LiveObject

MARKER_IN_DESCRIPTION = OwnershipStyle(mode="marker", field="description")


class PagerDutyKind(ResourceKind):
    """A PagerDuty REST kind at ``/<collection>``; subclasses set ``collection`` (and ``list_params``)."""

    provider = "pagerduty"
    api_family = PAGERDUTY_FAMILY
    ownership = MARKER_IN_DESCRIPTION
    page_size = PAGE
    max_concurrency = 1
    collection: str
    list_params: Mapping[str, Any] = MappingProxyType({})
    ids = IdFormat(re.compile(r"[A-Z0-9]{2,20}"), "2-20 uppercase letters and digits, like PABC123")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        collection = cls.__dict__.get("collection")
        if collection is not None:
            cls.api_paths = (f"/{collection}", f"/{collection}/{{id}}")

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]:
        """PagerDuty wraps entities in their singular name (DOCS "Wrapped entities")."""
        inner = body.get(self.kind)
        return inner if isinstance(inner, dict) else body

    def collection_path(self, body: dict[str, Any]) -> str:
        return self.collection

    def live_name(self, body: dict[str, Any]) -> str:
        return str(body.get("name") or body.get("description") or body.get("summary") or "")

    def list_bodies(self, clients: Clients, narrowed: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every object of the collection, ``page_size`` a page (``narrowed``: extra list parameters)."""
        params = {**self.list_params, **(narrowed or {})}
        assert self.page_size is not None
        return clients.pagerduty.list_index(self, self.collection, params, page_size=self.page_size)

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        return [obj for body in self.list_bodies(clients) if (obj := self.listed_object(body)) is not None]

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """The objects carrying this key, narrowed by PagerDuty's name ``query`` when the body has a name."""
        if self.listed_by is not None:
            return None
        name = self.display_name(body)
        found = [self.listed_object(b) for b in self.list_bodies(clients, {"query": name} if name else None)]
        return [o for o in found if o is not None and o.key == key]

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        path = self.collection_path(body)
        created = clients.pagerduty.post(self, path, self.kind, body, what=f"create {self.kind}")
        if "id" not in created:
            raise_missing_id(self.kind)
        return str(created["id"]), created

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        path = f"{self.collection_path(body)}/{live_id}"
        return clients.pagerduty.put(self, path, self.kind, body, what=f"update {self.kind} {live_id}")

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        path = f"{self.collection_path(current or {})}/{live_id}"
        clients.pagerduty.delete(self, path, what=f"delete {self.kind} {live_id}")


def person(ref: Any, names: NativeNames) -> str:
    """A user reference as the email native definitions name people by (the id if the user is unknown)."""
    user_id = str(ref.get("id")) if isinstance(ref, Mapping) else str(ref)
    return names.email_for(user_id) or user_id


def definition_or_id(address: str, ref: Any, names: NativeNames) -> str:
    """A reference to another object as the key of its imported definition, else its PagerDuty id."""
    live_id = str(ref.get("id")) if isinstance(ref, Mapping) else str(ref)
    return names.key_for(address, live_id) or live_id


def raise_missing_id(kind: str) -> None:
    raise TargetError(f"PagerDuty create {kind}: the response carries no id")
