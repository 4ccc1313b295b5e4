"""The sandbox's clock: real time, or a time a test has set or advanced.

Every time-derived answer (downtime `scheduled`/`active`, maintenance windows
`future`/`ongoing`/`past`, PagerDuty service status under a window, created
timestamps) reads `World.now()`, which reads this clock. The setting lives in
the state's meta table, so `alertc sandbox clock --set ...` on a state directory
is seen by a sandbox serving it, and every process on one state agrees.

A set clock is frozen (it does not tick) so that what a test sees does not
depend on how fast it runs; `advance` moves it forward explicitly.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from compiler.sandbox.store import Store

META_KEY = "clock:frozen_at"
_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant; a naive one is UTC."""
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {text!r} (e.g. 2026-01-01T09:00:00Z)") from exc
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def parse_seconds(value: Any) -> float:
    """Seconds as a number, or `90s`, `15m`, `2h`, `1d`, `1w`."""
    if isinstance(value, bool):
        raise ValueError("advance must be seconds or a duration like 15m")
    if isinstance(value, int | float):
        return float(value)
    m = _DURATION.match(str(value).strip())
    if m is None:
        raise ValueError(f"not a duration: {value!r} (seconds, or e.g. 90s, 15m, 2h, 1d)")
    return float(int(m.group(1)) * _UNIT_S[m.group(2)])


class Clock:
    def __init__(self, store: Store) -> None:
        self.store = store

    def now(self) -> dt.datetime:
        frozen = self.store.meta_get(META_KEY)
        return dt.datetime.now(dt.UTC) if frozen is None else dt.datetime.fromisoformat(frozen)

    def is_set(self) -> bool:
        return self.store.meta_get(META_KEY) is not None

    def set(self, when: dt.datetime) -> None:
        self.store.meta_set(META_KEY, when.astimezone(dt.UTC).isoformat())

    def advance(self, seconds: float) -> None:
        with self.store.transaction():
            self.set(self.now() + dt.timedelta(seconds=seconds))

    def reset(self) -> None:
        self.store.meta_delete(META_KEY)

    def describe(self) -> dict[str, Any]:
        return {"now": self.now().isoformat(), "frozen": self.is_set()}

    def apply(self, command: dict[str, Any]) -> dict[str, Any]:
        """One admin command: `{"set": ISO}`, `{"advance": 3600 | "1h"}` or `{"reset": true}`."""
        unknown = set(command) - {"set", "advance", "reset"}
        if unknown or len(command) != 1:
            raise ValueError('expected exactly one of {"set": ISO time}, {"advance": seconds|"1h"}, {"reset": true}')
        if "set" in command:
            self.set(parse_instant(str(command["set"])))
        elif "advance" in command:
            self.advance(parse_seconds(command["advance"]))
        elif command["reset"] is True:
            self.reset()
        else:
            raise ValueError('"reset" must be true')
        return self.describe()
