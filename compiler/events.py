"""What happens during a run, as plain values: phases, kinds read, monitors validated, changes applied,
and (for ``-v``) requests, retries and rate-limit waits.

The code that does the work (the providers' limiter and retry policy, the live
reads, monitor validation, apply) reports through one ``Observer`` callback it is
handed, never through global state; ``compiler.progress`` decides what a person
sees. Events carry no headers, bodies or keys: a request is its method and path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class PhaseStarted:
    """A step of the run begins (``total``: how many items it will go through, when known)."""

    name: str
    total: int | None = None


@dataclass(frozen=True)
class PhaseFinished:
    name: str


@dataclass(frozen=True)
class KindRead:
    """The live objects of one kind were listed (``address``: ``provider:kind``)."""

    address: str
    count: int


@dataclass(frozen=True)
class MonitorValidated:
    """Datadog gave its verdict on one new or changed monitor (``done`` of ``total``)."""

    address: str
    done: int
    total: int


@dataclass(frozen=True)
class ChangeApplied:
    """One change of a plan was applied (``error`` None) or failed; ``live_id`` is the created or touched id."""

    action: str
    address: str
    live_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class RequestSent:
    """One HTTP request and its answer: method and path only, never headers, query or body."""

    api: str
    method: str
    path: str
    status: int | None
    seconds: float


@dataclass(frozen=True)
class RetryScheduled:
    """A call failed transiently and will be tried again after ``wait`` seconds."""

    what: str
    attempt: int
    reason: str
    wait: float


@dataclass(frozen=True)
class RateLimitWait:
    """The client-side limiter holds requests of ``bucket`` for ``seconds`` (before the API says 429)."""

    api: str
    bucket: str
    seconds: float


Event = (
    PhaseStarted
    | PhaseFinished
    | KindRead
    | MonitorValidated
    | ChangeApplied
    | RequestSent
    | RetryScheduled
    | RateLimitWait
)
Observer = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """The observer of code run without anyone watching (library use, tests)."""


@contextmanager
def phase(observer: Observer, name: str, total: int | None = None) -> Iterator[None]:
    """Report ``name`` as started, and as finished however the block ends."""
    observer(PhaseStarted(name, total))
    try:
        yield
    finally:
        observer(PhaseFinished(name))
