"""Drift digest: a short, stable hash of the normalized desired body, stored on the live object.

When ``drift`` finds a difference it must say whether the definitions changed
since the last apply (apply pending) or someone changed the object out of band.
The digest written at apply time answers that without a state file:

* stored digest == digest(desired now)             → the live object was changed out of band;
* stored digest == digest(live as it reads now)    → the live object is as alertc left it,
                                                     so the definitions changed (not yet applied);
* neither                                          → both changed (or the mark was edited).

The digest is taken over the *normalized* body, so it is insensitive to key
order, server re-typing and the ownership marks themselves.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from compiler.canonical import short_hash

DIGEST_LENGTH = 12


def digest(normalized_body: Any) -> str:
    """12 hex characters of SHA-256 over the canonical JSON of a normalized body.

    12 hex (48 bits) keeps the Datadog tag short while making an accidental
    match between two versions of one object negligible.
    """
    return short_hash(normalized_body, DIGEST_LENGTH)


class DriftCause(StrEnum):
    IN_SYNC = "in_sync"
    PENDING_APPLY = "pending_apply"
    CHANGED_OUT_OF_BAND = "changed_out_of_band"
    BOTH = "both"
    UNKNOWN = "unknown"


def classify_drift(*, stored: str | None, desired_digest: str, live_digest: str, in_sync: bool) -> DriftCause:
    """Why a managed object differs from its definition.

    ``live_digest`` is ``digest(normalized live body)``; ``in_sync`` is the
    result of the real diff (the digest never overrides it). Without a stored
    digest (old object, inherited kind, mark edited) the cause is UNKNOWN.
    """
    if in_sync:
        return DriftCause.IN_SYNC
    if stored is None:
        return DriftCause.UNKNOWN
    if stored == desired_digest:
        return DriftCause.CHANGED_OUT_OF_BAND
    if stored == live_digest:
        return DriftCause.PENDING_APPLY
    return DriftCause.BOTH
