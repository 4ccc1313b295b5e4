"""SQLite-backed world state.

Objects are JSON documents keyed by (kind, id); the insertion sequence gives the
stable creation order the real list endpoints use.

Reads of a whole kind are cached in process, decoded, because list endpoints
page through the same kind again and again (a 30,000-monitor plan reads it 30
times) and renderers look across kinds (an SLO's alerts, a policy's services).
The cache is exact, not time-based: this connection's writes update the kind's
entry in place (so an apply of 10,000 creates, each preceded by a find-by-key
list, stays linear instead of decoding the whole kind again per create), a
rollback drops everything, and `PRAGMA data_version` (which moves when
another connection commits) drops everything, so an `apply` made through one
sandbox process is still seen by a `plan` through another on the same state.
`list()` hands out shallow copies; nested values are shared and must be
treated as read-only (copy before changing, as `put` callers already do).
`derived()` caches any value computed from whole kinds under the same rules.
`having()` answers "which objects carry this value" (a monitor's tag) from an
index kept up to date by every write, so a filtered list costs the matches,
not the kind.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

DB_FILE = "sandbox.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS objects_by_kind ON objects (kind, seq);
"""


class Store:
    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / DB_FILE
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._kinds: dict[str, dict[str, dict[str, Any]]] = {}  # kind -> id -> body, in creation order
        self._derived: dict[str, tuple[tuple[int, ...], Any]] = {}
        # (kind, field) -> value -> ids carrying it, for the fields ``having`` was asked about; only for
        # kinds in ``_kinds`` (both are cleared together), so writes keep them current through ``_reindex``
        self._indexes: dict[tuple[str, str], dict[Any, set[str]]] = {}
        self._versions: dict[str, int] = {}
        self._data_version = -1

    # -- cache bookkeeping (callers hold self._lock) --------------------------------------------------------
    def _check_others(self) -> None:
        """Forget everything when another connection has committed since the last look."""
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            self._data_version = version
            self._forget_all()

    def _forget_all(self) -> None:
        self._kinds.clear()
        self._derived.clear()
        self._indexes.clear()
        for kind in self._versions:
            self._versions[kind] += 1

    def _changed(self, kind: str) -> None:
        self._versions[kind] = self._versions.get(kind, 0) + 1

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Serialize read-modify-write sequences, across threads and processes."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                    self._forget_all()
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def get(self, kind: str, obj_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM objects WHERE kind = ? AND id = ?", (kind, obj_id)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, obj_id: str, body: dict[str, Any]) -> None:
        text = json.dumps(body)
        with self._lock:
            self._db.execute(
                "INSERT INTO objects (kind, id, body) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
                (kind, obj_id, text),
            )
            cached = self._kinds.get(kind)
            if cached is not None:  # an update keeps its place (its seq), a create goes last: as ORDER BY seq
                previous = cached.get(obj_id)
                cached[obj_id] = json.loads(text)
                self._reindex(kind, obj_id, previous, cached[obj_id])
            self._changed(kind)

    def delete(self, kind: str, obj_id: str) -> bool:
        with self._lock:
            cur = self._db.execute("DELETE FROM objects WHERE kind = ? AND id = ?", (kind, obj_id))
            cached = self._kinds.get(kind)
            if cached is not None:
                self._reindex(kind, obj_id, cached.pop(obj_id, None), None)
            self._changed(kind)
        return cur.rowcount > 0

    def list(self, kind: str) -> list[dict[str, Any]]:
        """Every object of a kind in creation order: shallow copies, nested values read-only."""
        with self._lock:
            return [dict(obj) for obj in self._cached(kind).values()]

    def _cached(self, kind: str) -> dict[str, dict[str, Any]]:
        """The kind decoded, id -> body in creation order (caller holds the lock)."""
        self._check_others()
        cached = self._kinds.get(kind)
        if cached is None:
            rows = self._db.execute("SELECT id, body FROM objects WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
            cached = self._kinds[kind] = {r[0]: json.loads(r[1]) for r in rows}
        return cached

    def having(self, kind: str, field: str, value: Any) -> builtins.list[dict[str, Any]]:
        """The objects of ``kind`` whose list ``field`` contains ``value``: shallow copies, ordered by id
        (callers sort as their endpoint does)."""
        with self._lock:
            cached = self._cached(kind)
            index = self._indexes.get((kind, field))
            if index is None:
                index = self._indexes[(kind, field)] = {}
                for obj_id, obj in cached.items():
                    for item in _hashable_items(obj.get(field)):
                        index.setdefault(item, set()).add(obj_id)
            return [dict(cached[obj_id]) for obj_id in sorted(index.get(value, ()))]

    def _reindex(self, kind: str, obj_id: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        for (indexed_kind, field), index in self._indexes.items():
            if indexed_kind != kind:
                continue
            for item in _hashable_items((old or {}).get(field)):
                index.get(item, set()).discard(obj_id)
            for item in _hashable_items((new or {}).get(field)):
                index.setdefault(item, set()).add(obj_id)

    def derived(self, name: str, kinds: tuple[str, ...], build: Callable[[], T]) -> T:
        """`build()` (computed from the listed kinds only), reused until one of them changes. Read-only."""
        with self._lock:
            self._check_others()
            stamp = tuple(self._versions.setdefault(k, 0) for k in kinds)
            hit = self._derived.get(name)
            if hit is not None and hit[0] == stamp:
                return hit[1]  # type: ignore[no-any-return]
            value = build()
            self._derived[name] = (stamp, value)
            return value

    def count(self, kind: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM objects WHERE kind = ?", (kind,)).fetchone()
        return int(row[0])

    def meta_get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def meta_set(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def meta_delete(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def next_counter(self, name: str, start: int) -> int:
        with self.transaction():
            current = self.meta_get(f"counter:{name}")
            value = start if current is None else int(current) + 1
            self.meta_set(f"counter:{name}", str(value))
        return value

    def dump(self) -> dict[str, Any]:
        with self._lock:
            objs = self._db.execute("SELECT kind, id, body FROM objects ORDER BY seq").fetchall()
            meta = self._db.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
        return {
            "version": 1,
            "meta": dict(meta),
            "objects": [{"kind": k, "id": i, "body": json.loads(b)} for k, i, b in objs],
        }

    def clear(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM meta")
            self._forget_all()

    def load(self, data: dict[str, Any]) -> None:
        if data.get("version") != 1 or not isinstance(data.get("objects"), list):
            raise ValueError("not a sandbox dump (expected version 1 with an objects list)")
        with self.transaction():
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM meta")
            self._forget_all()
            for key, value in dict(data.get("meta", {})).items():
                self.meta_set(str(key), str(value))
            for obj in data["objects"]:
                self.put(str(obj["kind"]), str(obj["id"]), dict(obj["body"]))


def _hashable_items(value: Any) -> list[Any]:
    return [item for item in value if isinstance(item, str | int)] if isinstance(value, list) else []
