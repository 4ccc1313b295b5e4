"""One apply at a time per target on one machine: an exclusive advisory file lock.

Two applies of one plan started together (two merges landing close together,
an operator re-running a slow apply) would otherwise both see a key missing and
both create it. The lock file lives in a per-user state directory, named by a
hash of the target, so every alertc process of that user on this machine that
applies to the same target meets the same file, wherever it was started from.
``flock`` locks are released by the kernel when the process dies (even by
``kill -9``), so a crashed apply never leaves a stale lock behind.

Across machines (CI runners) a file lock cannot help: the workflow's
``concurrency:`` group serialises applies there (README "apply"), and apply's
find-by-key before every create is the last line of defence.

The lock needs POSIX ``flock`` (Linux, macOS). On Windows, where Python has no
``fcntl``, this module still imports, so every other command works, and
``apply`` alone refuses with one clear error (README "Platforms").
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from compiler.errors import AlertcError, PlanError

try:
    import fcntl

    HAS_FLOCK = True
except ImportError:  # Windows
    HAS_FLOCK = False

LOCK_DIR_VARIABLE = "ALERTC_LOCK_DIR"
POLL_SECONDS = 0.2


class ApplyLockedError(PlanError):
    """Another apply against the same target holds the lock."""


class LockUnsupportedError(AlertcError):
    """This system has no ``flock`` (native Windows), so apply cannot hold its lock."""


def lock_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$ALERTC_LOCK_DIR``, else ``$XDG_STATE_HOME/alertc/locks``, else ``~/.local/state/alertc/locks``."""
    env = os.environ if environ is None else environ
    explicit = env.get(LOCK_DIR_VARIABLE, "").strip()
    if explicit:
        return Path(explicit)
    state_home = env.get("XDG_STATE_HOME", "").strip()
    base = Path(state_home) if state_home else Path.home() / ".local" / "state"
    return base / "alertc" / "locks"


def lock_name(identity: Mapping[str, str]) -> str:
    """The lock file's name: a hash of the target's identity (no key is part of it)."""
    text = json.dumps(dict(identity), sort_keys=True)
    return "apply-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24] + ".lock"


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "unknown process"
    if not isinstance(info, dict):
        return "unknown process"
    return f"pid {info.get('pid', '?')} on {info.get('host', '?')}, since {info.get('since', '?')}"


@contextmanager
def apply_lock(identity: Mapping[str, str], *, timeout: float = 0.0, directory: Path | None = None) -> Iterator[Path]:
    """Hold the target's apply lock; wait up to ``timeout`` seconds for it, then refuse naming the holder."""
    if not HAS_FLOCK:
        raise LockUnsupportedError(
            "alertc apply needs a POSIX system (Linux or macOS) for its apply lock; this one has no flock, "
            "so nothing was applied\n"
            "  hint: on Windows, run apply in WSL or the alertc container (or let CI apply); "
            "the other commands do not take this lock"
        )
    folder = directory if directory is not None else lock_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / lock_name(identity)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ApplyLockedError(
                        f"another alertc apply is running against this target ({_holder(path)}); nothing was changed\n"
                        f"  hint: wait for it to finish, then plan again (lock file {path}; --lock-timeout waits)"
                    ) from None
                time.sleep(POLL_SECONDS)
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "since": datetime.now(UTC).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({**holder, "target": dict(identity)}).encode("utf-8"), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
