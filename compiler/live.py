"""Reading the whole live state a plan compares against, with a count of the requests it cost.

A session opens the two real clients for a target once, with one rate
limiter per API and one retry policy. ``read_live`` iterates the kind
registry: each kind lists its own objects; how kinds fit together (PagerDuty
services decide who owns Datadog's PagerDuty service objects) is the kinds'
business, declared with ``listed_by`` and ``reads_after``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from compiler.duplicates import split_duplicates
from compiler.events import KindRead, Observer, ignore, phase
from compiler.kinds import ReadContext, ResourceKind, all_kinds, get_kind
from compiler.providers.datadog import DatadogProvider
from compiler.providers.ownership import Scope, scoped
from compiler.providers.pagerduty import PagerDutyProvider
from compiler.providers.ratelimit import RateLimiter
from compiler.providers.retry import RetryPolicy
from compiler.providers.shared_strings import SharedStrings
from compiler.resources import LiveObject, ResourceSet
from compiler.targets import Target

# The most requests of one rate-limit bucket in flight at once (writes, validations, pages), whatever
# the allowance: Datadog's limits are per endpoint family and generous; PagerDuty's is one per token.
MAX_IN_FLIGHT_DATADOG = 16
MAX_IN_FLIGHT_PAGERDUTY = 8


@dataclass
class LiveState:
    objects: list[LiveObject]
    users: dict[str, str] = field(default_factory=dict)  # email → PagerDuty user id

    def managed(self) -> dict[str, LiveObject]:
        """One object per ownership key; when several share one, the kept one (``compiler.duplicates``)."""
        return split_duplicates(self.objects)[0]

    def lookups(self) -> dict[str, str]:
        """Ids of objects alertc reads but does not manage, by ``lookup:`` address: people by email, and
        what each kind's ``lookups`` hook answers for its live objects (existing teams by id and by name)."""
        found = {f"lookup:user/{email}": user_id for email, user_id in self.users.items()}
        by_kind: dict[tuple[str, str], list[LiveObject]] = {}
        for obj in self.objects:
            by_kind.setdefault((obj.provider, obj.kind), []).append(obj)
        for kind in all_kinds():
            found.update(kind.lookups(by_kind.get((kind.provider, kind.kind), [])))
        return found


@dataclass(frozen=True)
class RequestCounter:
    """HTTP requests per API so far: every response each API's rate limiter has observed."""

    limiters: dict[str, RateLimiter]

    @property
    def counts(self) -> dict[str, int]:
        return {api: limiter.responses_seen for api, limiter in self.limiters.items()}


@dataclass
class Session:
    target: Target
    datadog: DatadogProvider
    pagerduty: PagerDutyProvider
    requests: RequestCounter
    observer: Observer = ignore  # progress: phases, kinds read, changes applied, requests (compiler.events)


@contextmanager
def open_session(
    target: Target, *, retry: RetryPolicy | None = None, read_only: bool = False, observer: Observer = ignore
) -> Iterator[Session]:
    """Both providers for ``target``. ``read_only`` makes every non-GET request fail before it is sent.

    ``observer`` hears what the session does: requests, retries and rate-limit waits, and (through
    ``Session.observer``) the reads and writes of the code using it.
    """
    # Concurrency follows each bucket's rate-limit headers (RateLimiter.concurrency), and as many
    # requests are kept back as may be in flight: a response's remaining count cannot include them.
    dd_limiter = RateLimiter(
        "datadog", low_water=2, max_in_flight=MAX_IN_FLIGHT_DATADOG, unknown_in_flight=2, observer=observer
    )
    pd_limiter = RateLimiter(
        "pagerduty", low_water=2, max_in_flight=MAX_IN_FLIGHT_PAGERDUTY, unknown_in_flight=2, observer=observer
    )
    policy = replace(retry or RetryPolicy(), observer=observer)
    dd_client = target.datadog_client(dd_limiter, read_only=read_only, observer=observer)
    pd_client = target.pagerduty_client(pd_limiter, read_only=read_only, observer=observer)
    try:
        yield Session(
            target,
            DatadogProvider(dd_client, dd_limiter, policy),
            PagerDutyProvider(pd_client, pd_limiter, policy),
            RequestCounter({"datadog": dd_limiter, "pagerduty": pd_limiter}),
            observer,
        )
    finally:
        dd_client.close()
        pd_client.close()


