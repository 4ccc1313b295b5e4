"""The one canonical JSON text and the short hashes made from it (digests, fingerprints).

Every hash alertc stores or compares (the applied-definition digest on live
objects, plan fingerprints, the definitions digest) is SHA-256 over this text,
so two places can never disagree about what "the same value" means.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """A deterministic text form: sorted keys, no spaces, non-ASCII kept, unknown types as str."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def short_hash(value: Any, length: int) -> str:
    """The first ``length`` hex characters of SHA-256 over ``canonical_json(value)``."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:length]
