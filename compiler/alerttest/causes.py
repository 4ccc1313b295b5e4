"""Which live object, and which of its fields, makes a test fail on the live account (``alertc test --live``).

A test that passes on the definitions and fails on the account fails because of some difference between the two.
Each difference is tried on its own, counterfactually: the live world with that one object as the definitions have
it (or with a missing object added, or a hand-made one removed) plays the test again, and every failed expectation
that then holds is explained by that object. Within an object, each differing field is tried the same way, so the
report names the field (``message``, ``options.thresholds.critical``, ``escalation_rules``), not just the object.
A difference that explains nothing is not reported: server defaults and formatting that the plan's normalizers
would hide change no expectation, so they never show up here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from compiler.alerttest.expect import Failure
from compiler.alerttest.live import Entry, Worlds

Play = Callable[[list[Entry]], list[Failure]]
MAX_SHOWN = 80


@dataclass(frozen=True)
class Cause:
    subject: str  # "monitor 'ssoe-success-rate' (id 150000003)"
    detail: str  # what differs, in words
    explains: tuple[str, ...]  # the locations of the failed expectations it explains

    def describe(self) -> str:
        return f"{self.subject}: {self.detail} (explains {', '.join(self.explains)})"


@dataclass(frozen=True)
class _Difference:
    subject: str
    entries: Callable[[list[Entry]], list[Entry]]
    live: Entry | None
    desired: Entry | None


def _failing(failures: list[Failure]) -> set[str]:
    return {str(f.location) for f in failures}


def _added(want: Entry) -> Callable[[list[Entry]], list[Entry]]:
    def change(entries: list[Entry]) -> list[Entry]:
        return [*entries, want]

    return change


def _swapped(have: Entry, want: Entry) -> Callable[[list[Entry]], list[Entry]]:
    def change(entries: list[Entry]) -> list[Entry]:
        return [replace(want, id=have.id) if e is have else e for e in entries]

    return change


def _removed(extra: Entry) -> Callable[[list[Entry]], list[Entry]]:
    def change(entries: list[Entry]) -> list[Entry]:
        return [e for e in entries if e is not extra]

    return change


def _differences(worlds: Worlds) -> Iterator[_Difference]:
    by_address = {e.address: e for e in worlds.live if e.address is not None}
    for address, want in sorted(worlds.desired.items()):
        have = by_address.get(address)
        if have is None:
            yield _Difference(want.describe(), _added(want), None, want)
        elif have.body != want.body and have.live:
            yield _Difference(have.describe(), _swapped(have, want), have, want)
    for extra in worlds.live:
        if extra.address is None and extra.live and extra.role in ("monitor", "downtime", "maintenance_window"):
            yield _Difference(f"{extra.describe()}, not in the definitions", _removed(extra), extra, None)


def _paths(have: Any, want: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Dotted paths where the definitions' value differs (fields only the account has are server-owned)."""
    if isinstance(have, Mapping) and isinstance(want, Mapping):
        for key in sorted(want):
            if key not in have:
                yield (*prefix, str(key))
            elif have[key] != want[key]:
                yield from _paths(have[key], want[key], (*prefix, str(key)))
        return
    yield prefix


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _patched(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out = dict(body)
    if len(path) == 1:
        out[path[0]] = value
        return out
    inner = out.get(path[0])
    out[path[0]] = _patched(dict(inner) if isinstance(inner, Mapping) else {}, path[1:], value)
    return out


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


_HANDLE = re.compile(r"@[A-Za-z0-9_.\-]+")


def _words_lost(have: str, want: str) -> tuple[list[str], list[str]]:
    """The handles (``@pagerduty-ssoe``, wherever they sit in template blocks) one text lacks and has beyond the
    other; without handle differences, the whitespace-separated words."""
    for split in (_HANDLE.findall, str.split):
        mine, theirs = split(have), split(want)
        lost = list(dict.fromkeys(w for w in theirs if w not in mine))
        added = list(dict.fromkeys(w for w in mine if w not in theirs))
        if lost or added:
            return lost, added
    return [], []


def describe_field(path: tuple[str, ...], have: Any, want: Any) -> str:
    """``message`` lacks '@pagerduty-ssoe' (the definitions have it); else both values, shortened."""
    name = ".".join(path) or "the object"
    if isinstance(have, str) and isinstance(want, str):
        lost, added = _words_lost(have, want)
        if lost and len(" ".join(lost)) <= MAX_SHOWN:
            text = f"field {name} lacks {', '.join(repr(w) for w in lost)} (the definitions have it)"
            return text + (f" and has {', '.join(repr(w) for w in added[:3])}" if added else "")
    if have is None:
        return f"field {name} is missing (the definitions set {_short(want)})"
    return f"field {name} is {_short(have)} in the account, {_short(want)} in the definitions"


def find_causes(worlds: Worlds, failures: list[Failure], play: Play) -> list[Cause]:
    """The live objects and fields whose definitions' version makes failed expectations hold."""
    failing = _failing(failures)
    causes: list[Cause] = []
    for diff in _differences(worlds):
        fixed = failing - _failing(play(diff.entries(worlds.live)))
        if not fixed:
            continue
        causes += _fields(worlds, diff, fixed, play) or [Cause(diff.subject, _whole(diff), tuple(sorted(fixed)))]
    return causes


def _whole(diff: _Difference) -> str:
    if diff.live is None:
        return "missing from the account"
    if diff.desired is None:
        return "it changes what happens"
    paths = [".".join(p) for p in _paths(diff.live.body, diff.desired.body)]
    return "differs from the definitions in " + ", ".join(paths[:6]) + ("…" if len(paths) > 6 else "")


def _fields(worlds: Worlds, diff: _Difference, fixed: set[str], play: Play) -> list[Cause]:
    """Each differing field of a changed object tried alone; the ones that explain a failure."""
    have, want = diff.live, diff.desired
    if have is None or want is None:
        return []
    out = []
    for path in _paths(have.body, want.body):
        if not path:
            continue
        value = _get(want.body, path)
        trial = replace(have, body=_patched(have.body, path, value))
        explained = fixed - _failing(play([trial if e is have else e for e in worlds.live]))
        if explained:
            detail = describe_field(path, _get(have.body, path), value)
            out.append(Cause(diff.subject, detail, tuple(sorted(explained))))
    return out