# Every list on its own thread (each also keeps a few pages in flight, within its limiter's allowance).
READ_WORKERS = 12


def read_live(
    session: Session, desired: ResourceSet, *, owner: str | None = None, claims: frozenset[str] | None = None
) -> LiveState:
    """Every live object of every registered kind, in bulk, the independent lists concurrently.

    Kinds listed by another kind (``listed_by``) are skipped; kinds that need
    other kinds' live objects (``reads_after``) are read in a second phase.
    The session's observer hears the phase and, per kind, how many objects were read.
    Only ``owner``'s scope keeps its ownership keys (``compiler.providers.ownership.Scope``);
    unscoped objects are claimed at ``claims`` (default: the desired addresses).
    """
    scope = Scope(owner, frozenset(r.address for r in desired) if claims is None else claims)
    strings = SharedStrings(r.body for r in desired)
    session.datadog.strings = session.pagerduty.strings = strings
    try:
        with phase(session.observer, "reading live state"):
            state = _read_all(session, desired, scope)
    finally:
        session.datadog.strings = session.pagerduty.strings = SharedStrings()
    counts = Counter(f"{o.provider}:{o.kind}" for o in state.objects)
    counts["pagerduty:user"] = len(state.users)
    for address in sorted({k.address for k in all_kinds()} | set(counts)):
        session.observer(KindRead(address, counts[address]))
    return state


def read_listing(session: Session, lister: ResourceKind, *, owner: str | None) -> list[LiveObject]:
    """What one kind's list returns now, scoped; only the kinds it needs (``reads_after``) are read first.

    Apply calls it before creating an object of a kind with no read by key of its own:
    re-reading the whole account there cost a full read per create.
    """
    scope = Scope(owner, frozenset())
    context = ReadContext(ResourceSet())
    parents = [get_kind(*address.split(":", 1)) for address in lister.reads_after]
    listers = [get_kind(*p.listed_by.split(":", 1)) if p.listed_by else p for p in parents]
    earlier = scoped((obj for kind in dict.fromkeys(listers) for obj in kind.list_live(session, context)), scope)
    return scoped(lister.list_live(session, ReadContext(ResourceSet(), earlier)), scope)


def read_in_full(
    session: Session, objects: list[LiveObject], wanted: Callable[[LiveObject], bool] = lambda o: True
) -> list[LiveObject]:
    """``objects`` with the ``wanted`` ones of kinds whose list answers summaries read in full, in the same
    order (an object gone meanwhile is left out); every other object as listed."""
    chosen: dict[str, list[LiveObject]] = {}
    for obj in objects:
        kind = get_kind(obj.provider, obj.kind)
        if kind.lists_summaries and wanted(obj):
            chosen.setdefault(kind.address, []).append(obj)
    if not chosen:
        return objects
    full = {
        (o.provider, o.kind, o.live_id): o
        for address, listed in chosen.items()
        for o in get_kind(*address.split(":", 1)).read_in_full(session, listed)
    }
    picked = {id(o) for listed in chosen.values() for o in listed}
    out = []
    for obj in objects:
        if id(obj) not in picked:
            out.append(obj)
        elif (found := full.get((obj.provider, obj.kind, obj.live_id))) is not None:
            out.append(found)
    return out


def _read_all(session: Session, desired: ResourceSet, scope: Scope) -> LiveState:
    listing = [k for k in all_kinds() if k.listed_by is None]
    first = [k for k in listing if not k.reads_after]
    later = [k for k in listing if k.reads_after]
    context = ReadContext(desired)
    with ThreadPoolExecutor(max_workers=READ_WORKERS, thread_name_prefix="alertc-read") as pool:
        users_f = pool.submit(session.pagerduty.read_users)
        futures: list[Future[list[LiveObject]]] = []
        futures += [pool.submit(k.list_live, session, context) for k in first]
        objects: list[LiveObject] = scoped((obj for future in futures for obj in future.result()), scope)
        users = users_f.result()
    for kind in later:
        objects += scoped(kind.list_live(session, ReadContext(desired, list(objects))), scope)
    # what the plan compares is read whole: the objects this scope manages (an adoption compares the listed form)
    return LiveState(read_in_full(session, objects, lambda o: o.address is not None), users)
