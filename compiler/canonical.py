"""The one canonical JSON text and the short hashes made from it (digests, fingerprints).

Every hash alertc stores or compares (the applied-definition digest on live
objects, plan fingerprints, the definitions digest) is SHA-256 over this text,
so two places can never disagree about what "the same value" means.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any


def canonical_json(value: Any) -> str:
    """A deterministic text form: sorted keys, no spaces, non-ASCII kept, unknown types as str."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def short_hash(value: Any, length: int) -> str:
    """The first ``length`` hex characters of SHA-256 over ``canonical_json(value)``."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:length]


def short_hash_of_list(items: Iterable[Any], length: int) -> str:
    """``short_hash(list(items), length)``, hashed item by item: the same digest, without ever holding the
    whole list's text (at 50,000 objects that text and its bytes were a 140 MB spike at the end of a plan).

    ``canonical_json`` of a list is ``[`` + its items' texts joined by ``,`` + ``]``, so feeding those
    pieces to SHA-256 one at a time hashes exactly the same bytes.
    """
    digest = hashlib.sha256(b"[")
    for index, item in enumerate(items):
        if index:
            digest.update(b",")
        digest.update(canonical_json(item).encode("utf-8"))
    digest.update(b"]")
    return digest.hexdigest()[:length]
