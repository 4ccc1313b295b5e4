"""Everything a handler may touch: state, time, randomness, limits.

Time and randomness go through here so fault runs are reproducible and so the
varying orders the real APIs produce (SLO tags, downtime end states) come from
the run's seed rather than from the global generator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from compiler.sandbox.clock import Clock
from compiler.sandbox.faults import FaultInjector
from compiler.sandbox.ratelimit import RateLimiter
from compiler.sandbox.store import Store

if TYPE_CHECKING:
    from compiler.sandbox.openapi import SpecValidator

CREDENTIAL_KEYS = ("datadog_api_key", "datadog_app_key", "pagerduty_token")
FROM_EMAIL = "sandbox-admin@example.com"


class World:
    def __init__(
        self,
        store: Store,
        limiter: RateLimiter,
        faults: FaultInjector,
        seed: int,
        *,
        validator: SpecValidator | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.store = store
        self.limiter = limiter
        self.faults = faults
        self.validator = validator
        self.base_url = ""
        self.accepted_time_zones: frozenset[str] | None = None  # None: any IANA zone (no list loaded)
        self.clock = Clock(store)
        self._clock = clock or self.clock.now
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()

    def now(self) -> dt.datetime:
        return self._clock()

    def shuffled(self, items: list[Any]) -> list[Any]:
        copy = list(items)
        with self._rng_lock:
            self._rng.shuffle(copy)
        return copy

    def credentials(self) -> dict[str, str]:
        """Credentials live in the state so every process on one state dir accepts the same ones."""
        with self.store.transaction():
            creds = {k: self.store.meta_get(f"cred:{k}") for k in CREDENTIAL_KEYS}
            if any(v is None for v in creds.values()):
                creds = {
                    "datadog_api_key": secrets.token_hex(16),
                    "datadog_app_key": secrets.token_hex(20),
                    "pagerduty_token": "u+" + secrets.token_urlsafe(15),
                }
                for k, v in creds.items():
                    self.store.meta_set(f"cred:{k}", str(v))
        out = {k: str(v) for k, v in creds.items()}
        out["pagerduty_from"] = FROM_EMAIL
        # Read-only keys (auth.py), derived from the full ones so every process on the state agrees.
        out["datadog_read_app_key"] = hashlib.sha256(b"read-only:" + out["datadog_app_key"].encode()).hexdigest()[:40]
        out["pagerduty_read_token"] = (
            "r+" + hashlib.sha256(b"read-only:" + out["pagerduty_token"].encode()).hexdigest()[:20]
        )
        return out


def pd_id(prefix: str = "P") -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return prefix + "".join(secrets.choice(alphabet) for _ in range(6))


def iso_micro(t: dt.datetime) -> str:
    """Datadog's `2022-05-12T09:46:21.924878+00:00`."""
    return t.astimezone(dt.UTC).isoformat(timespec="microseconds")


def iso_seconds(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
