"""A mutation fuzzer for the definitions loader: the valid base set, broken at random.

Shared by the hypothesis test in the normal suite (a few hundred derandomized
examples) and ``make fuzz`` (``python -m tests.fuzz.long_run``, 10,000+ cases).
Every mutation draws from a ``random.Random``, so hypothesis can drive it
(``st.randoms``) and a long run can be replayed from its seed.

A case passes when ``alertc validate`` exits 0 or 1, never prints "internal
error" or a traceback, and finishes within the hang guard. Mutations aim at
what broke before (issue 11): aliases and cycles, deep nesting, huge and
non-finite numbers, repeated list entries, control characters, truncation.
"""

from __future__ import annotations

import contextlib
import gc
import io
import random
import shutil
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

from compiler.cli import run
from tests.definitions.base_set import BANNERS, BASE

FILES: dict[str, str] = {**BASE, "banners.yaml": BANNERS}
HANG_SECONDS = 10.0

_SNIPPETS = [
    "&a ",
    "*a",
    "*b",
    "<<: *a\n",
    "x: &a [*a]\n",
    "[" * 50,
    "[" * 5000,
    "{" * 40,
    "]",
    "\t",
    "\x00",
    "\x1b",
    "\ufeff",
    "- - - - - - - -",
    ": :",
    "'",
    '"',
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "!custom ",
    ".nan",
    "-.inf",
    "1e999",
    "9" * 400,
    "0x" + "f" * 40,
    "? [a, b]\n: c\n",
    "|\n",
    ">-\n",
    "# comment\n",
    "🙂",
]


def _random_scalar(rng: random.Random, names: list[str]) -> Any:
    choice = rng.randrange(14)
    if choice == 0:
        return rng.choice([0, 1, -1, 2**31, 2**53, 2**63, -(2**64), 10**400])
    if choice == 1:
        return rng.choice([0.0, -0.0, 1e308, float("inf"), float("-inf"), float("nan"), 1e-320])
    if choice == 2:
        return rng.choice([True, False, None])
    if choice == 3:
        return "".join(rng.choice("abc-_ .:*&!%@#{}[]\n\t") for _ in range(rng.randrange(12)))
    if choice == 4:
        return rng.choice(["", " ", "5m", "1 business day", "99.9%", "100%", "0%", "-1h", "P1", "sev1", "prod"])
    if choice == 5:
        return rng.choice(["2026-01-05T09:00:00Z", "2026-13-45T99:00:00", "2026-01-05", "24:00", "09:00"])
    if choice == 6:
        return rng.choice(["Etc/UTC", "Mars/Olympus", "America/New_York", "", "UTC+1"])
    if choice == 7:
        return rng.choice(["@pagerduty-api", "@slack-x", "@pagerduty-status-logingov", "#web-alerts", "@@"])
    return rng.choice(names) if names else "x"


def _random_value(rng: random.Random, names: list[str], depth: int = 0) -> Any:
    kind = rng.randrange(10)
    if depth < 4 and kind == 0:
        return [_random_value(rng, names, depth + 1) for _ in range(rng.randrange(4))]
    if depth < 4 and kind == 1:
        return {rng.choice([*names, "name", "type", "x"]): _random_value(rng, names, depth + 1) for _ in range(3)}
    return _random_scalar(rng, names)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


def _names(data: Any) -> list[str]:
    found: list[str] = []
    for path in _paths(data):
        if path and path[-1] in ("name", "key", "team", "service", "severity"):
            value = _get(data, path)
            if isinstance(value, str):
                found.append(value)
    return found


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _mutate_data(rng: random.Random, data: Any) -> None:
    """One structural change: replace, delete, duplicate, repeat a list entry, or add a field."""
    paths = [p for p in _paths(data) if p]
    if not paths:
        return
    path = rng.choice(paths)
    parent = _get(data, path[:-1])
    last = path[-1]
    names = _names(data)
    op = rng.randrange(5)
    if op == 0:
        parent[last] = _random_value(rng, names)
    elif op == 1:
        del parent[last]
    elif op == 2 and isinstance(parent, list):
        parent.append(parent[last])  # the same item twice (same name)
    elif op == 3:
        value = parent[last]
        if isinstance(value, list) and value:
            value.append(rng.choice(value))  # a repeated list entry
        else:
            parent[last] = [value, value]
    elif isinstance(parent, dict):
        parent[rng.choice(["nmae", "type", "tags", "depends_on", "x"])] = _random_value(rng, names)


def _mutate_text(rng: random.Random, text: str) -> str:
    """One textual change: a snippet inserted, the text truncated, a line repeated, or deep nesting."""
    op = rng.randrange(5)
    if op == 0 or not text:
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(_SNIPPETS) + text[at:]
    if op == 1:
        return text[: rng.randrange(len(text))]
    lines = text.splitlines(keepends=True)
    if op == 2:
        index = rng.randrange(len(lines))
        return "".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])
    if op == 3:
        depth = rng.choice([20, 33, 100, 999, 1001, 20000])
        return text.replace(": ", ": " + "[" * depth, 1).rstrip("\n") + "]" * depth + "\n"
    levels = rng.randrange(1, 7)
    bomb = ['b0: &b0 ["x", "x", "x"]'] + [f"b{i}: &b{i} [*b{i - 1}, *b{i - 1}, *b{i - 1}]" for i in range(1, levels)]
    return text + "\n".join(bomb) + "\n"


def _structure(text: str) -> dict[str, Any] | list[Any] | None:
    """The data of a file for a structural mutation; None once text mutations made it unreadable."""
    if "*" in text:  # aliases may make the data self-referential; mutate such files as text
        return None
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    return data if isinstance(data, dict | list) else None


def make_case(rng: random.Random) -> dict[str, str]:
    """The base set with one to four mutations, each on a random file, by data or by text."""
    files = dict(FILES)
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(sorted(files))
        data = _structure(files[name]) if rng.random() < 0.5 else None
        if data is not None:
            _mutate_data(rng, data)
            files[name] = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        else:
            files[name] = _mutate_text(rng, files[name])
    return files


class Hang(BaseException):
    """Raised by the hang guard; a BaseException so the CLI's catch-all cannot swallow it."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None
    stderr: str
    hang: bool

    @property
    def internal_error(self) -> bool:
        return (
            self.hang or self.exit_code not in (0, 1) or "internal error" in self.stderr or "Traceback" in self.stderr
        )


def run_case(files: dict[str, str], directory: Path) -> Outcome:
    """Write ``files`` to ``directory`` and run ``alertc validate`` on it in this process."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    err = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = run(["validate", "-d", str(directory)])
        return Outcome(code, err.getvalue(), False)
    except Hang:
        return Outcome(None, err.getvalue(), True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        gc.unfreeze()  # the CLI freezes what it loaded; a long in-process run must not keep it forever
