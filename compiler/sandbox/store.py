"""SQLite-backed world state.

Every read goes to the database (no in-process cache) so that an `apply` made
through one sandbox process is seen by a `plan` through another process on the
same state directory. Objects are JSON documents keyed by (kind, id); the
insertion sequence gives the stable creation order the real list endpoints use.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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

    def delete(self, kind: str, obj_id: str) -> bool:
        with self._lock:
            cur = self._db.execute("DELETE FROM objects WHERE kind = ? AND id = ?", (kind, obj_id))
        return cur.rowcount > 0

    def list(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM objects WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

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

    def load(self, data: dict[str, Any]) -> None:
        if data.get("version") != 1 or not isinstance(data.get("objects"), list):
            raise ValueError("not a sandbox dump (expected version 1 with an objects list)")
        with self.transaction():
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM meta")
            for key, value in dict(data.get("meta", {})).items():
                self.meta_set(str(key), str(value))
            for obj in data["objects"]:
                self.put(str(obj["kind"]), str(obj["id"]), dict(obj["body"]))
