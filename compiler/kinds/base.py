"""``ResourceKind``: everything the engine (plan, apply, drift, live reads) knows about one kind.

One subclass per kind, one instance per subclass in the registry
(``compiler/kinds/registry.py``). The engine never asks "which kind is this?":
it reads the data below and calls the hooks. Normalizers and reconcilers stay
pure functions (``compiler/providers/normalize``); a kind only names them.

Data (class attributes), each of which acts somewhere:

* ``provider``, ``kind``: the address ``provider:kind`` (``pagerduty:service``).
* ``api_family``: the rate-limit bucket its requests are paced and retried under.
* ``api_paths``: the API paths its calls use (``{name}`` stands for one path segment). Every
  request at or below one of them is observed under ``api_family``: the registry builds the
  client's path → family table from them (``registry.DATADOG_FAMILIES``).
* ``ownership``: where alertc's mark lives (tags, a marker line, or inherited from a parent kind).
* ``depends_on``: kinds whose objects must exist first; apply order is a topological sort of it.
* ``name_field``: the body field holding the display name (used for name conflicts), or None.
* ``page_size``: the page size its list calls ask for, the largest the endpoint accepts
  (None: one call answers the whole list). The provider bases page with it.
* ``server_owned``: dotted paths (inside the unwrapped body) of fields the server sets; ``normalize``
  removes them before the kind's ``rules`` run, so they are never compared.
* ``order_free``: dotted paths (inside the unwrapped body) of lists whose order carries no meaning;
  ``normalize`` sorts them (``normalize.common.unordered``) before the kind's ``rules`` run.
* ``max_concurrency``: how many of its writes apply runs at once.
* ``listed_by``: the address of the kind whose ``list_live`` also returns this kind's objects
  (SLO alerts come with the monitor list, integrations with their services); None: it lists itself.
* ``reads_after``: kinds whose live objects its ``list_live`` needs (read in a second phase).
* ``validates_at_plan``: whether ``validate`` asks the API for a verdict on new or changed bodies.
* ``accepts_same_name``: the API accepts two objects of one name (no uniqueness to lean on): apply
  looks for each created key again and the run that made the younger copy deletes it.
* ``exact_creation_order``: ``compiler.duplicates.creation_order`` follows the order the API stored
  objects in (monotonic ids, microsecond creation times, sequence numbers); otherwise (seconds, nothing)
  apply waits a moment before that look, so that racing runs see each other's copies.
* ``lists_summaries``: its list answers summaries, not whole objects (Datadog's dashboard list has
  no widgets). The live read then reads in full, one request each (``read_in_full``), exactly the
  objects a run compares: its own scope's; ``alertc import`` those it writes out.
* ``ids``: what a live id of this kind looks like (``IdFormat``); ``check_id`` refuses any other before
  it reaches a URL (a plan file is input: ``150000004/../150000038`` must never become a path).

Hooks: ``rules`` (the kind's normalizer, usually ``staticmethod(some_pure_function)``),
``unwrap``, ``from_live``, ``reconcile``, ``owns_live`` and ``lookups`` are pure; ``list_live``,
``create``, ``update``, ``delete``, ``read_field`` and ``validate`` talk to the API through the
providers' generic call helpers (the ``DatadogKind`` and ``PagerDutyKind`` bases implement them from data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from compiler.providers.datadog import DatadogProvider
from compiler.providers.normalize.common import JSONDict, edit_at, unordered
from compiler.providers.ownership import OwnershipStyle, read_ownership, without_mark
from compiler.providers.pagerduty import PagerDutyProvider
from compiler.resources import LiveObject, Provider, ResourceSet


class Clients(Protocol):
    """The two providers of one target (``compiler.live.Session`` is one)."""

    @property
    def datadog(self) -> DatadogProvider: ...

    @property
    def pagerduty(self) -> PagerDutyProvider: ...


class NativeNames(Protocol):
    """What a kind's ``to_native`` may ask while ``alertc import`` writes definitions."""

    def key_for(self, address: str, live_id: str) -> str | None:
        """The definition key given to the imported object ``live_id`` of kind ``address``, if imported."""
        ...

    def email_for(self, user_id: str) -> str | None:
        """A PagerDuty user's email (people are written by email)."""
        ...


@dataclass(frozen=True)
class ReadContext:
    """What a kind's ``list_live`` may consult: the desired resources and the objects read before it."""

    desired: ResourceSet
    earlier: list[LiveObject] = field(default_factory=list)


@dataclass(frozen=True)
class IdFormat:
    """What a live id of a kind looks like, and how a message describes it."""

    pattern: re.Pattern[str]
    description: str


NAME_IDS = IdFormat(re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"), "letters, digits, '_', '.' and '-'")
UUID_IDS = IdFormat(re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "a UUID")


class ResourceKind:
    """Base of every kind; subclasses set the data and override the hooks they need."""

    provider: Provider
    kind: str
    api_family: str
    api_paths: tuple[str, ...] = ()
    ownership: OwnershipStyle
    depends_on: tuple[str, ...] = ()
    name_field: str | None = "name"
    page_size: int | None = None
    server_owned: tuple[str, ...] = ()
    order_free: tuple[str, ...] = ()
    max_concurrency: int = 4
    listed_by: str | None = None
    reads_after: tuple[str, ...] = ()
    validates_at_plan: bool = False
    key_names_kind: bool = False  # the ownership key's ``kind/`` prefix decides the kind (shared lists)
    native_kind: str | None = None  # the definitions list ``alertc import`` writes its objects to; None: not importable
    native_fields: tuple[str, ...] = ()  # the normalized fields a native definition keeps (default ``to_native``)
    found_by_monitor_search: bool = False  # ``alertc import --datadog-query`` (Datadog's monitor search) finds it
    selected_by_id: bool = False  # ``alertc import --pagerduty-service ID`` names objects of this kind
    import_brings: tuple[str, ...] = ()  # kinds an imported object references and brings along (by reference)
    accepts_same_name: bool = False
    exact_creation_order: bool = True
    lists_summaries: bool = False  # its list omits fields the diff compares: ``read_in_full`` completes them
    ids: IdFormat = NAME_IDS

    @property
    def address(self) -> str:
        """``provider:kind``, the form used in ``depends_on``."""
        return f"{self.provider}:{self.kind}"

    def __repr__(self) -> str:
        return f"<kind {self.address}>"

    # --- pure hooks ---------------------------------------------------------------------------

    def unwrap(self, body: dict[str, Any]) -> dict[str, Any]:
        """The object inside an API envelope (``{"service": {...}}``); identity by default.

        It returns the object itself, not a copy (ownership marks are written through it),
        and never changes ``body``.
        """
        return body

    def rules(self, body: JSONDict) -> JSONDict:
        """The kind's own normalization rules, applied to what ``prepared`` gives (a copy it may change)."""
        raise NotImplementedError(f"{self.address} has no normalizer")

    def prepared(self, body: Mapping[str, Any]) -> JSONDict:
        """The unwrapped object as ``rules`` sees it: a copy without the ``server_owned`` fields, with
        the ``order_free`` lists sorted and without alertc's ownership mark. ``body`` is left as it is."""
        inner = dict(self.unwrap(body if isinstance(body, dict) else dict(body)))
        for path in self.server_owned:
            edit_at(inner, path, _remove)
        for path in self.order_free:
            edit_at(inner, path, _sort)
        without_mark(self.ownership, inner)
        return inner

    def normalize(self, body: Mapping[str, Any]) -> JSONDict:
        """The canonical form both sides are compared in: the kind's ``rules`` over ``prepared``."""
        return self.rules(self.prepared(body))

    def from_live(self, body: Mapping[str, Any]) -> JSONDict:
        """Adapt a live body to the desired shape before normalizing (e.g. reversed layers)."""
        return dict(body)

    def reconcile(self, desired: JSONDict, live: JSONDict, now: datetime) -> tuple[JSONDict, JSONDict]:
        """Align authored-only or time-dependent fields of the two normalized forms."""
        return desired, live

    def owns_live(self, body: Mapping[str, Any]) -> bool:
        """Whether a listed live body belongs to this kind (kinds sharing one list tell theirs apart)."""
        return True

    def canonical_desired(self, body: Mapping[str, Any]) -> JSONDict:
        return self.normalize(body)

    def canonical_live(self, body: Mapping[str, Any]) -> JSONDict:
        return self.normalize(self.from_live(body))

    def comparable(
        self, desired_body: Mapping[str, Any], live_body: Mapping[str, Any], *, now: datetime
    ) -> tuple[JSONDict, JSONDict]:
        """The two forms the diff compares: both normalized, then reconciled."""
        return self.reconcile(self.canonical_desired(desired_body), self.canonical_live(live_body), now)

    def display_name(self, body: Mapping[str, Any]) -> str | None:
        """The desired object's name, matched against unmanaged live objects to report conflicts."""
        value = body.get(self.name_field) if self.name_field else None
        return value if isinstance(value, str) else None

    def lookups(self, objects: Iterable[LiveObject]) -> dict[str, str]:
        """Ids of this kind's live objects (owned or not) by the ``lookup:`` addresses definitions name them with.

        For objects the definitions join rather than manage (an existing PagerDuty team); none by default.
        """
        return {}

    def native_subset(self, canonical: Mapping[str, Any]) -> dict[str, Any]:
        """The ``native_fields`` a normalized body has, in that order."""
        return {k: canonical[k] for k in self.native_fields if k in canonical}

    def to_native(self, obj: LiveObject, names: NativeNames) -> dict[str, Any]:
        """The native definition of a live object (``alertc import``), without ``key`` and ``adopt``.

        Built from ``canonical_live``, so server defaults are left out by the very
        rules the diff uses, and compiling it back gives a body with no field changes.
        By default the ``native_fields`` of that form; kinds with references override it.
        """
        if not self.native_fields:
            raise NotImplementedError(f"{self.address} cannot be imported")
        return self.native_subset(self.canonical_live(obj.body))

    def check_id(self, live_id: str) -> str | None:
        """Why ``live_id`` cannot be an id of this kind (None when it can); checked before any URL is built."""
        if self.ids.pattern.fullmatch(live_id) and ".." not in live_id:
            return None
        return f"{live_id!r} is not a {self.address} id ({self.ids.description})"

    def live_id(self, body: dict[str, Any]) -> str:
        """The id of a listed (or just created) body."""
        return str(body["id"])

    def live_name(self, body: dict[str, Any]) -> str:
        """What a listed body is called in reports (its display name by default)."""
        return self.display_name(self.unwrap(body)) or ""

    def listed_object(self, body: dict[str, Any]) -> LiveObject | None:
        """A listed body as a live object of this kind; None when it is not this kind's (``owns_live``)."""
        if not self.owns_live(body):
            return None
        return self.live_object(body, self.live_id(body), self.live_name(body))

    def live_object(self, body: dict[str, Any], live_id: str, name: str) -> LiveObject:
        """A listed body as a LiveObject, with its ownership key when alertc's mark is on it."""
        mark = read_ownership(self, body)
        full_key = mark.key
        kind, key = self.kind, None
        if full_key is not None and "/" in full_key:
            prefix, key = full_key.split("/", 1)
            if self.key_names_kind:
                kind = prefix
        return LiveObject(self.provider, kind, live_id, name, body, key, owner=mark.owner if key else None)

    # --- API hooks ----------------------------------------------------------------------------

    def list_live(self, clients: Clients, context: ReadContext) -> list[LiveObject]:
        """Every live object of this kind (and of the kinds it lists for), in bulk."""
        raise NotImplementedError(f"{self.address} cannot be listed")

    def create(self, clients: Clients, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Create the object; returns its live id and the body the API answered."""
        raise NotImplementedError(f"{self.address} cannot be created")

    def update(self, clients: Clients, live_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Update the object; returns the body the API answered (or the one sent)."""
        raise NotImplementedError(f"{self.address} cannot be updated")

    def delete(self, clients: Clients, live_id: str, current: dict[str, Any] | None) -> None:
        """Delete the object (``current``: its last known live body); already gone is success."""
        raise NotImplementedError(f"{self.address} cannot be deleted")

    def read_in_full(self, clients: Clients, objects: list[LiveObject]) -> list[LiveObject]:
        """``objects`` (listed by this kind) with their whole bodies, in the same order; an object gone
        meanwhile is left out. A kind whose list answers whole objects has nothing to add."""
        if self.lists_summaries:
            raise NotImplementedError(f"{self.address} lists summaries but cannot read an object in full")
        return objects

    def read_field(self, clients: Clients, obj: LiveObject, field_name: str) -> str | None:
        """An extra read for a field list responses omit (a PagerDuty integration key); None: unknown."""
        return None

    def find_by_key(self, clients: Clients, key: str, body: dict[str, Any]) -> list[LiveObject] | None:
        """The live objects of this kind carrying ownership key ``key``, read now (apply calls it just
        before every create). None: this kind has no read of its own; apply re-lists its lister."""
        if self.listed_by is not None or self.reads_after:
            return None
        found = self.list_live(clients, ReadContext(ResourceSet()))
        return self.read_in_full(clients, [o for o in found if o.kind == self.kind and o.key == key])

    def read_one(self, clients: Clients, live_id: str) -> LiveObject | None:
        """The live object with this id, read now (None: gone). Kinds whose API can name an existing
        object in an error (Datadog's duplicate monitor) implement it; the default cannot read one."""
        raise NotImplementedError(f"{self.address} cannot be read by id")

    def validate(self, clients: Clients, body: dict[str, Any], live_id: str | None) -> str | None:
        """The API's verdict on a body before apply (``validates_at_plan``); None when accepted."""
        return None


def _remove(holder: JSONDict, key: str) -> None:
    holder.pop(key, None)


def _sort(holder: JSONDict, key: str) -> None:
    value = holder.get(key)
    if isinstance(value, list):
        holder[key] = unordered(value)
